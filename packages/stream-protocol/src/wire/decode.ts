import { StreamError, formatByte } from '../errors.js';
import { checkAccessUnit, checkVersion, isVisibleAscii } from './fields.js';
import {
  MessageType,
  SERVER_HELLO_HEADER_BYTES,
  VIDEO_FLAG_KEYFRAME,
  VIDEO_HEADER_BYTES,
  type ServerHello,
  type StreamMessage,
  type VideoMessage,
} from './messages.js';

/**
 * Decodes one wire message (version 1, big-endian; the layout is in PROTOCOL.md), such as one WebSocket binary
 * message. It checks every field and returns a message only when all of them are valid.
 *
 * @returns the message. A video message's `data` is a `subarray` view of `bytes` (no copy).
 * @throws StreamError `STREAM_ERR_TRUNCATED`, `STREAM_ERR_UNKNOWN_TYPE`, `STREAM_ERR_UNSUPPORTED_VERSION`,
 *   `STREAM_ERR_INVALID_FIELD` or `STREAM_ERR_TRAILING_BYTES`, with a message that names the field and its value
 */
export function decodeMessage(bytes: Uint8Array): StreamMessage {
  if (bytes.length === 0) {
    throw new StreamError('STREAM_ERR_TRUNCATED', 'Truncated message: it is empty, so it has no type byte.');
  }

  const type = bytes[0];

  switch (type) {
    case MessageType.ServerHello:
      return decodeServerHello(bytes);
    case MessageType.Video:
      return decodeVideo(bytes);
    default:
      throw new StreamError(
        'STREAM_ERR_UNKNOWN_TYPE',
        `Unknown message type ${formatByte(type)}: version 1 defines 0x01 (ServerHello) and 0x02 (video). ` +
          'Use the same @deskvm/stream-protocol version on server and client.',
      );
  }
}

function decodeServerHello(bytes: Uint8Array): ServerHello {
  checkLength('ServerHello', bytes, SERVER_HELLO_HEADER_BYTES);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(1);

  checkVersion(version);

  const width = view.getUint16(2);
  const height = view.getUint16(4);
  const frameRateNumerator = view.getUint16(6);
  const frameRateDenominator = view.getUint16(8);
  const codecLength = view.getUint8(10);
  const end = SERVER_HELLO_HEADER_BYTES + codecLength;

  checkNonZero('width', width);
  checkNonZero('height', height);
  checkNonZero('frameRateDenominator', frameRateDenominator);
  checkNonZero('codec length', codecLength);
  checkLength('ServerHello', bytes, end);

  if (bytes.length > end) {
    throw new StreamError(
      'STREAM_ERR_TRAILING_BYTES',
      `Invalid ServerHello: it has ${bytes.length} bytes, but its codec length ${codecLength} ends it at ${end}.`,
    );
  }

  return {
    type: 'server-hello',
    version,
    codec: decodeCodec(bytes.subarray(SERVER_HELLO_HEADER_BYTES, end)),
    width,
    height,
    frameRateNumerator,
    frameRateDenominator,
  };
}

function decodeCodec(codecBytes: Uint8Array): string {
  let codec = '';

  for (const [index, byte] of codecBytes.entries()) {
    if (!isVisibleAscii(byte)) {
      throw new StreamError(
        'STREAM_ERR_INVALID_FIELD',
        `Invalid ServerHello codec: byte ${index} is ${formatByte(byte)}, but a codec string is visible ASCII ` +
          '(0x21 to 0x7e).',
      );
    }

    codec += String.fromCharCode(byte);
  }

  return codec;
}

function decodeVideo(bytes: Uint8Array): VideoMessage {
  checkLength('video message', bytes, VIDEO_HEADER_BYTES);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint8(1);

  if ((flags & ~VIDEO_FLAG_KEYFRAME) !== 0) {
    throw new StreamError(
      'STREAM_ERR_INVALID_FIELD',
      `Invalid video message flags ${formatByte(flags)}: version 1 defines only bit 0 (keyframe), the other bits ` +
        'must be 0.',
    );
  }

  const data = bytes.subarray(VIDEO_HEADER_BYTES);

  checkAccessUnit(data);

  return {
    type: 'video',
    keyframe: (flags & VIDEO_FLAG_KEYFRAME) !== 0,
    timestampUs: view.getBigUint64(2),
    data,
  };
}

function checkLength(message: string, bytes: Uint8Array, required: number): void {
  if (bytes.length < required) {
    throw new StreamError(
      'STREAM_ERR_TRUNCATED',
      `Truncated ${message}: it has ${bytes.length} bytes, but needs at least ${required}.`,
    );
  }
}

function checkNonZero(field: string, value: number): void {
  if (value === 0) {
    throw new StreamError('STREAM_ERR_INVALID_FIELD', `Invalid ServerHello ${field} 0: it must be at least 1.`);
  }
}
