import { isContinuationByte } from '../logs/utf8.js';

/**
 * Collects the latest bytes of one output stream up to a byte limit, dropping the oldest beyond it. The cut moves
 * forward to the next UTF-8 character boundary, so the text never starts with half a character.
 *
 * Unlike `LogRingBuffer`, it allocates only for the bytes received, because each command gets two collectors whose
 * limit (16 MiB by default) is rarely reached.
 */
export class OutputCollector {
  private chunks: Buffer[] = [];
  private length = 0;

  /** @param maxBytes - how many of the latest bytes to keep */
  constructor(private readonly maxBytes: number) {}

  /** Appends a chunk, then drops the oldest bytes while the rest still exceeds the limit. */
  append(chunk: Uint8Array): void {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

    this.chunks.push(buffer);
    this.length += buffer.length;

    if (this.length > this.maxBytes) {
      this.dropFront(this.length - this.maxBytes);
      // The cut may have split a character, whose remaining bytes may continue into the next chunk.
      this.dropFront(this.countLeadingContinuationBytes());
    }
  }

  /**
   * Returns the kept bytes as UTF-8 text. An invalid sequence, or a character cut at the end because the stream ended
   * in the middle of it, becomes U+FFFD.
   */
  toString(): string {
    return Buffer.concat(this.chunks, this.length).toString('utf8');
  }

  private dropFront(byteCount: number): void {
    let remaining = byteCount;

    for (let first = this.chunks[0]; remaining > 0 && first !== undefined; first = this.chunks[0]) {
      if (first.length <= remaining) {
        this.chunks.shift();
        this.length -= first.length;
        remaining -= first.length;
      } else {
        this.chunks[0] = first.subarray(remaining);
        this.length -= remaining;
        remaining = 0;
      }
    }
  }

  // A UTF-8 character has at most 3 continuation bytes, so at most 3 are counted.
  private countLeadingContinuationBytes(): number {
    let count = 0;

    for (const chunk of this.chunks) {
      for (const byte of chunk) {
        if (count === 3 || !isContinuationByte(byte)) {
          return count;
        }

        count += 1;
      }
    }

    return count;
  }
}
