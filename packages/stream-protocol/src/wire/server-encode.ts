import { StreamError } from '../errors.js';
import { ByteWriter } from './byte-writer.js';
import { asciiBytes, checkAccessUnit, checkInteger, checkMaxLength, checkU64, isVisibleAscii } from './fields.js';
import { MAX_CLIPBOARD_BYTES, MAX_ERROR_TEXT_BYTES, MessageType, UNKNOWN_U32, VIDEO_FLAG_KEYFRAME } from './messages.js';
import type {
  Configuration,
  ErrorMessage,
  Hello,
  Pong,
  ServerClipboard,
  ServerHello,
  ServerStats,
  VideoMessage,
} from './server-messages.js';
import { encodeUtf8 } from './utf8.js';

export function encodeServerHello(hello: ServerHello): Uint8Array {
  if (hello.version !== 1) {
    throw new StreamError(
      'STREAM_ERR_UNSUPPORTED_VERSION',
      `Unsupported ServerHello version ${hello.version}: the 'server-hello' layout is version 1. ` +
        "Version 2 sends a 'hello' and a 'configuration' instead.",
    );
  }

  checkFrameRate('ServerHello', hello);

  return new ByteWriter(MessageType.ServerHello)
    .u8(hello.version)
    .u16(checked('ServerHello', 'width', hello.width, 1, 0xffff))
    .u16(checked('ServerHello', 'height', hello.height, 1, 0xffff))
    .u16(hello.frameRateNumerator)
    .u16(hello.frameRateDenominator)
    .bytes(codecField('ServerHello', hello.codec))
    .finish();
}

export function encodeHello(hello: Hello): Uint8Array {
  if (hello.version !== 2) {
    throw new StreamError(
      'STREAM_ERR_UNSUPPORTED_VERSION',
      `Unsupported hello version ${hello.version}: the 'hello' layout is version 2. Version 1 sends a 'server-hello'.`,
    );
  }

  checkInteger('hello', 'capabilities', hello.capabilities, 0, 0xff);
  checkInteger('hello', 'maxMessageBytes', hello.maxMessageBytes, 1, UNKNOWN_U32);
  checkU64('hello', 'serverTimeUs', hello.serverTimeUs);

  return new ByteWriter(MessageType.ServerHello)
    .u8(hello.version)
    .u8(hello.capabilities)
    .u32(hello.maxMessageBytes)
    .u64(hello.serverTimeUs)
    .finish();
}

export function encodeConfiguration(configuration: Configuration): Uint8Array {
  const name = 'configuration';

  checkFrameRate(name, configuration);

  return new ByteWriter(MessageType.Configuration)
    .u16(checked(name, 'codedWidth', configuration.codedWidth, 1, 0xffff))
    .u16(checked(name, 'codedHeight', configuration.codedHeight, 1, 0xffff))
    .u16(checked(name, 'width', configuration.width, 1, 0xffff))
    .u16(checked(name, 'height', configuration.height, 1, 0xffff))
    .u16(configuration.frameRateNumerator)
    .u16(configuration.frameRateDenominator)
    .bytes(codecField(name, configuration.codec))
    .finish();
}

export function encodeVideo(video: VideoMessage): Uint8Array {
  checkU64('video message', 'timestampUs', video.timestampUs);
  checkAccessUnit(video.data);

  return new ByteWriter(MessageType.Video, 10 + video.data.length)
    .u8(video.keyframe ? VIDEO_FLAG_KEYFRAME : 0)
    .u64(video.timestampUs)
    .bytes(video.data)
    .finish();
}

export function encodePong(pong: Pong): Uint8Array {
  checkInteger('pong', 'id', pong.id, 0, UNKNOWN_U32);
  checkU64('pong', 'clientTimeUs', pong.clientTimeUs);
  checkU64('pong', 'serverTimeUs', pong.serverTimeUs);

  if (pong.encoderLatencyUs !== undefined) {
    checkInteger('pong', 'encoderLatencyUs', pong.encoderLatencyUs, 0, UNKNOWN_U32 - 1);
  }

  return new ByteWriter(MessageType.Pong)
    .u32(pong.id)
    .u64(pong.clientTimeUs)
    .u64(pong.serverTimeUs)
    .u32(pong.encoderLatencyUs ?? UNKNOWN_U32)
    .finish();
}

export function encodeServerClipboard(clipboard: ServerClipboard): Uint8Array {
  return encodeClipboard(MessageType.ServerClipboard, 'server clipboard message', clipboard.text);
}

/** Encodes a clipboard message of either direction: type, u32 length, UTF-8 text. */
export function encodeClipboard(type: number, name: string, text: string): Uint8Array {
  const bytes = encodeUtf8(text, `${name} text`);

  checkMaxLength(name, 'text', bytes.length, MAX_CLIPBOARD_BYTES);
  return new ByteWriter(type, 5 + bytes.length).u32(bytes.length).bytes(bytes).finish();
}

export function encodeServerStats(stats: ServerStats): Uint8Array {
  const name = 'server stats message';

  return new ByteWriter(MessageType.ServerStats)
    .u32(checked(name, 'sentFrames', stats.sentFrames, 0, UNKNOWN_U32))
    .u32(checked(name, 'droppedFrames', stats.droppedFrames, 0, UNKNOWN_U32))
    .u32(checked(name, 'bufferedBytes', stats.bufferedBytes, 0, UNKNOWN_U32))
    .u16(checked(name, 'viewers', stats.viewers, 0, 0xffff))
    .u32(checked(name, 'pipelineRestarts', stats.pipelineRestarts, 0, UNKNOWN_U32))
    .finish();
}

export function encodeError(error: ErrorMessage): Uint8Array {
  const text = encodeUtf8(error.message, 'error message text');

  checkMaxLength('error message', 'text', text.length, MAX_ERROR_TEXT_BYTES);

  return new ByteWriter(MessageType.Error)
    .u16(checked('error message', 'code', error.code, 0, 0xffff))
    .u16(text.length)
    .bytes(text)
    .finish();
}

function checked(message: string, field: string, value: number, min: number, max: number): number {
  checkInteger(message, field, value, min, max);
  return value;
}

function checkFrameRate(message: string, fields: { frameRateNumerator: number; frameRateDenominator: number }): void {
  checkInteger(message, 'frameRateNumerator', fields.frameRateNumerator, 0, 0xffff);
  checkInteger(message, 'frameRateDenominator', fields.frameRateDenominator, 1, 0xffff);
}

/** Returns a codec string as its u8 length followed by its ASCII bytes. */
function codecField(message: string, codec: string): Uint8Array {
  if (codec.length === 0 || codec.length > 0xff) {
    throw new StreamError(
      'STREAM_ERR_INVALID_FIELD',
      `Invalid ${message} codec ${JSON.stringify(codec)}: it must have 1 to 255 characters, such as 'avc1.640033'.`,
    );
  }

  const bytes = asciiBytes(message, 'codec', codec, isVisibleAscii);
  const field = new Uint8Array(1 + bytes.length);

  field[0] = bytes.length;
  field.set(bytes, 1);
  return field;
}
