import { StreamError } from '../errors.js';

/**
 * Encodes a string as UTF-8. Written here instead of using `TextEncoder` because this package targets plain ECMAScript
 * and has no DOM or Node types. A lone surrogate is rejected instead of being replaced, so text never changes silently.
 *
 * @throws StreamError `STREAM_ERR_INVALID_FIELD` naming `field` when the string contains a lone surrogate
 */
export function encodeUtf8(text: string, field: string): Uint8Array {
  const bytes: number[] = [];

  for (let index = 0; index < text.length; index += 1) {
    const codePoint = text.codePointAt(index) as number;

    if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      throw new StreamError(
        'STREAM_ERR_INVALID_FIELD',
        `Invalid ${field}: character ${index} is a lone UTF-16 surrogate, which UTF-8 cannot encode.`,
      );
    }

    if (codePoint > 0xffff) {
      index += 1;
    }

    if (codePoint < 0x80) {
      bytes.push(codePoint);
    } else if (codePoint < 0x800) {
      bytes.push(0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f));
    } else if (codePoint < 0x10000) {
      bytes.push(0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f));
    } else {
      bytes.push(
        0xf0 | (codePoint >> 18),
        0x80 | ((codePoint >> 12) & 0x3f),
        0x80 | ((codePoint >> 6) & 0x3f),
        0x80 | (codePoint & 0x3f),
      );
    }
  }

  return Uint8Array.from(bytes);
}

/**
 * Decodes strict UTF-8: overlong forms, surrogates, code points above U+10FFFF and cut sequences are rejected.
 *
 * @throws StreamError `STREAM_ERR_INVALID_FIELD` naming `field` and the byte offset of the first invalid sequence
 */
export function decodeUtf8(bytes: Uint8Array, field: string): string {
  const codePoints: number[] = [];
  let index = 0;

  while (index < bytes.length) {
    const lead = bytes[index] as number;
    const length = sequenceLength(lead);
    const codePoint = length === 0 ? undefined : readSequence(bytes, index, length);

    if (codePoint === undefined) {
      throw new StreamError(
        'STREAM_ERR_INVALID_FIELD',
        `Invalid ${field}: the bytes at offset ${index} are not valid UTF-8.`,
      );
    }

    codePoints.push(codePoint);
    index += length;
  }

  let text = '';

  for (let start = 0; start < codePoints.length; start += 4096) {
    text += String.fromCodePoint(...codePoints.slice(start, start + 4096));
  }

  return text;
}

const MIN_CODE_POINT = [0, 0, 0x80, 0x800, 0x10000];

function readSequence(bytes: Uint8Array, start: number, length: number): number | undefined {
  if (start + length > bytes.length) {
    return undefined;
  }

  const lead = bytes[start] as number;
  let codePoint = length === 1 ? lead : lead & (0xff >> (length + 1));

  for (let offset = 1; offset < length; offset += 1) {
    const byte = bytes[start + offset] as number;

    if ((byte & 0xc0) !== 0x80) {
      return undefined;
    }

    codePoint = (codePoint << 6) | (byte & 0x3f);
  }

  const overlong = codePoint < (MIN_CODE_POINT[length] as number);
  const surrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;

  return overlong || surrogate || codePoint > 0x10ffff ? undefined : codePoint;
}

/** Returns the length of the UTF-8 sequence that starts with `lead`, or 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) {
    return 1;
  }

  if (lead >= 0xc2 && lead <= 0xdf) {
    return 2;
  }

  if (lead >= 0xe0 && lead <= 0xef) {
    return 3;
  }

  if (lead >= 0xf0 && lead <= 0xf4) {
    return 4;
  }

  return 0;
}
