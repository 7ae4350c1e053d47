import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

const READ_BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * Computes the SHA-256 of a file that is being written out of order, while it is written: each call hashes the
 * newly completed prefix of the file, read back from the file (from the page cache, as it was just written).
 * Calls are queued, so the hash always advances in file order.
 */
export class PrefixHasher {
  private readonly hash: Hash = createHash('sha256');
  private hashedBytes = 0;
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly block = Buffer.allocUnsafe(READ_BLOCK_BYTES);

  constructor(private readonly handle: FileHandle) {}

  /** Queues hashing up to byte `end` (exclusive). Returns at once; `digest` waits for the queue. */
  advanceTo(end: number): void {
    this.queue = this.queue.then(() => this.hashUpTo(end)).catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /** Waits for queued hashing, checks that `size` bytes were hashed, and returns the digest in lowercase hex. */
  async digest(size: number): Promise<string> {
    this.advanceTo(size);
    await this.queue;

    if (this.failure !== undefined) {
      throw this.failure;
    }

    return this.hash.digest('hex');
  }

  private async hashUpTo(end: number): Promise<void> {
    while (this.hashedBytes < end) {
      const length = Math.min(this.block.length, end - this.hashedBytes);
      const { bytesRead } = await this.handle.read(this.block, 0, length, this.hashedBytes);

      if (bytesRead === 0) {
        throw new Error(`The partial file ended at byte ${this.hashedBytes} while hashing up to ${end}.`);
      }

      this.hash.update(this.block.subarray(0, bytesRead));
      this.hashedBytes += bytesRead;
    }
  }
}

/** Writes all of `data` at `position`, looping over short writes. */
export async function writeFully(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  let offset = 0;

  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, position + offset);

    offset += bytesWritten;
  }
}
