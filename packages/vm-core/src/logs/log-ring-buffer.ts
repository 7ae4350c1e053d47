import { isContinuationByte } from './utf8.js';

/** Default capacity of a log ring buffer: 256 KiB. */
export const DEFAULT_LOG_CAPACITY_BYTES = 256 * 1024;

/**
 * A bounded log of UTF-8 text that keeps the newest bytes. Chunks may split a multi-byte character, as reads from a
 * pipe or serial console do. The incomplete tail of a chunk is held back until the next chunk completes it. When old
 * bytes are dropped, the cut moves forward to the next character boundary. So reads never return U+FFFD for a
 * character that arrived whole.
 */
export class LogRingBuffer {
  private readonly buffer: Buffer;
  private start = 0;
  private length = 0;
  private carry: Buffer = Buffer.alloc(0);
  private written = 0;

  /** @param capacityBytes - how many bytes to keep; default 262144 (256 KiB); at least 4 */
  constructor(readonly capacityBytes = DEFAULT_LOG_CAPACITY_BYTES) {
    if (!Number.isInteger(capacityBytes) || capacityBytes < 4) {
      throw new RangeError(`Invalid capacityBytes ${capacityBytes}: pass an integer of at least 4.`);
    }

    this.buffer = Buffer.alloc(capacityBytes);
  }

  /** Total bytes committed since creation, including dropped ones. Use it as a cursor for `readSince`. */
  get totalBytes(): number {
    return this.written;
  }

  /** Appends a chunk. A multi-byte character cut at the chunk's end is held until the next chunk. */
  append(chunk: Uint8Array | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    const joined = this.carry.length === 0 ? bytes : Buffer.concat([this.carry, bytes]);
    const complete = completeLength(joined);

    this.carry = Buffer.from(joined.subarray(complete));
    this.commit(joined.subarray(0, complete));
  }

  /** Returns the kept text. */
  text(): string {
    return this.bytes().toString('utf8');
  }

  /** Returns the last `count` lines of the kept text, without a trailing empty line. */
  tailLines(count: number): string {
    const lines = this.text().split('\n');

    if (lines.at(-1) === '') {
      lines.pop();
    }

    return lines.slice(Math.max(0, lines.length - count)).join('\n');
  }

  /**
   * Returns the text committed after `cursor` (a `totalBytes` value read earlier) and the new cursor. When bytes
   * after the cursor were already dropped, the text starts at the oldest kept character and `dropped` counts the loss.
   */
  readSince(cursor: number): { text: string; cursor: number; dropped: number } {
    const oldest = this.written - this.length;
    const from = Math.max(cursor, oldest);
    const unread = this.bytes().subarray(from - oldest);

    return { text: unread.toString('utf8'), cursor: this.written, dropped: from - cursor };
  }

  private commit(bytes: Buffer): void {
    if (bytes.length === 0) {
      return;
    }

    const source = bytes.length > this.capacityBytes ? bytes.subarray(bytes.length - this.capacityBytes) : bytes;

    this.written += bytes.length - source.length;

    const writeAt = (this.start + this.length) % this.capacityBytes;
    const firstPart = Math.min(source.length, this.capacityBytes - writeAt);
    const overflow = Math.max(0, this.length + source.length - this.capacityBytes);

    source.copy(this.buffer, writeAt, 0, firstPart);
    source.copy(this.buffer, 0, firstPart);
    this.start = (this.start + overflow) % this.capacityBytes;
    this.length = Math.min(this.capacityBytes, this.length + source.length);
    this.written += source.length;
    this.dropPartialLead();
  }

  // After old bytes were overwritten, the oldest kept bytes may be UTF-8 continuation bytes, which are dropped.
  private dropPartialLead(): void {
    while (this.length > 0 && isContinuationByte(this.buffer[this.start] ?? 0)) {
      this.start = (this.start + 1) % this.capacityBytes;
      this.length -= 1;
    }
  }

  private bytes(): Buffer {
    const end = this.start + this.length;

    if (end <= this.capacityBytes) {
      return Buffer.from(this.buffer.subarray(this.start, end));
    }

    return Buffer.concat([this.buffer.subarray(this.start), this.buffer.subarray(0, end - this.capacityBytes)]);
  }
}

/** Returns how many leading bytes of `bytes` form whole UTF-8 characters; an incomplete last sequence is excluded. */
function completeLength(bytes: Buffer): number {
  const end = bytes.length;

  // A UTF-8 sequence is at most 4 bytes, so only the last 3 bytes can start an incomplete one.
  for (let index = end - 1; index >= Math.max(0, end - 3); index -= 1) {
    const byte = bytes[index] ?? 0;

    if (isContinuationByte(byte)) {
      continue;
    }

    return end - index >= sequenceLength(byte) ? end : index;
  }

  return end;
}

/** Returns the length of the UTF-8 sequence that starts with `leadByte`. */
function sequenceLength(leadByte: number): number {
  if (leadByte >= 0xf0) {
    return 4;
  }

  if (leadByte >= 0xe0) {
    return 3;
  }

  return leadByte >= 0xc0 ? 2 : 1;
}
