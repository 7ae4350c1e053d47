import { StreamError, formatByte } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import { asciiText, checkAccessUnit, checkAscii, checkMaxLength, checkMinimum, isVisibleAscii } from './fields.js';
import { MAX_CLIPBOARD_BYTES, MAX_ERROR_TEXT_BYTES, SUPPORTED_PROTOCOL_VERSIONS, UNKNOWN_U32, VIDEO_FLAG_KEYFRAME } from './messages.js';
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

/** Decodes type 0x01: byte 1 is the version in every layout, so it picks the version 1 or version 2 layout. */
export function decodeAnyHello(bytes: Uint8Array): ServerHello | Hello {
  const version = new ByteReader(bytes, 'ServerHello').u8('version');

  if (version === 1) {
    return decodeServerHello(bytes);
  }

  if (version === 2) {
    return decodeHello(bytes);
  }

  throw new StreamError(
    'STREAM_ERR_UNSUPPORTED_VERSION',
    `Unsupported ServerHello version ${version}: this @deskvm/stream-protocol supports versions ` +
      `${SUPPORTED_PROTOCOL_VERSIONS.join(' and ')}. Use the same package version on server and client.`,
  );
}

function decodeServerHello(bytes: Uint8Array): ServerHello {
  const name = 'ServerHello';
  const reader = new ByteReader(bytes, name, 2);
  const width = reader.u16('width');
  const height = reader.u16('height');
  const frameRateNumerator = reader.u16('frameRateNumerator');
  const frameRateDenominator = reader.u16('frameRateDenominator');
  const codecLength = reader.u8('codec length');

  checkMinimum(name, 'width', width, 1);
  checkMinimum(name, 'height', height, 1);
  checkMinimum(name, 'frameRateDenominator', frameRateDenominator, 1);
  checkMinimum(name, 'codec length', codecLength, 1);

  const codec = readAscii(reader, name, 'codec', codecLength, isVisibleAscii);

  reader.end();
  return { type: 'server-hello', version: 1, codec, width, height, frameRateNumerator, frameRateDenominator };
}

function decodeHello(bytes: Uint8Array): Hello {
  const reader = new ByteReader(bytes, 'hello', 2);
  const capabilities = reader.u8('capabilities');
  const maxMessageBytes = reader.u32('maxMessageBytes');
  const serverTimeUs = reader.u64('serverTimeUs');

  checkMinimum('hello', 'maxMessageBytes', maxMessageBytes, 1);
  reader.end();
  return { type: 'hello', version: 2, capabilities, maxMessageBytes, serverTimeUs };
}

export function decodeConfiguration(bytes: Uint8Array): Configuration {
  const name = 'configuration';
  const reader = new ByteReader(bytes, name);
  const codedWidth = reader.u16('codedWidth');
  const codedHeight = reader.u16('codedHeight');
  const width = reader.u16('width');
  const height = reader.u16('height');
  const frameRateNumerator = reader.u16('frameRateNumerator');
  const frameRateDenominator = reader.u16('frameRateDenominator');
  const codecLength = reader.u8('codec length');

  for (const [field, value] of Object.entries({ codedWidth, codedHeight, width, height, frameRateDenominator })) {
    checkMinimum(name, field, value, 1);
  }

  checkMinimum(name, 'codec length', codecLength, 1);

  const codec = readAscii(reader, name, 'codec', codecLength, isVisibleAscii);

  reader.end();
  return {
    type: 'configuration',
    codec,
    codedWidth,
    codedHeight,
    width,
    height,
    frameRateNumerator,
    frameRateDenominator,
  };
}

export function decodeVideo(bytes: Uint8Array): VideoMessage {
  const reader = new ByteReader(bytes, 'video message');
  const flags = reader.u8('flags');
  const timestampUs = reader.u64('timestampUs');

  if ((flags & ~VIDEO_FLAG_KEYFRAME) !== 0) {
    throw new StreamError(
      'STREAM_ERR_INVALID_FIELD',
      `Invalid video message flags ${formatByte(flags)}: only bit 0 (keyframe) is defined, the other bits must be 0.`,
    );
  }

  const data = reader.bytes('data', reader.remaining);

  checkAccessUnit(data);
  return { type: 'video', keyframe: (flags & VIDEO_FLAG_KEYFRAME) !== 0, timestampUs, data };
}

export function decodePong(bytes: Uint8Array): Pong {
  const reader = new ByteReader(bytes, 'pong');
  const id = reader.u32('id');
  const clientTimeUs = reader.u64('clientTimeUs');
  const serverTimeUs = reader.u64('serverTimeUs');
  const latency = reader.u32('encoderLatencyUs');

  reader.end();
  return { type: 'pong', id, clientTimeUs, serverTimeUs, encoderLatencyUs: latency === UNKNOWN_U32 ? undefined : latency };
}

export function decodeServerClipboard(bytes: Uint8Array): ServerClipboard {
  return { type: 'server-clipboard', text: decodeClipboardText(bytes, 'server clipboard message') };
}

/** Decodes the text of a clipboard message of either direction: u32 length, UTF-8 text. */
export function decodeClipboardText(bytes: Uint8Array, name: string): string {
  const reader = new ByteReader(bytes, name);
  const length = reader.u32('text length');

  checkMaxLength(name, 'text', length, MAX_CLIPBOARD_BYTES);

  const text = reader.utf8('text', length);

  reader.end();
  return text;
}

export function decodeServerStats(bytes: Uint8Array): ServerStats {
  const reader = new ByteReader(bytes, 'server stats message');
  const stats: ServerStats = {
    type: 'server-stats',
    sentFrames: reader.u32('sentFrames'),
    droppedFrames: reader.u32('droppedFrames'),
    bufferedBytes: reader.u32('bufferedBytes'),
    viewers: reader.u16('viewers'),
    pipelineRestarts: reader.u32('pipelineRestarts'),
  };

  reader.end();
  return stats;
}

export function decodeError(bytes: Uint8Array): ErrorMessage {
  const reader = new ByteReader(bytes, 'error message');
  const code = reader.u16('code');
  const length = reader.u16('text length');

  checkMaxLength('error message', 'text', length, MAX_ERROR_TEXT_BYTES);

  const message = reader.utf8('text', length);

  reader.end();
  return { type: 'error', code, message };
}

/** Reads `length` ASCII bytes and checks each one with `allowed`. */
export function readAscii(
  reader: ByteReader,
  message: string,
  field: string,
  length: number,
  allowed: (byte: number) => boolean,
): string {
  const bytes = reader.bytes(field, length);

  checkAscii(message, field, bytes, allowed);
  return asciiText(bytes);
}
