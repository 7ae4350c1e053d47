import { StreamError } from '../errors.js';
import { checkAccessUnit, checkInteger, checkU64, checkVersion, isVisibleAscii } from './fields.js';
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
 * Encodes a wire message (version 1, big-endian; the layout is in PROTOCOL.md). It checks every field, so it never
 * writes bytes that `decodeMessage` rejects.
 *
 * @returns a new buffer holding the whole message
 * @throws StreamError `STREAM_ERR_INVALID_FIELD` for a field out of range, `STREAM_ERR_UNSUPPORTED_VERSION` for a
 *   ServerHello version other than `PROTOCOL_VERSION`, `STREAM_ERR_UNKNOWN_TYPE` for an unknown `type`
 */
export function encodeMessage(message: StreamMessage): Uint8Array {
  switch (message.type) {
    case 'server-hello':
      return encodeServerHello(message);
    case 'video':
      return encodeVideo(message);
    default:
      throw new StreamError(
        'STREAM_ERR_UNKNOWN_TYPE',
        `Cannot encode a message of type ${JSON.stringify((message as { type: unknown }).type)}: ` +
          "version 1 defines 'server-hello' and 'video'.",
      );
  }
}

function encodeServerHello(hello: ServerHello): Uint8Array {
  checkVersion(hello.version);
  checkInteger('ServerHello', 'width', hello.width, 1, 0xffff);
  checkInteger('ServerHello', 'height', hello.height, 1, 0xffff);
  checkInteger('ServerHello', 'frameRateNumerator', hello.frameRateNumerator, 0, 0xffff);
  checkInteger('ServerHello', 'frameRateDenominator', hello.frameRateDenominator, 1, 0xffff);
  checkCodec(hello.codec);

  const bytes = new Uint8Array(SERVER_HELLO_HEADER_BYTES + hello.codec.length);
  const view = new DataView(bytes.buffer);

  view.setUint8(0, MessageType.ServerHello);
  view.setUint8(1, hello.version);
  view.setUint16(2, hello.width);
  view.setUint16(4, hello.height);
  view.setUint16(6, hello.frameRateNumerator);
  view.setUint16(8, hello.frameRateDenominator);
  view.setUint8(10, hello.codec.length);

  for (let index = 0; index < hello.codec.length; index += 1) {
    bytes[SERVER_HELLO_HEADER_BYTES + index] = hello.codec.charCodeAt(index);
  }

  return bytes;
}

function checkCodec(codec: string): void {
  if (codec.length === 0 || codec.length > 0xff) {
    throw new StreamError(
      'STREAM_ERR_INVALID_FIELD',
      `Invalid ServerHello codec ${JSON.stringify(codec)}: it must have 1 to 255 characters, such as 'avc1.640033'.`,
    );
  }

  for (let index = 0; index < codec.length; index += 1) {
    if (!isVisibleAscii(codec.charCodeAt(index))) {
      throw new StreamError(
        'STREAM_ERR_INVALID_FIELD',
        `Invalid ServerHello codec ${JSON.stringify(codec)}: character ${index} is not visible ASCII (0x21 to 0x7e).`,
      );
    }
  }
}

function encodeVideo(video: VideoMessage): Uint8Array {
  checkU64('video message', 'timestampUs', video.timestampUs);
  checkAccessUnit(video.data);

  const bytes = new Uint8Array(VIDEO_HEADER_BYTES + video.data.length);
  const view = new DataView(bytes.buffer);

  view.setUint8(0, MessageType.Video);
  view.setUint8(1, video.keyframe ? VIDEO_FLAG_KEYFRAME : 0);
  view.setBigUint64(2, video.timestampUs);
  bytes.set(video.data, VIDEO_HEADER_BYTES);
  return bytes;
}
