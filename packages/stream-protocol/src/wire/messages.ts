/** The wire format version that this package writes and reads. */
export const PROTOCOL_VERSION = 1;

/** The first byte of every wire message. */
export const MessageType = {
  ServerHello: 0x01,
  Video: 0x02,
} as const;

/** One of the `MessageType` values. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * The first message a server sends on a new connection: the stream's codec and size, before any video.
 * A server sends a new one before the first video message after the SPS changes size or codec.
 */
export interface ServerHello {
  type: 'server-hello';
  /** Wire format version, `PROTOCOL_VERSION`. */
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

/** Any wire message. */
export type StreamMessage = ServerHello | VideoMessage;

/** Size of the fixed part of a ServerHello: type, version, width, height, frame rate, codec length. */
export const SERVER_HELLO_HEADER_BYTES = 11;

/** Size of the fixed part of a video message: type, flags, timestamp. */
export const VIDEO_HEADER_BYTES = 10;

/** Video message flag bit 0: the access unit is a keyframe. */
export const VIDEO_FLAG_KEYFRAME = 0x01;

/** The largest value of a u64 field. */
export const U64_MAX = 2n ** 64n - 1n;
