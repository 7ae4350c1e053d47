import { StreamError } from '../errors.js';
import { PROTOCOL_VERSION, U64_MAX } from './messages.js';

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

/** Throws `STREAM_ERR_UNSUPPORTED_VERSION` unless `version` is `PROTOCOL_VERSION`. */
export function checkVersion(version: number): void {
  if (version !== PROTOCOL_VERSION) {
    throw new StreamError(
      'STREAM_ERR_UNSUPPORTED_VERSION',
      `Unsupported ServerHello version ${version}: this @deskvm/stream-protocol supports version ` +
        `${PROTOCOL_VERSION}. Use the same package version on server and client.`,
    );
  }
}

/** Reports whether a byte is visible ASCII, 0x21 (`!`) to 0x7e (`~`), the characters allowed in a codec string. */
export function isVisibleAscii(code: number): boolean {
  return code >= 0x21 && code <= 0x7e;
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
