import { StreamError } from '../errors.js';
import { U64_MAX } from './messages.js';

/** Throws `STREAM_ERR_INVALID_FIELD` unless `value` is an integer in `[min, max]`. */
export function checkInteger(message: string, field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StreamError(
      'STREAM_ERR_INVALID_FIELD',
      `Invalid ${message} ${field} ${value}: it must be an integer from ${min} to ${max}.`,
    );
  }
}

/** Throws `STREAM_ERR_INVALID_FIELD` unless `value` fits a u64. */
export function checkU64(message: string, field: string, value: bigint): void {
  if (value < 0n || value > U64_MAX) {
    throw new StreamError(
      'STREAM_ERR_INVALID_FIELD',
      `Invalid ${message} ${field} ${value}: it must be from 0 to 2^64 - 1.`,
    );
  }
}

/** Throws `STREAM_ERR_INVALID_FIELD` unless a decoded field is at least `min`. */
export function checkMinimum(message: string, field: string, value: number, min: number): void {
  if (value < min) {
    throw new StreamError('STREAM_ERR_INVALID_FIELD', `Invalid ${message} ${field} ${value}: it must be at least ${min}.`);
  }
}

/** Throws `STREAM_ERR_TOO_LARGE` when a length field passes its limit, before the bytes it counts are read. */
export function checkMaxLength(message: string, field: string, length: number, max: number): void {
  if (length > max) {
    throw new StreamError(
      'STREAM_ERR_TOO_LARGE',
      `Invalid ${message} ${field}: it has ${length} bytes, but at most ${max} are allowed.`,
    );
  }
}

/** Throws `STREAM_ERR_INVALID_FIELD` unless every byte of an ASCII field passes `allowed`. */
export function checkAscii(message: string, field: string, bytes: Uint8Array, allowed: (byte: number) => boolean): void {
  for (const [index, byte] of bytes.entries()) {
    if (!allowed(byte)) {
      throw new StreamError(
        'STREAM_ERR_INVALID_FIELD',
        `Invalid ${message} ${field}: byte ${index} is 0x${byte.toString(16).padStart(2, '0')}, which is not allowed.`,
      );
    }
  }
}

/** Converts an ASCII string to bytes, rejecting characters above 0x7f or outside `allowed`. */
export function asciiBytes(message: string, field: string, text: string, allowed: (byte: number) => boolean): Uint8Array {
  const bytes = new Uint8Array(text.length);

  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);

    if (code > 0x7f || !allowed(code)) {
      throw new StreamError(
        'STREAM_ERR_INVALID_FIELD',
        `Invalid ${message} ${field} ${JSON.stringify(text)}: character ${index} is not allowed.`,
      );
    }

    bytes[index] = code;
  }

  return bytes;
}

/** Converts bytes that `checkAscii` accepted to a string. */
export function asciiText(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** Reports whether a byte is visible ASCII, 0x21 (`!`) to 0x7e (`~`), the characters allowed in a codec string. */
export function isVisibleAscii(code: number): boolean {
  return code >= 0x21 && code <= 0x7e;
}

/** Reports whether a byte may appear in a client id: a letter, a digit, '.', '_' or '-'. */
export function isClientIdCharacter(code: number): boolean {
  const letter = (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  const digit = code >= 0x30 && code <= 0x39;

  return letter || digit || code === 0x2e || code === 0x5f || code === 0x2d;
}

/** Reports whether a byte may appear in a DOM `KeyboardEvent.code`: a letter or a digit. */
export function isKeyCodeCharacter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
}

/**
 * Throws `STREAM_ERR_INVALID_FIELD` unless `data` starts with an Annex-B start code (`00 00 01` or `00 00 00 01`) and
 * contains more than the start code.
 */
export function checkAccessUnit(data: Uint8Array): void {
  if (data.length === 0) {
    throw new StreamError(
      'STREAM_ERR_INVALID_FIELD',
      'Invalid video message data: the access unit is empty. A video message carries one access unit.',
    );
  }

  const prefixLength = data[0] === 0 && data[1] === 0 && data[2] === 1 ? 3 : 4;
  const startCode = prefixLength === 3 || (data[0] === 0 && data[1] === 0 && data[2] === 0 && data[3] === 1);

  if (!startCode || data.length <= prefixLength) {
    const head = Array.from(data.subarray(0, 4), (byte) => byte.toString(16).padStart(2, '0')).join(' ');

    throw new StreamError(
      'STREAM_ERR_INVALID_FIELD',
      `Invalid video message data starting with ${head} (${data.length} bytes): it must be one access unit in ` +
        'Annex-B form, starting with a start code 00 00 01 or 00 00 00 01 and a NAL unit. Use toAnnexB.',
    );
  }
}
