/**
 * Stable error codes of this package. Callers branch on these, never on the message text.
 *
 * - `STREAM_ERR_UNKNOWN_TYPE`: a wire message starts with a type byte that no supported version defines.
 * - `STREAM_ERR_WRONG_DIRECTION`: a wire message goes the other way, such as a server message sent by a client.
 * - `STREAM_ERR_TRUNCATED`: a wire message ends before a field or before the bytes its length field declares.
 * - `STREAM_ERR_TRAILING_BYTES`: a wire message has bytes after its last field (video messages have no such limit).
 * - `STREAM_ERR_TOO_LARGE`: a wire message, or a text field in it, is longer than its limit.
 * - `STREAM_ERR_UNSUPPORTED_VERSION`: a hello carries a protocol version that this package does not support.
 * - `STREAM_ERR_INVALID_FIELD`: a wire message field is out of range (zero size, reserved flag bits, empty access unit,
 *   a disallowed character, invalid UTF-8), on encode or decode.
 * - `STREAM_ERR_INVALID_ANNEX_B`: a byte stream does not start with an Annex-B start code.
 * - `STREAM_ERR_INVALID_NAL_UNIT`: a NAL unit is empty or too short for its type.
 * - `STREAM_ERR_INVALID_SPS`: a sequence parameter set is truncated or carries a reserved or out-of-range value.
 */
export type StreamErrorCode =
  | 'STREAM_ERR_UNKNOWN_TYPE'
  | 'STREAM_ERR_WRONG_DIRECTION'
  | 'STREAM_ERR_TRUNCATED'
  | 'STREAM_ERR_TRAILING_BYTES'
  | 'STREAM_ERR_TOO_LARGE'
  | 'STREAM_ERR_UNSUPPORTED_VERSION'
  | 'STREAM_ERR_INVALID_FIELD'
  | 'STREAM_ERR_INVALID_ANNEX_B'
  | 'STREAM_ERR_INVALID_NAL_UNIT'
  | 'STREAM_ERR_INVALID_SPS';

/** Options of the `StreamError` constructor. */
export interface StreamErrorOptions {
  /** The error that caused this one, kept as `error.cause`. */
  cause?: unknown;
}

/**
 * The one error class of `@deskvm/stream-protocol`. Every function of the package throws only this class for bad input.
 */
export class StreamError extends Error {
  /** Stable code that names the kind of input that was rejected. */
  readonly code: StreamErrorCode;

  constructor(code: StreamErrorCode, message: string, options: StreamErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'StreamError';
    this.code = code;
  }
}

/** Formats a byte as `0x` and two lowercase hex digits, for error messages. */
export function formatByte(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}
