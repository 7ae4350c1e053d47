import { assertLeadingZeros, findStartCode, trimTrailingZeros } from './start-code.js';

const MIN_CAPACITY = 64 * 1024;

/**
 * Splits an Annex-B byte stream that arrives in chunks into NAL units, with the same result as `splitNalUnits` on the
 * whole stream for any chunking. A NAL unit is complete when the next start code arrives, or on `flush`.
 *
 * Returned NAL units are views into an internal buffer. The reader never writes over bytes it has returned, because
 * it allocates a new buffer whenever it needs room, so the views stay valid.
 */
export class AnnexBReader {
  private buffer = new Uint8Array(0);

  /** Offset in `buffer` of the first byte not yet returned or discarded. */
  private start = 0;

  /** Number of bytes written to `buffer`. */
  private length = 0;

  /** Offset in `buffer` of the current NAL unit's header byte, or -1 before the first start code. */
  private nalStart = -1;

  /** Offset in `buffer` where the next start-code search begins. */
  private scanFrom = 0;

  /** Offset in the whole byte stream of `buffer[0]`, for error messages. */
  private streamOffset = 0;

  /**
   * Appends a chunk of the byte stream.
   *
   * @returns the NAL units completed by this chunk
   * @throws StreamError `STREAM_ERR_INVALID_ANNEX_B` when a non-zero byte comes before the first start code
   */
  push(chunk: Uint8Array): Uint8Array[] {
    this.append(chunk);

    if (this.nalStart === -1 && !this.findFirstStartCode()) {
      return [];
    }

    const nalUnits: Uint8Array[] = [];

    for (;;) {
      const nextStartCode = findStartCode(this.buffer, this.scanFrom, this.length);

      if (nextStartCode === -1) {
        // Keep the last two bytes in the search because they may begin a start code that the next chunk completes.
        this.scanFrom = Math.max(this.nalStart, this.length - 2);
        return nalUnits;
      }

      this.collect(nalUnits, nextStartCode);
      this.nalStart = nextStartCode + 3;
      this.scanFrom = this.nalStart;
      this.start = this.nalStart;
    }
  }

  /**
   * Ends the byte stream and resets the reader for a new one.
   *
   * @returns the last NAL unit, which ends at the end of the stream, or nothing when there is none
   */
  flush(): Uint8Array[] {
    const nalUnits: Uint8Array[] = [];

    if (this.nalStart !== -1) {
      this.collect(nalUnits, this.length);
    }

    this.buffer = new Uint8Array(0);
    this.start = 0;
    this.length = 0;
    this.nalStart = -1;
    this.scanFrom = 0;
    this.streamOffset = 0;
    return nalUnits;
  }

  private findFirstStartCode(): boolean {
    const firstStartCode = findStartCode(this.buffer, this.scanFrom, this.length);

    if (firstStartCode === -1) {
      assertLeadingZeros(this.buffer, this.start, this.length, this.streamOffset);
      this.start = Math.max(this.start, this.length - 2);
      this.scanFrom = this.start;
      return false;
    }

    assertLeadingZeros(this.buffer, this.start, firstStartCode, this.streamOffset);
    this.nalStart = firstStartCode + 3;
    this.scanFrom = this.nalStart;
    this.start = this.nalStart;
    return true;
  }

  private collect(nalUnits: Uint8Array[], end: number): void {
    const nalEnd = trimTrailingZeros(this.buffer, this.nalStart, end);

    if (nalEnd > this.nalStart) {
      nalUnits.push(this.buffer.subarray(this.nalStart, nalEnd));
    }
  }

  private append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.buffer.length) {
      const pendingLength = this.length - this.start;
      const grown = new Uint8Array(Math.max(MIN_CAPACITY, 2 * (pendingLength + chunk.length)));

      grown.set(this.buffer.subarray(this.start, this.length));
      this.streamOffset += this.start;
      this.nalStart = this.nalStart === -1 ? -1 : this.nalStart - this.start;
      this.scanFrom -= this.start;
      this.length = pendingLength;
      this.start = 0;
      this.buffer = grown;
    }

    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }
}
