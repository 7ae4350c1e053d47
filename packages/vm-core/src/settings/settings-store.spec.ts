import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VmError } from '../errors.js';
import { SettingsStore } from './settings-store.js';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

describe('SettingsStore', () => {
  let directory: string;
  let store: SettingsStore;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'vm-core-settings-'));
    store = new SettingsStore(directory);
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function loadError(): Promise<VmError> {
    return store.load().then(
      () => {
        throw new Error('load() resolved');
      },
      (error: unknown) => error as VmError,
    );
  }

  it('returns defaults without a file', async () => {
    const settings = await store.load();

    expect(settings.backend).toBe('auto');
    expect(settings.cpus).toBe(2);
    expect(settings.memoryMiB).toBe(4096);
  });

  it('fills missing keys with defaults', async () => {
    await writeFile(store.path, JSON.stringify({ cpus: 6 }));

    const settings = await store.load();

    expect(settings.cpus).toBe(6);
    expect(settings.memoryMiB).toBe(4096);
  });

  it('accepts a UTF-8 byte order mark', async () => {
    await writeFile(store.path, '\uFEFF{"cpus": 4}');

    const settings = await store.load();

    expect(settings.cpus).toBe(4);
  });

  it('names the key and allowed values of an invalid enum', async () => {
    await writeFile(store.path, JSON.stringify({ backend: 'hyperv' }));

    const error = await loadError();

    expect(error.code).toBe('VM_ERR_INVALID_SETTINGS');
    expect(error.key).toBe('backend');
    expect(error.message).toContain('"auto", "native", "wsl", "qemu"');
    expect(error.message).toContain('"hyperv"');
  });

  it('names the key and bound of an out-of-range number', async () => {
    await writeFile(store.path, JSON.stringify({ cpus: 0 }));

    const error = await loadError();

    expect(error.key).toBe('cpus');
    expect(error.message).toContain('minimum is 1');
  });

  it('names an unknown key', async () => {
    await writeFile(store.path, JSON.stringify({ cpu: 4 }));

    const error = await loadError();

    expect(error.key).toBe('cpu');
    expect(error.message).toContain('allowed keys are backend, cpus');
  });

  it('reports malformed JSON with the path', async () => {
    await writeFile(store.path, '{ "cpus": ');

    const error = await loadError();

    expect(error.code).toBe('VM_ERR_INVALID_SETTINGS');
    expect(error.message).toContain(store.path);
  });

  it('flags a change that needs a restart', async () => {
    const memory = await store.update({ memoryMiB: 8192 });
    const autoStart = await store.update({ autoStart: true });
    const unchanged = await store.update({ autoStart: true });

    expect(memory).toMatchObject({ changedKeys: ['memoryMiB'], restartRequired: true });
    expect(autoStart).toMatchObject({ changedKeys: ['autoStart'], restartRequired: false });
    expect(unchanged).toMatchObject({ changedKeys: [], restartRequired: false });
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toMatchObject({ memoryMiB: 8192, autoStart: true });
  });

  // Root ignores file modes, so the folder is made unwritable by a regular file where a parent folder should be.
  it('wraps a failed write in VM_ERR_IO', async () => {
    const blocker = join(directory, 'not-a-folder');
    await writeFile(blocker, '');
    const unwritable = new SettingsStore(join(blocker, 'data'));
    const error = await unwritable.update({ cpus: 4 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(VmError);
    expect((error as VmError).code).toBe('VM_ERR_IO');
    expect((error as VmError).message).toContain(join(blocker, 'data', 'settings.json'));
    expect(await readdir(directory)).toEqual(['not-a-folder']);
  });

  it('writes nothing for an invalid change', async () => {
    await store.update({ cpus: 4 });

    await expect(store.update({ cpus: 1.5 })).rejects.toMatchObject({ code: 'VM_ERR_INVALID_SETTINGS', key: 'cpus' });
    expect((await store.load()).cpus).toBe(4);
    expect(await readdir(directory)).toEqual(['settings.json']);
  });
});
