import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cacheKey, hashFolder, type RootfsInputs } from './cache-key.js';

const inputs: RootfsInputs = {
  builderVersion: 1,
  base: { distribution: 'debian', suite: 'bookworm', mirror: 'http://mirror.example/debian', components: ['main'] },
  packages: ['xvfb', 'openbox'],
  bundleSha256: '0'.repeat(64),
};

describe('cacheKey', () => {
  it('is 12 hex digits', () => {
    expect(cacheKey(inputs)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('ignores package order and duplicates', () => {
    expect(cacheKey({ ...inputs, packages: ['openbox', 'xvfb', 'xvfb'] })).toBe(cacheKey(inputs));
  });

  it.each<[string, Partial<RootfsInputs>]>([
    ['builder version', { builderVersion: 2 }],
    ['suite', { base: { ...inputs.base, suite: 'trixie' } }],
    ['mirror', { base: { ...inputs.base, mirror: 'http://other.example/debian' } }],
    ['distribution', { base: { ...inputs.base, distribution: 'ubuntu' } }],
    ['components', { base: { ...inputs.base, components: ['main', 'contrib'] } }],
    ['packages', { packages: ['xvfb', 'openbox', 'xterm'] }],
    ['bundle', { bundleSha256: '1'.repeat(64) }],
  ])('changes with the %s', (_, change) => {
    expect(cacheKey({ ...inputs, ...change })).not.toBe(cacheKey(inputs));
  });
});

describe('hashFolder', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'deskvm-rootfs-hash-'));
    await mkdir(join(folder, 'viewer'));
    await writeFile(join(folder, 'entry.mjs'), 'console.log(1);\n');
    await writeFile(join(folder, 'viewer', 'viewer.html'), '<!doctype html>\n');
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('is stable for the same content', async () => {
    expect(await hashFolder(folder)).toBe(await hashFolder(folder));
  });

  it('ignores a trailing slash', async () => {
    expect(await hashFolder(`${folder}/`)).toBe(await hashFolder(folder));
  });

  it('changes with a file content', async () => {
    const before = await hashFolder(folder);

    await writeFile(join(folder, 'viewer', 'viewer.html'), '<!doctype html>\n<title>x</title>\n');

    expect(await hashFolder(folder)).not.toBe(before);
  });

  it('changes with a file name', async () => {
    const before = await hashFolder(folder);

    await writeFile(join(folder, 'extra.js'), '');

    expect(await hashFolder(folder)).not.toBe(before);
  });

  it('changes with the executable bit', async () => {
    const before = await hashFolder(folder);

    await chmod(join(folder, 'entry.mjs'), 0o755);

    expect(await hashFolder(folder)).not.toBe(before);
  });

  it('changes with a link target', async () => {
    await symlink('entry.mjs', join(folder, 'link'));
    const before = await hashFolder(folder);

    await rm(join(folder, 'link'));
    await symlink('viewer/viewer.html', join(folder, 'link'));

    expect(await hashFolder(folder)).not.toBe(before);
  });
});
