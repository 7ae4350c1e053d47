import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import {
  createManagedVm,
  createProcessInspector,
  isAlive,
  ProcProcessInspector,
  PsProcessInspector,
  VmLock,
  type ProcessInspector,
} from '../src/index.js';
import { bundleFixture, killHard, startChild } from './support/child-process.js';
import { MemoryBackend } from './support/memory-backend.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

describe('VmLock across processes', () => {
  let directory: string;
  let holdLock: string;
  let inspector: ProcessInspector;

  beforeAll(async () => {
    holdLock = await bundleFixture('hold-lock');
    inspector = await createProcessInspector();
  });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'vm-core-lock-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('rejects a second holder while the first lives', async () => {
    const path = join(directory, 'default.lock');
    const child = await startChild(holdLock, [path, 'start'], 'locked');

    try {
      const error = await new VmLock(path, inspector).acquire('stop').catch((caught: unknown) => caught);

      expect(error).toMatchObject({ code: 'VM_ERR_LOCKED' });
      expect((error as Error).message).toContain(`pid ${child.pid}`);
      expect((error as Error).message).toContain('"start"');
    } finally {
      await killHard(child);
    }
  });

  it('takes over cleanly after kill -9 of the holder', async () => {
    const path = join(directory, 'default.lock');
    const child = await startChild(holdLock, [path, 'start'], 'locked');

    await killHard(child);

    expect(isAlive(child.pid)).toBe(false);
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(child.pid);

    const lock = new VmLock(path, inspector);

    await lock.acquire('start');

    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);

    await lock.release();

    expect(await readdir(directory)).toEqual([]);
  });

  it('treats a reused pid with another start time as stale', async () => {
    const path = join(directory, 'default.lock');
    const stale = { pid: process.pid, startTime: 'an-earlier-process', operation: 'start', acquiredAt: '2026-01-01T00:00:00Z' };

    await writeFile(path, JSON.stringify(stale));

    const lock = new VmLock(path, inspector);

    expect(await lock.liveOwner()).toBeUndefined();
    await lock.acquire('start');
    expect(JSON.parse(await readFile(path, 'utf8')).startTime).toBe(await inspector.startTime(process.pid));
    await lock.release();
  });

  it('treats a malformed lock file as stale', async () => {
    const path = join(directory, 'default.lock');

    await writeFile(path, 'not json');

    const lock = new VmLock(path, inspector);

    await lock.acquire('start');
    await lock.release();

    expect(await readdir(directory)).toEqual([]);
  });

  // JSON.parse accepts most of these, and a record of the wrong shape must not crash acquire() or liveOwner().
  it.each(['', 'null', '42', '[]', '"text"', '{"pid":"1"}', '{"pid":1}'])('treats lock content %j as stale', async (content) => {
    const path = join(directory, 'default.lock');

    await writeFile(path, content);

    const lock = new VmLock(path, inspector);

    expect(await lock.liveOwner()).toBeUndefined();
    await lock.acquire('start');
    await lock.release();
    expect(await readdir(directory)).toEqual([]);
  });

  it('derives status from the live lock holder, nothing stale', async () => {
    const backend = new MemoryBackend('default');
    const vm = createManagedVm(backend, { lockDirectory: directory, inspector });
    const child = await startChild(holdLock, [join(directory, 'default.lock'), 'start'], 'locked');

    expect(await vm.status()).toEqual({ state: 'starting', pid: child.pid });
    await expect(vm.start()).rejects.toMatchObject({ code: 'VM_ERR_LOCKED' });

    await killHard(child);

    expect(await vm.status()).toEqual({ state: 'stopped', exists: false });
    await expect(vm.start()).resolves.toMatchObject({ state: 'running' });
  });
});

describe('process inspectors', () => {
  it('agree on this process and on a finished one', async () => {
    const finished = await execa('sh', ['-c', 'echo $$']);
    const finishedPid = Number(finished.stdout);

    for (const inspector of [new ProcProcessInspector(), new PsProcessInspector()]) {
      const first = await inspector.startTime(process.pid);

      expect(first).toEqual(expect.any(String));
      expect(await inspector.startTime(process.pid)).toBe(first);
      expect(await inspector.startTime(finishedPid)).toBeUndefined();
    }
  });

  it('reads a command name with spaces and parentheses', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'vm-core-comm-'));
    const program = join(folder, 'x) (y z');

    await symlink('/bin/sleep', program);

    const child = execa(program, ['5'], { reject: false });

    try {
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(await readFile(`/proc/${child.pid}/stat`, 'utf8')).toContain('(x) (y z)');
      expect(await new ProcProcessInspector().startTime(child.pid!)).toMatch(/^[0-9a-f-]+:\d+$/);
    } finally {
      child.kill('SIGKILL');
      await child;
      await rm(folder, { recursive: true });
    }
  });
});
