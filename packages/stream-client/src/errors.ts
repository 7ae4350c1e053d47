/**
 * Stable error codes of this package. Callers branch on these, never on the message text.
 *
 * - `CLIENT_ERR_MSE_UNSUPPORTED`: the browser has no `MediaSource`.
 * - `CLIENT_ERR_WEBCODECS_UNSUPPORTED`: the browser has no `VideoDecoder`, or it cannot decode the stream's codec and
 *   the WebCodecs path was forced.
 * - `CLIENT_ERR_CODEC_UNSUPPORTED`: `MediaSource.isTypeSupported()` or `VideoDecoder` rejects the codec string from the
 *   SPS.
 * - `CLIENT_ERR_B_FRAMES_UNSUPPORTED`: an access unit contains a B slice, so decode order differs from display order.
 * - `CLIENT_ERR_INVALID_ACCESS_UNIT`: an access unit or its SPS cannot be parsed.
 * - `CLIENT_ERR_APPEND_FAILED`: a `SourceBuffer` operation threw or the `SourceBuffer` reported an error.
 * - `CLIENT_ERR_BUFFER_FULL`: the `SourceBuffer` quota is exceeded and nothing could be trimmed.
 * - `CLIENT_ERR_DECODE_FAILED`: the `<video>` element reported a media error.
 * - `CLIENT_ERR_INVALID_MESSAGE`: a WebSocket message is not a valid stream-protocol message.
 * - `CLIENT_ERR_UNSUPPORTED_VERSION`: the server speaks another protocol version.
 * - `CLIENT_ERR_INVALID_OPTION`: a URL, token or option value is invalid.
 * - `CLIENT_ERR_CONNECTION_CLOSED`: the WebSocket closed without a normal close code (1000).
 * - `CLIENT_ERR_AUTH_FAILED`: the server closed the connection because the token was rejected; no reconnect follows.
 * - `CLIENT_ERR_SUPERSEDED`: a newer connection with the same client id replaced this one; no reconnect follows.
 * - `CLIENT_ERR_SERVER_ERROR`: the server reported an error message without closing the connection.
 * - `CLIENT_ERR_DOM_UNAVAILABLE`: custom elements were requested outside a browser.
 */
export type StreamClientErrorCode =
  | 'CLIENT_ERR_MSE_UNSUPPORTED'
  | 'CLIENT_ERR_WEBCODECS_UNSUPPORTED'
  | 'CLIENT_ERR_CODEC_UNSUPPORTED'
  | 'CLIENT_ERR_B_FRAMES_UNSUPPORTED'
  | 'CLIENT_ERR_INVALID_ACCESS_UNIT'
  | 'CLIENT_ERR_APPEND_FAILED'
  | 'CLIENT_ERR_BUFFER_FULL'
  | 'CLIENT_ERR_DECODE_FAILED'
  | 'CLIENT_ERR_INVALID_MESSAGE'
  | 'CLIENT_ERR_UNSUPPORTED_VERSION'
  | 'CLIENT_ERR_INVALID_OPTION'
  | 'CLIENT_ERR_CONNECTION_CLOSED'
  | 'CLIENT_ERR_AUTH_FAILED'
  | 'CLIENT_ERR_SUPERSEDED'
  | 'CLIENT_ERR_SERVER_ERROR'
  | 'CLIENT_ERR_DOM_UNAVAILABLE';

/** Options of the `StreamClientError` constructor. */
export interface StreamClientErrorOptions {
  /** The error that caused this one, kept as `error.cause`. */
  cause?: unknown;
}

/** The one error class of `@deskvm/stream-client`. */
export class StreamClientError extends Error {
  /** Stable code of the failure. */
  readonly code: StreamClientErrorCode;

  constructor(code: StreamClientErrorCode, message: string, options: StreamClientErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'StreamClientError';
    this.code = code;
  }
}

/** Returns `error` if it is a `StreamClientError`, else wraps it with `code` and `message`, keeping it as the cause. */
export function toStreamClientError(error: unknown, code: StreamClientErrorCode, message: string): StreamClientError {
  if (error instanceof StreamClientError) {
    return error;
  }

  const detail = error instanceof Error ? `: ${error.message}` : '';
  return new StreamClientError(code, `${message}${detail}`, { cause: error });
}
