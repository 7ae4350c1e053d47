import { link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VmError } from '../errors.js';
import { createNewFile, openExistingFile } from './no-follow.js';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

describe('no-follow file helpers', () => {
  let directory: string;
  let outside: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'vm-core-no-follow-'));
    outside = join(directory, 'outside.txt');
    await writeFile(outside, 'outside\n');
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('createNewFile replaces a hard-linked file', async () => {
    const path = join(directory, 'disk.img.part');

    await link(outside, path);

    const handle = await createNewFile(path);

    await handle.writeFile('new');
    await handle.close();

    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readFile(outside, 'utf8')).toBe('outside\n');
  });

  it.each([
    ['createNewFile', createNewFile],
    ['openExistingFile', openExistingFile],
  ])('%s rejects a symlink', async (_name, openFile) => {
    const path = join(directory, 'disk.img.part');

    await symlink(outside, path);

    const error = await openFile(path).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(VmError);
    expect((error as VmError).code).toBe('VM_ERR_IO');
    expect((error as VmError).message).toContain(`${path} is a symbolic link`);
    expect(await readFile(outside, 'utf8')).toBe('outside\n');
  });

  it('createNewFile rejects a folder', async () => {
    const path = join(directory, 'disk.img.part');

    await mkdir(path);

    const error = await createNewFile(path).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect((error as VmError).message).toContain(`${path} is a folder`);
  });
});
