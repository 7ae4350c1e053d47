import type { ClientMessage } from './client-messages.js';
import type { ServerMessage } from './server-messages.js';

/**
 * The wire format version of the original layout, where the server hello also carries the stream configuration.
 *
 * @deprecated It names version 1 only. Use `LATEST_PROTOCOL_VERSION` or `SUPPORTED_PROTOCOL_VERSIONS`.
 */
export const PROTOCOL_VERSION = 1;

/** The newest wire format version that this package writes and reads. */
export const LATEST_PROTOCOL_VERSION = 2;

/** Every wire format version that this package writes and reads, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [2, 1];

/**
 * The first byte of every wire message. Types 0x01 to 0x3f go from server to client, 0x40 to 0x7f from client to
 * server. Version 1 defines only ServerHello and Video.
 */
export const MessageType = {
  ServerHello: 0x01,
  Video: 0x02,
  Configuration: 0x03,
  Pong: 0x04,
  ServerClipboard: 0x05,
  ServerStats: 0x06,
  Error: 0x07,
  ClientHello: 0x40,
  KeyframeRequest: 0x41,
  Ping: 0x42,
  PointerMove: 0x43,
  PointerRelative: 0x44,
  PointerButton: 0x45,
  Wheel: 0x46,
  Key: 0x47,
  Touch: 0x48,
  ClientClipboard: 0x49,
  ResizeRequest: 0x4a,
  ClientStats: 0x4b,
} as const;

/** One of the `MessageType` values. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Any wire message, in either direction. */
export type StreamMessage = ServerMessage | ClientMessage;

/** Size of the fixed part of a version 1 ServerHello: type, version, width, height, frame rate, codec length. */
export const SERVER_HELLO_HEADER_BYTES = 11;

/** Size of the fixed part of a video message: type, flags, timestamp. */
export const VIDEO_HEADER_BYTES = 10;

/** Video message flag bit 0: the access unit is a keyframe. */
export const VIDEO_FLAG_KEYFRAME = 0x01;

/** The largest value of a u64 field. */
export const U64_MAX = 2n ** 64n - 1n;

/** The largest clipboard text in one message, in UTF-8 bytes (1 MiB). */
export const MAX_CLIPBOARD_BYTES = 1024 * 1024;

/** The largest error message text, in UTF-8 bytes. */
export const MAX_ERROR_TEXT_BYTES = 1024;

/** The largest `key` value of a Key message, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 64;

/** The largest `code` value of a Key message, in ASCII characters. */
export const MAX_KEY_CODE_LENGTH = 64;

/** The largest client id, in ASCII characters. */
export const MAX_CLIENT_ID_LENGTH = 64;

/** The u32 value that stands for "unknown" in latency fields. */
export const UNKNOWN_U32 = 0xffff_ffff;
