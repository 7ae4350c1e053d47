import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { mergeManifestEntry, readManifest, writeManifest, type RootfsManifestEntry } from './manifest.js';

const base = { distribution: 'debian' as const, suite: 'bookworm', mirror: 'http://mirror.example/debian', components: ['main'] };

function entry(name: string, digit: string): RootfsManifestEntry {
  return { name, size: 10, sha256: digit.repeat(64), base, createdAt: '2026-12-04T00:00:00.000Z' };
}

describe('manifest', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'deskvm-rootfs-manifest-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('merge replaces the same name', () => {
    const manifest = { version: 1, files: [entry('a.tar', '1'), entry('b.tar', '2')] };

    const merged = mergeManifestEntry(manifest, entry('a.tar', '3'));

    expect(merged.files.map((file) => [file.name, file.sha256[0]])).toEqual([['b.tar', '2'], ['a.tar', '3']]);
    expect(manifest.files).toHaveLength(2);
  });

  it('merge keeps other entries', () => {
    const merged = mergeManifestEntry({ version: 1, files: [entry('a.tar', '1')] }, entry('b.tar', '2'));

    expect(merged.files.map((file) => file.name)).toEqual(['a.tar', 'b.tar']);
  });

  it('reads a missing file as empty', async () => {
    expect(await readManifest(join(folder, 'manifest.json'))).toEqual({ version: 1, files: [] });
  });

  it('round-trips through the file', async () => {
    const path = join(folder, 'manifest.json');
    const manifest = { version: 1, files: [entry('a.tar', 'a')] };

    await writeManifest(path, manifest);

    expect(await readManifest(path)).toEqual(manifest);
    expect(await readFile(path, 'utf8')).toMatch(/\n$/);
  });

  it('rejects malformed JSON with the fix', async () => {
    const path = join(folder, 'manifest.json');
    await writeFile(path, '{"files": [');

    await expect(readManifest(path)).rejects.toMatchObject({ code: 'ROOTFS_ERR_IO', message: expect.stringContaining('Delete it') });
  });

  it('rejects an entry without a SHA-256', async () => {
    const path = join(folder, 'manifest.json');
    await writeFile(path, JSON.stringify({ version: 1, files: [{ ...entry('a.tar', '1'), sha256: 'xyz' }] }));

    await expect(readManifest(path)).rejects.toMatchObject({ code: 'ROOTFS_ERR_IO' });
  });
});
