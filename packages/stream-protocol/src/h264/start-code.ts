import { StreamError, formatByte } from '../errors.js';

/**
 * Finds the next 3-byte start code prefix `00 00 01` in `bytes[from, end)`.
 *
 * @returns the index of its first `00` byte, or -1 when the range contains none
 */
export function findStartCode(bytes: Uint8Array, from: number, end: number): number {
  let index = from;

  while (index + 2 < end) {
    const third = bytes[index + 2];

    // A byte above 0x01 at index + 2 rules out a start code beginning at index, index + 1 or index + 2.
    if (third > 1) {
      index += 3;
    } else if (third === 1 && bytes[index] === 0 && bytes[index + 1] === 0) {
      return index;
    } else {
      index += 1;
    }
  }

  return -1;
}

/**
 * Returns the end of a NAL unit payload after dropping the zero bytes before the next start code. A NAL unit never
 * ends with 0x00, so these are `trailing_zero_8bits` or the `zero_byte` of a 4-byte start code.
 */
export function trimTrailingZeros(bytes: Uint8Array, start: number, end: number): number {
  let trimmedEnd = end;

  while (trimmedEnd > start && bytes[trimmedEnd - 1] === 0) {
    trimmedEnd -= 1;
  }

  return trimmedEnd;
}

/**
 * Checks that `bytes[from, end)` holds only `leading_zero_8bits`, which are the only bytes allowed before the first
 * start code of an Annex-B byte stream.
 *
 * @param streamOffset - the offset of `bytes[0]` in the whole byte stream, for the error message
 * @throws StreamError `STREAM_ERR_INVALID_ANNEX_B` at the first non-zero byte
 */
export function assertLeadingZeros(bytes: Uint8Array, from: number, end: number, streamOffset: number): void {
  for (let index = from; index < end; index += 1) {
    if (bytes[index] !== 0) {
      throw new StreamError(
        'STREAM_ERR_INVALID_ANNEX_B',
        `Invalid Annex-B byte stream: found byte ${formatByte(bytes[index])} at offset ${streamOffset + index} ` +
          'before the first start code (00 00 01). Pass H.264 in byte-stream format ' +
          '(h264parse ! video/x-h264,stream-format=byte-stream), not avc (length-prefixed) format.',
      );
    }
  }
}
