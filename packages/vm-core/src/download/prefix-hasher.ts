import type { FileHandle } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

// The hashing thread's source, evaluated as a CommonJS script. Messages arrive in order and each is handled to the
// end before the next, so the hash always advances in file order. It reads with positioned reads, so the writer's
// file offset does not matter.
const HASHING_THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const hash = createHash('sha256');
const block = Buffer.allocUnsafe(4 * 1024 * 1024);
const fd = openSync(workerData.path, 'r');
let hashed = 0;
parentPort.on('message', (message) => {
  try {
    while (hashed < message.end) {
      const read = readSync(fd, block, 0, Math.min(block.length, message.end - hashed), hashed);
      if (read === 0) throw new Error('The partial file ended at byte ' + hashed + ' while hashing up to ' + message.end + '.');
      hash.update(block.subarray(0, read));
      hashed += read;
    }
    if (message.digest) {
      closeSync(fd);
      parentPort.postMessage({ digest: hash.digest('hex') });
    }
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
`;

/**
 * Computes the SHA-256 of a file that is written out of order, while it is written. Each call hashes the newly
 * completed prefix, read back from the file (usually from the page cache). A worker thread does the reading and
 * hashing, so the downloads on the main thread do not wait for it.
 */
export class PrefixHasher {
  private readonly worker: Worker;
  private readonly result: Promise<string>;

  /** @param path - the file being written */
  constructor(path: string) {
    this.worker = new Worker(HASHING_THREAD_SOURCE, { eval: true, workerData: { path } });
    this.result = new Promise<string>((resolve, reject) => {
      this.worker.on('message', (message: { digest?: string; error?: string }) => {
        if (message.error !== undefined) {
          reject(new Error(`Hashing failed: ${message.error}`));
        } else if (message.digest !== undefined) {
          resolve(message.digest);
        }
      });
      this.worker.on('error', reject);
      this.worker.on('exit', () => reject(new Error('The hashing thread ended before the digest.')));
    });
    // A download that fails before `digest` never reads the result; this keeps that rejection from being unhandled.
    this.result.catch(() => undefined);
  }

  /** Queues hashing up to byte `end` (exclusive). Returns at once; `digest` waits for the queue. */
  advanceTo(end: number): void {
    this.worker.postMessage({ end, digest: false });
  }

  /** Waits for queued hashing up to `size` bytes and returns the digest in lowercase hex. */
  async digest(size: number): Promise<string> {
    this.worker.postMessage({ end: size, digest: true });

    try {
      return await this.result;
    } finally {
      await this.close();
    }
  }

  /** Ends the hashing thread. Safe to call more than once. */
  async close(): Promise<void> {
    await this.worker.terminate();
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

/** Writes consecutive `pieces` at `position` with one writev call, finishing a short write piece by piece. */
export async function writePiecesFully(handle: FileHandle, pieces: readonly Buffer[], position: number): Promise<void> {
  const { bytesWritten } = await handle.writev([...pieces], position);
  let skipped = 0;

  for (const piece of pieces) {
    const pieceStart = skipped;

    skipped += piece.length;

    if (skipped <= bytesWritten) {
      continue;
    }

    const alreadyWritten = Math.max(0, bytesWritten - pieceStart);

    await writeFully(handle, piece.subarray(alreadyWritten), position + pieceStart + alreadyWritten);
  }
}
