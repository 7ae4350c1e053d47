import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { PrefixHasher, writePiecesFully } from './prefix-hasher.js';

describe('PrefixHasher', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'vm-core-hasher-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('hashes a file written out of order', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 7);
    const path = join(folder, 'file.part');
    const handle = await open(path, 'w+');
    const third = Math.floor(data.length / 3);

    await handle.truncate(data.length);

    const hasher = new PrefixHasher(path);

    await writePiecesFully(handle, [data.subarray(2 * third)], 2 * third);
    await writePiecesFully(handle, [data.subarray(0, 1000), data.subarray(1000, third)], 0);
    hasher.advanceTo(third);
    await writePiecesFully(handle, [data.subarray(third, 2 * third)], third);
    hasher.advanceTo(2 * third);

    const digest = await hasher.digest(data.length);

    await handle.close();

    expect(digest).toBe(createHash('sha256').update(data).digest('hex'));
    expect(await readFile(path)).toHaveLength(data.length);
  });

  it('reports a file shorter than the digest size', async () => {
    const path = join(folder, 'short.part');
    const handle = await open(path, 'w+');

    await handle.write(Buffer.from('short'));
    await handle.close();

    await expect(new PrefixHasher(path).digest(100)).rejects.toThrow('ended at byte 5');
  });
});
