import { describe, expect, it } from '@jest/globals';
import { hex, toHex } from '../../test/support.js';
import { streamErrorOf as errorOf } from '../../test/errors.js';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import type { ServerHello, VideoMessage } from './server-messages.js';

const hello: ServerHello = {
  type: 'server-hello',
  version: 1,
  codec: 'avc1.42c033',
  width: 1920,
  height: 1080,
  frameRateNumerator: 60,
  frameRateDenominator: 1,
};
const helloHex = '01 01 0780 0438 003c 0001 0b 617663312e343263303333';

const video: VideoMessage = {
  type: 'video',
  keyframe: true,
  timestampUs: 1234567890123n,
  data: hex('00000001 658884'),
};
const videoHex = '02 01 0000011f71fb04cb 00000001658884';

describe('ServerHello', () => {
  it('encodes to golden bytes', () => {
    const bytes = encodeMessage(hello);

    expect(toHex(bytes)).toBe(helloHex.replace(/ /g, ''));
  });

  it('decodes golden bytes', () => {
    const message = decodeMessage(hex(helloHex));

    expect(message).toEqual(hello);
  });

  it('accepts frame rate 0 as unknown', () => {
    const message = decodeMessage(hex('01 01 0140 00f0 0000 0001 0b 617663312e343263303333'));

    expect(message).toEqual({ ...hello, width: 320, height: 240, frameRateNumerator: 0 });
  });

  it('rejects trailing bytes', () => {
    const error = errorOf(() => decodeMessage(hex(`${helloHex} 00`)));

    expect(error.code).toBe('STREAM_ERR_TRAILING_BYTES');
  });

  it('rejects truncated header', () => {
    const error = errorOf(() => decodeMessage(hex('01 01 0780 0438 003c')));

    expect(error.code).toBe('STREAM_ERR_TRUNCATED');
    expect(error.message).toContain('8 bytes');
  });

  it('rejects truncated codec', () => {
    const error = errorOf(() => decodeMessage(hex('01 01 0780 0438 003c 0001 0b 6176633132')));

    expect(error.code).toBe('STREAM_ERR_TRUNCATED');
  });

  it('rejects unsupported version', () => {
    const error = errorOf(() => decodeMessage(hex('01 03 0780 0438 003c 0001 0b 617663312e343263303333')));

    expect(error.code).toBe('STREAM_ERR_UNSUPPORTED_VERSION');
    expect(error.message).toContain('version 3');
  });

  it('rejects zero width', () => {
    const error = errorOf(() => decodeMessage(hex('01 01 0000 0438 003c 0001 0b 617663312e343263303333')));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain('width 0');
  });

  it('rejects zero height', () => {
    const error = errorOf(() => decodeMessage(hex('01 01 0780 0000 003c 0001 0b 617663312e343263303333')));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain('height 0');
  });

  it('rejects zero frame rate denominator', () => {
    const error = errorOf(() => decodeMessage(hex('01 01 0780 0438 003c 0000 0b 617663312e343263303333')));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain('frameRateDenominator 0');
  });

  it('rejects empty codec', () => {
    const error = errorOf(() => decodeMessage(hex('01 01 0780 0438 003c 0001 00')));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });

  it('rejects non-ASCII codec', () => {
    const error = errorOf(() => decodeMessage(hex('01 01 0780 0438 003c 0001 02 61e9')));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain('0xe9');
  });

  it('encoder rejects zero width', () => {
    const error = errorOf(() => encodeMessage({ ...hello, width: 0 }));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });

  it('encoder rejects width above u16', () => {
    const error = errorOf(() => encodeMessage({ ...hello, width: 65536 }));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });

  it('encoder rejects non-ASCII codec', () => {
    const error = errorOf(() => encodeMessage({ ...hello, codec: 'avc1.é' }));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });

  it('encoder rejects version 2', () => {
    const error = errorOf(() => encodeMessage({ ...hello, version: 2 }));

    expect(error.code).toBe('STREAM_ERR_UNSUPPORTED_VERSION');
  });
});

describe('video message', () => {
  it('encodes to golden bytes', () => {
    const bytes = encodeMessage(video);

    expect(toHex(bytes)).toBe(videoHex.replace(/ /g, ''));
  });

  it('decodes golden bytes', () => {
    const message = decodeMessage(hex(videoHex));

    expect(message).toEqual(video);
  });

  it('decodes delta frame with 3-byte start code', () => {
    const message = decodeMessage(hex('02 00 0000000000000021 000001419a'));

    expect(message).toEqual({ type: 'video', keyframe: false, timestampUs: 33n, data: hex('000001419a') });
  });

  it('decodes data as view', () => {
    const bytes = hex(videoHex);

    const message = decodeMessage(bytes) as VideoMessage;

    expect(message.data.buffer).toBe(bytes.buffer);
    expect(message.data.byteOffset).toBe(10);
  });

  it('decodes from offset view', () => {
    const padded = hex(`ffff ${videoHex}`);

    const message = decodeMessage(padded.subarray(2));

    expect(message).toEqual(video);
  });

  it('round-trips max timestamp', () => {
    const message: VideoMessage = { ...video, keyframe: false, timestampUs: 2n ** 64n - 1n };

    const decoded = decodeMessage(encodeMessage(message));

    expect(decoded).toEqual(message);
  });

  it('rejects bad flags', () => {
    const error = errorOf(() => decodeMessage(hex('02 03 0000011f71fb04cb 00000001658884')));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain('flags 0x03');
  });

  it('rejects empty access unit', () => {
    const error = errorOf(() => decodeMessage(hex('02 01 0000011f71fb04cb')));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain('empty');
  });

  it('rejects data without start code', () => {
    const error = errorOf(() => decodeMessage(hex('02 01 0000011f71fb04cb 0000000a658884')));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });

  it('rejects start code alone', () => {
    const error = errorOf(() => decodeMessage(hex('02 01 0000011f71fb04cb 00000001')));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });

  it('rejects truncated header', () => {
    const error = errorOf(() => decodeMessage(hex('02 01 0000011f71fb04')));

    expect(error.code).toBe('STREAM_ERR_TRUNCATED');
  });

  it('encoder rejects negative timestamp', () => {
    const error = errorOf(() => encodeMessage({ ...video, timestampUs: -1n }));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });

  it('encoder rejects timestamp above u64', () => {
    const error = errorOf(() => encodeMessage({ ...video, timestampUs: 2n ** 64n }));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });

  it('encoder rejects empty data', () => {
    const error = errorOf(() => encodeMessage({ ...video, data: new Uint8Array(0) }));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });
});

describe('decodeMessage', () => {
  it('rejects unknown type', () => {
    const error = errorOf(() => decodeMessage(hex('3f 00')));

    expect(error.code).toBe('STREAM_ERR_UNKNOWN_TYPE');
    expect(error.message).toContain('0x3f');
  });

  it('rejects empty message', () => {
    const error = errorOf(() => decodeMessage(new Uint8Array(0)));

    expect(error.code).toBe('STREAM_ERR_TRUNCATED');
  });
});
