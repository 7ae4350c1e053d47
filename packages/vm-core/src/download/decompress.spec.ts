import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { VmError } from '../errors.js';
import { decompressFile } from './decompress.js';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

const MiB = 1024 * 1024;

/** Writes `member` into the FIFO `count` times, and resolves with the bytes written before the reader closed it. */
async function feedFifo(path: string, member: Buffer, count: number): Promise<number> {
  // Opening a FIFO for writing waits for the reader, in the thread pool.
  const handle = await open(path, 'w');
  let written = 0;

  try {
    for (let index = 0; index < count; index += 1) {
      await handle.write(member);
      written += member.length;
    }
  } catch (error) {
    // EPIPE: the reader closed the FIFO before taking every byte.
    expect((error as NodeJS.ErrnoException).code).toBe('EPIPE');
  } finally {
    await handle.close();
  }

  return written;
}

describe('decompressFile', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'vm-core-decompress-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('stops reading once the output passes decompressed_size', async () => {
    // Concatenated gzip members form one valid gzip stream: 100 members of 10 MiB of zeros expand to 1000 MiB.
    const member = gzipSync(Buffer.alloc(10 * MiB));
    const count = 100;
    const source = join(directory, 'bomb.img.gz');

    // A FIFO shows how much input the decompressor took before it stopped: the writer gets EPIPE at that point.
    execFileSync('mkfifo', [source]);

    const file = {
      name: 'bomb.img.gz',
      size: member.length * count,
      sha256: createHash('sha256').update('unused').digest('hex'),
      compression: 'gzip' as const,
      decompressed_size: 10,
    };
    const [outcome, written] = await Promise.all([
      decompressFile(file, source, join(directory, 'bomb.img'), new AbortController().signal).then(
        () => undefined,
        (error: unknown) => error,
      ),
      feedFifo(source, member, count),
    ]);

    expect(outcome).toBeInstanceOf(VmError);
    expect((outcome as VmError).code).toBe('VM_ERR_DOWNLOAD_SIZE');
    expect((outcome as VmError).message).toContain('more than 10 bytes');
    // The pipe and the read stream buffer some input, but far less than a tenth of it.
    expect(written).toBeLessThan((member.length * count) / 10);
    expect(await readdir(directory)).toEqual(['bomb.img.gz']);
  }, 30_000);

  it('stops a zstd file past decompressed_size', async () => {
    // A zstd frame of 4096 RLE blocks of 128 KiB zeros: 12 KiB that expand to 512 MiB. The frame header is the magic
    // number, a descriptor without content size, and a window of 128 KiB. Each block header is 3 bytes, little endian:
    // last-block bit, block type 1 (RLE), and the block size from bit 3. The block content is the byte to repeat.
    const blockCount = 4096;
    const blocks = Array.from({ length: blockCount }, (_, index) => {
      const header = (index === blockCount - 1 ? 1 : 0) | (1 << 1) | (128 * 1024 * 8);

      return Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0]);
    });
    const bomb = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]), ...blocks]);
    const source = join(directory, 'bomb.img.zst');

    await writeFile(source, bomb);

    const file = {
      name: 'bomb.img.zst',
      size: bomb.length,
      sha256: createHash('sha256').update(bomb).digest('hex'),
      compression: 'zstd' as const,
      decompressed_size: 10,
    };
    const outcome = await decompressFile(file, source, join(directory, 'bomb.img'), new AbortController().signal).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(outcome).toBeInstanceOf(VmError);
    expect((outcome as VmError).code).toBe('VM_ERR_DOWNLOAD_SIZE');
    expect((outcome as VmError).message).toContain('more than 10 bytes');
    expect(await readdir(directory)).toEqual(['bomb.img.zst']);
  });

  it('stops at the free space without decompressed_size', async () => {
    const source = join(directory, 'big.img.gz');
    const compressed = gzipSync(Buffer.alloc(4 * MiB));

    await writeFile(source, compressed);

    const file = {
      name: 'big.img.gz',
      size: compressed.length,
      sha256: createHash('sha256').update(compressed).digest('hex'),
      compression: 'gzip' as const,
    };
    const outcome = await decompressFile(file, source, join(directory, 'big.img'), new AbortController().signal, MiB).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(outcome).toBeInstanceOf(VmError);
    expect((outcome as VmError).code).toBe('VM_ERR_NO_SPACE');
    expect((outcome as VmError).message).toContain(`more than the ${MiB} bytes`);
    expect(await readdir(directory)).toEqual(['big.img.gz']);
  });
});
