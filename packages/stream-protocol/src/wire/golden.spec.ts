import { describe, expect, it } from '@jest/globals';
import { hex, toHex } from '../../test/support.js';
import { streamErrorOf as errorOf } from '../../test/errors.js';
import { decodeClientMessage, decodeMessage, decodeServerMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import type { StreamMessage } from './messages.js';

/**
 * One golden case per message type: the message and its bytes. The bytes were computed with Python's `struct.pack`
 * from the layout in PROTOCOL.md, not with this package, so a layout mistake cannot confirm itself.
 */
const GOLDEN: readonly { name: string; message: StreamMessage; bytes: string; direction: 'server' | 'client' }[] = [
  {
    name: 'ServerHello version 1',
    direction: 'server',
    message: {
      type: 'server-hello',
      version: 1,
      codec: 'avc1.42c033',
      width: 1920,
      height: 1080,
      frameRateNumerator: 60,
      frameRateDenominator: 1,
    },
    bytes: '01 01 0780 0438 003c 0001 0b 617663312e343263303333',
  },
  {
    name: 'hello version 2',
    direction: 'server',
    message: { type: 'hello', version: 2, capabilities: 0x0f, maxMessageBytes: 65536, serverTimeUs: 1764892800000000n },
    bytes: '01 02 0f 00010000 0006452920692000',
  },
  {
    name: 'configuration',
    direction: 'server',
    message: {
      type: 'configuration',
      codec: 'avc1.640028',
      codedWidth: 1280,
      codedHeight: 720,
      width: 1278,
      height: 718,
      frameRateNumerator: 30,
      frameRateDenominator: 1,
    },
    bytes: '03 0500 02d0 04fe 02ce 001e 0001 0b 617663312e363430303238',
  },
  {
    name: 'video',
    direction: 'server',
    message: { type: 'video', keyframe: true, timestampUs: 1234567890123n, data: hex('00000001 658884') },
    bytes: '02 01 0000011f71fb04cb 00000001658884',
  },
  {
    name: 'pong',
    direction: 'server',
    message: { type: 'pong', id: 7, clientTimeUs: 5000000n, serverTimeUs: 1764892800123456n, encoderLatencyUs: 12345 },
    bytes: '04 00000007 00000000004c4b40 00064529206b0240 00003039',
  },
  {
    name: 'pong with unknown latency',
    direction: 'server',
    message: {
      type: 'pong',
      id: 7,
      clientTimeUs: 5000000n,
      serverTimeUs: 1764892800123456n,
      encoderLatencyUs: undefined,
    },
    bytes: '04 00000007 00000000004c4b40 00064529206b0240 ffffffff',
  },
  {
    name: 'server clipboard',
    direction: 'server',
    message: { type: 'server-clipboard', text: 'héllo ✓ 😀' },
    bytes: '05 0000000f 68c3a96c6c6f20e29c9320f09f9880',
  },
  {
    name: 'server stats',
    direction: 'server',
    message: { type: 'server-stats', sentFrames: 1000, droppedFrames: 3, bufferedBytes: 65536, viewers: 2, pipelineRestarts: 1 },
    bytes: '06 000003e8 00000003 00010000 0002 00000001',
  },
  {
    name: 'error',
    direction: 'server',
    message: { type: 'error', code: 3, message: 'Input rate limit reached: 1 message dropped.' },
    bytes:
      '07 0003 002c 496e7075742072617465206c696d697420726561636865643a2031206d6573736167652064726f707065642e',
  },
  {
    name: 'client hello',
    direction: 'client',
    message: { type: 'client-hello', clientId: 'tab-7.A_' },
    bytes: '40 08 7461622d372e415f',
  },
  { name: 'keyframe request', direction: 'client', message: { type: 'keyframe-request' }, bytes: '41' },
  {
    name: 'ping',
    direction: 'client',
    message: { type: 'ping', id: 42, clientTimeUs: 123456789n },
    bytes: '42 0000002a 00000000075bcd15',
  },
  { name: 'pointer move', direction: 'client', message: { type: 'pointer-move', x: 640, y: 360 }, bytes: '43 0280 0168' },
  {
    name: 'relative pointer motion',
    direction: 'client',
    message: { type: 'pointer-relative', dx: -5, dy: 12 },
    bytes: '44 fffb 000c',
  },
  {
    name: 'pointer button',
    direction: 'client',
    message: { type: 'pointer-button', button: 2, pressed: true },
    bytes: '45 02 01',
  },
  { name: 'wheel', direction: 'client', message: { type: 'wheel', deltaX: 0, deltaY: -240 }, bytes: '46 0000 ff10' },
  {
    name: 'key press',
    direction: 'client',
    message: { type: 'key', pressed: true, repeat: false, modifiers: 0x03, code: 'KeyA', key: 'A' },
    bytes: '47 01 03 04 4b657941 01 41',
  },
  {
    name: 'key release without code',
    direction: 'client',
    message: { type: 'key', pressed: false, repeat: false, modifiers: 0, code: '', key: 'é' },
    bytes: '47 00 00 00 02 c3a9',
  },
  {
    name: 'touch',
    direction: 'client',
    message: { type: 'touch', phase: 1, id: 3, x: 100, y: 200 },
    bytes: '48 01 03 0064 00c8',
  },
  {
    name: 'client clipboard',
    direction: 'client',
    message: { type: 'client-clipboard', text: 'line 1\nline 2' },
    bytes: '49 0000000d 6c696e6520310a6c696e652032',
  },
  {
    name: 'resize request',
    direction: 'client',
    message: { type: 'resize-request', width: 1024, height: 768 },
    bytes: '4a 0400 0300',
  },
  {
    name: 'client stats',
    direction: 'client',
    message: { type: 'client-stats', decodePath: 2, decodedFrames: 3000, droppedFrames: 4, latencyUs: 16000 },
    bytes: '4b 02 00000bb8 00000004 00003e80',
  },
];

describe.each(GOLDEN)('$name', ({ message, bytes, direction }) => {
  it('encodes to golden bytes', () => {
    expect(toHex(encodeMessage(message))).toBe(bytes.replace(/ /g, ''));
  });

  it('decodes golden bytes', () => {
    expect(decodeMessage(hex(bytes))).toEqual(message);
  });

  it('decodes in its direction only', () => {
    const decodeOwn = direction === 'server' ? decodeServerMessage : decodeClientMessage;
    const decodeOther = direction === 'server' ? decodeClientMessage : decodeServerMessage;

    expect(decodeOwn(hex(bytes))).toEqual(message);
    expect(errorOf(() => decodeOther(hex(bytes))).code).toBe('STREAM_ERR_WRONG_DIRECTION');
  });

  it('rejects every truncation', () => {
    const full = hex(bytes);
    const fixedEnd = message.type === 'video' ? 10 : full.length;

    for (let length = 0; length < fixedEnd; length += 1) {
      const error = errorOf(() => decodeMessage(full.subarray(0, length)));

      expect(error.code).toBe('STREAM_ERR_TRUNCATED');
    }
  });

  it('rejects input over maxBytes', () => {
    const full = hex(bytes);

    const error = errorOf(() => decodeMessage(full, { maxBytes: full.length - 1 }));

    expect(error.code).toBe('STREAM_ERR_TOO_LARGE');
    expect(error.message).toContain(`${full.length} bytes`);
  });
});

// A video message's data runs to the end of the message, so an extra byte only lengthens its access unit.
describe.each(GOLDEN.filter((golden) => golden.message.type !== 'video'))('$name', ({ bytes }) => {
  it('rejects trailing byte', () => {
    const error = errorOf(() => decodeMessage(hex(`${bytes} 00`)));

    expect(error.code).toBe('STREAM_ERR_TRAILING_BYTES');
  });
});
