/**
 * The version 1 server hello: the first message of a version 1 session, carrying the stream configuration. A server
 * sends a new one before the first video message after the SPS changes. Version 2 replaces it with `Hello` followed
 * by `Configuration`.
 */
export interface ServerHello {
  type: 'server-hello';
  /** Wire format version: always 1 for this layout. */
  version: number;
  /** RFC 6381 codec string derived from the SPS (see `codecString`), 1 to 255 visible ASCII characters. */
  codec: string;
  /** Display width in pixels, after SPS frame cropping, 1 to 65535. */
  width: number;
  /** Display height in pixels, after SPS frame cropping, 1 to 65535. */
  height: number;
  /** Frame rate numerator, 0 to 65535. 0 means the rate is variable or unknown. */
  frameRateNumerator: number;
  /** Frame rate denominator, 1 to 65535. */
  frameRateDenominator: number;
}

/** Bits of `Hello.capabilities`: what this server does with client messages. */
export const Capability = {
  /** Pointer, keyboard and touch messages are injected into the desktop. */
  Input: 0x01,
  /** Clipboard text is synchronised both ways. */
  Clipboard: 0x02,
  /** Resize requests change the desktop size. */
  Resize: 0x04,
  /** A keyframe request makes the encoder produce a new keyframe; without it the server replays its cached group of pictures. */
  ForcedKeyframe: 0x08,
} as const;

/** The first message of a version 2 session: the negotiated version and what the server supports. */
export interface Hello {
  type: 'hello';
  /** Wire format version that the server selected, 2. */
  version: number;
  /** `Capability` bits. */
  capabilities: number;
  /** Largest message the server accepts from the client, in bytes, 1 to 2^32 - 1. */
  maxMessageBytes: number;
  /** Server time when the hello was sent, in microseconds since the Unix epoch. */
  serverTimeUs: bigint;
}

/**
 * The stream configuration: sent before the first video message of a version 2 session and again before the first
 * video message whose SPS changes the codec, size or frame rate.
 */
export interface Configuration {
  type: 'configuration';
  /** RFC 6381 codec string derived from the SPS, such as `avc1.640033`; 1 to 255 visible ASCII characters. */
  codec: string;
  /** Coded width in pixels (macroblock multiple, before cropping), 1 to 65535. */
  codedWidth: number;
  /** Coded height in pixels, before cropping, 1 to 65535. */
  codedHeight: number;
  /** Display width in pixels, after SPS frame cropping, 1 to 65535. */
  width: number;
  /** Display height in pixels, after SPS frame cropping, 1 to 65535. */
  height: number;
  /** Frame rate numerator, 0 to 65535. 0 means the rate is variable or unknown. */
  frameRateNumerator: number;
  /** Frame rate denominator, 1 to 65535. */
  frameRateDenominator: number;
}

/** One access unit of H.264 video. */
export interface VideoMessage {
  type: 'video';
  /** True when the access unit contains an IDR slice, so a decoder can start from it. */
  keyframe: boolean;
  /** Presentation time in microseconds, 0 to 2^64 - 1, on a clock the server picks. */
  timestampUs: bigint;
  /** One access unit in Annex-B form, starting with a start code. Never empty. */
  data: Uint8Array;
}

/** The server's reply to a `Ping`. */
export interface Pong {
  type: 'pong';
  /** The `id` of the ping, u32. */
  id: number;
  /** The ping's `clientTimeUs`, echoed, so the client can compute the round trip on its own clock. */
  clientTimeUs: bigint;
  /** Server time when the pong was sent, in microseconds since the Unix epoch. */
  serverTimeUs: bigint;
  /**
   * Encoder latency in microseconds, 0 to 2^32 - 2: capture to encoded access unit where the source measures it,
   * else the encoder's recent median time per frame. Undefined when unknown.
   */
  encoderLatencyUs: number | undefined;
}

/** The desktop's clipboard text, sent when it changes and, when the server has it, once to each new viewer. */
export interface ServerClipboard {
  type: 'server-clipboard';
  /** Clipboard text, at most `MAX_CLIPBOARD_BYTES` in UTF-8. */
  text: string;
}

/** The server's counters for this viewer, sent about once a second. */
export interface ServerStats {
  type: 'server-stats';
  /** Video messages sent to this viewer, u32 (wraps). */
  sentFrames: number;
  /** Video messages skipped for this viewer because it was congested or waited for a keyframe, u32 (wraps). */
  droppedFrames: number;
  /** Bytes queued in this viewer's send buffer, u32 (saturates). */
  bufferedBytes: number;
  /** Viewers connected, u16 (saturates). */
  viewers: number;
  /** Pipeline restarts since the server started, u32 (saturates). */
  pipelineRestarts: number;
}

/** Stable codes of `ErrorMessage`, in the u16 `code` field. */
export const ErrorCode = {
  /** A client message could not be decoded. */
  InvalidMessage: 1,
  /** A valid message that the server does not accept, such as a server-to-client type. */
  UnexpectedMessage: 2,
  /** The client sent more messages than its rate limit; the excess was dropped. */
  RateLimited: 3,
  /** The server cannot inject input, or the injection failed. */
  InputFailed: 4,
  /** The clipboard could not be read or written. */
  ClipboardFailed: 5,
  /** A resize request was invalid or failed. */
  ResizeFailed: 6,
  /** The pipeline failed too often and the server stopped restarting it for now. */
  PipelineFailed: 7,
} as const;

/** One of the `ErrorCode` values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A problem the server reports to the client without closing the connection. */
export interface ErrorMessage {
  type: 'error';
  /** An `ErrorCode` value; clients branch on it, never on the text. Unknown codes are allowed, u16. */
  code: number;
  /** A sentence for people, at most `MAX_ERROR_TEXT_BYTES` in UTF-8. */
  message: string;
}

/** Any message from server to client. */
export type ServerMessage =
  | ServerHello
  | Hello
  | Configuration
  | VideoMessage
  | Pong
  | ServerClipboard
  | ServerStats
  | ErrorMessage;
