/** Collects the latest bytes of one output stream up to a byte limit, dropping the oldest beyond it. */
export class OutputCollector {
  private chunks: Buffer[] = [];
  private length = 0;

  /** @param maxBytes - how many of the latest bytes to keep */
  constructor(private readonly maxBytes: number) {}

  /** Appends a chunk, then drops whole chunks from the front while the rest still exceeds the limit. */
  append(chunk: Uint8Array): void {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

    this.chunks.push(buffer);
    this.length += buffer.length;

    for (let first = this.chunks[0]; this.length > this.maxBytes && first !== undefined; first = this.chunks[0]) {
      const excess = this.length - this.maxBytes;

      if (first.length <= excess) {
        this.chunks.shift();
        this.length -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.length -= excess;
      }
    }
  }

  /** Returns the kept bytes as UTF-8 text. A character cut at the start becomes U+FFFD. */
  toString(): string {
    return Buffer.concat(this.chunks, this.length).toString('utf8');
  }
}
