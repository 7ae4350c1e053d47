import { StreamError, formatByte } from '../errors.js';
import {
  decodeClientClipboard,
  decodeClientHello,
  decodeClientStats,
  decodeKey,
  decodeKeyframeRequest,
  decodePing,
  decodePointerButton,
  decodePointerMove,
  decodePointerRelative,
  decodeResizeRequest,
  decodeTouch,
  decodeWheel,
} from './client-decode.js';
import type { ClientMessage } from './client-messages.js';
import { MessageType, type StreamMessage } from './messages.js';
import {
  decodeAnyHello,
  decodeConfiguration,
  decodeError,
  decodePong,
  decodeServerClipboard,
  decodeServerStats,
  decodeVideo,
} from './server-decode.js';
import type { ServerMessage } from './server-messages.js';

/** Settings of `decodeMessage`. */
export interface DecodeOptions {
  /** Largest message accepted, in bytes; longer input fails with `STREAM_ERR_TOO_LARGE` before any parsing. Default no limit. */
  maxBytes?: number;
}

const SERVER_DECODERS: Record<number, (bytes: Uint8Array) => ServerMessage> = {
  [MessageType.ServerHello]: decodeAnyHello,
  [MessageType.Video]: decodeVideo,
  [MessageType.Configuration]: decodeConfiguration,
  [MessageType.Pong]: decodePong,
  [MessageType.ServerClipboard]: decodeServerClipboard,
  [MessageType.ServerStats]: decodeServerStats,
  [MessageType.Error]: decodeError,
};

const CLIENT_DECODERS: Record<number, (bytes: Uint8Array) => ClientMessage> = {
  [MessageType.ClientHello]: decodeClientHello,
  [MessageType.KeyframeRequest]: decodeKeyframeRequest,
  [MessageType.Ping]: decodePing,
  [MessageType.PointerMove]: decodePointerMove,
  [MessageType.PointerRelative]: decodePointerRelative,
  [MessageType.PointerButton]: decodePointerButton,
  [MessageType.Wheel]: decodeWheel,
  [MessageType.Key]: decodeKey,
  [MessageType.Touch]: decodeTouch,
  [MessageType.ClientClipboard]: decodeClientClipboard,
  [MessageType.ResizeRequest]: decodeResizeRequest,
  [MessageType.ClientStats]: decodeClientStats,
};

/**
 * Decodes one wire message of either direction (big-endian; the layout is in PROTOCOL.md), such as one WebSocket
 * binary message. It checks every field and returns a message only when all of them are valid.
 *
 * @returns the message. A video message's `data` is a `subarray` view of `bytes` (no copy).
 * @throws StreamError `STREAM_ERR_TOO_LARGE`, `STREAM_ERR_TRUNCATED`, `STREAM_ERR_UNKNOWN_TYPE`,
 *   `STREAM_ERR_UNSUPPORTED_VERSION`, `STREAM_ERR_INVALID_FIELD` or `STREAM_ERR_TRAILING_BYTES`, with a message that
 *   names the field and its value
 */
export function decodeMessage(bytes: Uint8Array, options: DecodeOptions = {}): StreamMessage {
  const type = checkedType(bytes, options);
  const decoder = SERVER_DECODERS[type] ?? CLIENT_DECODERS[type];

  if (decoder === undefined) {
    throw unknownType(type);
  }

  return decoder(bytes);
}

/**
 * Decodes a message that a server sends (types 0x01 to 0x3f), as a client does.
 *
 * @throws StreamError `STREAM_ERR_WRONG_DIRECTION` for a client-to-server type, and every code of `decodeMessage`
 */
export function decodeServerMessage(bytes: Uint8Array, options: DecodeOptions = {}): ServerMessage {
  const type = checkedType(bytes, options);
  const decoder = SERVER_DECODERS[type];

  if (decoder === undefined) {
    throw CLIENT_DECODERS[type] === undefined ? unknownType(type) : wrongDirection(type, 'client to server');
  }

  return decoder(bytes);
}

/**
 * Decodes a message that a client sends (types 0x40 to 0x7f), as a server does.
 *
 * @throws StreamError `STREAM_ERR_WRONG_DIRECTION` for a server-to-client type, and every code of `decodeMessage`
 */
export function decodeClientMessage(bytes: Uint8Array, options: DecodeOptions = {}): ClientMessage {
  const type = checkedType(bytes, options);
  const decoder = CLIENT_DECODERS[type];

  if (decoder === undefined) {
    throw SERVER_DECODERS[type] === undefined ? unknownType(type) : wrongDirection(type, 'server to client');
  }

  return decoder(bytes);
}

function checkedType(bytes: Uint8Array, options: DecodeOptions): number {
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
    throw new StreamError(
      'STREAM_ERR_TOO_LARGE',
      `Message too large: it has ${bytes.length} bytes, but at most ${options.maxBytes} are accepted.`,
    );
  }

  if (bytes.length === 0) {
    throw new StreamError('STREAM_ERR_TRUNCATED', 'Truncated message: it is empty, so it has no type byte.');
  }

  return bytes[0] as number;
}

function unknownType(type: number): StreamError {
  return new StreamError(
    'STREAM_ERR_UNKNOWN_TYPE',
    `Unknown message type ${formatByte(type)}: this version defines 0x01 to 0x07 (server to client) and 0x40 to ` +
      '0x4b (client to server). Use the same @deskvm/stream-protocol version on server and client.',
  );
}

function wrongDirection(type: number, direction: string): StreamError {
  return new StreamError(
    'STREAM_ERR_WRONG_DIRECTION',
    `Unexpected message type ${formatByte(type)}: it goes from ${direction}, so this side never receives it.`,
  );
}
