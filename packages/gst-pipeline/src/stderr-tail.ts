/** Default size of the stderr tail in bytes: 8 KiB. */
export const DEFAULT_STDERR_TAIL_BYTES = 8 * 1024;

/** Keeps the last bytes written to a stream, so that an error can quote them without unbounded memory. */
export class StderrTail {
  private tail: Buffer = Buffer.alloc(0);

  /** @param maxBytes - how many of the latest bytes to keep; default 8192 */
  constructor(private readonly maxBytes = DEFAULT_STDERR_TAIL_BYTES) {}

  /** Appends a chunk, dropping the oldest bytes beyond `maxBytes`. */
  append(chunk: Uint8Array | string): void {
    const joined = Buffer.concat([this.tail, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);

    this.tail = joined.length > this.maxBytes ? joined.subarray(joined.length - this.maxBytes) : joined;
  }

  /** Returns the kept bytes as UTF-8 text. A character cut at the start becomes U+FFFD. */
  toString(): string {
    return this.tail.toString('utf8');
  }
}
