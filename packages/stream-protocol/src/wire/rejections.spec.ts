import { describe, expect, it } from '@jest/globals';
import { hex } from '../../test/support.js';
import { streamErrorOf as errorOf } from '../../test/errors.js';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { MAX_CLIPBOARD_BYTES, MAX_ERROR_TEXT_BYTES } from './messages.js';

describe('oversized fields', () => {
  it('rejects clipboard length over limit', () => {
    const error = errorOf(() => decodeMessage(hex('49 00100001 41')));

    expect(error.code).toBe('STREAM_ERR_TOO_LARGE');
    expect(error.message).toContain(`${MAX_CLIPBOARD_BYTES + 1} bytes`);
  });

  it('accepts clipboard at limit', () => {
    const text = 'x'.repeat(MAX_CLIPBOARD_BYTES);

    const message = decodeMessage(encodeMessage({ type: 'client-clipboard', text }));

    expect(message).toEqual({ type: 'client-clipboard', text });
  });

  it('encoder rejects clipboard over limit', () => {
    const error = errorOf(() => encodeMessage({ type: 'server-clipboard', text: 'é'.repeat(MAX_CLIPBOARD_BYTES / 2 + 1) }));

    expect(error.code).toBe('STREAM_ERR_TOO_LARGE');
  });

  it('rejects error text over limit', () => {
    const error = errorOf(() => decodeMessage(hex(`07 0001 ${(MAX_ERROR_TEXT_BYTES + 1).toString(16).padStart(4, '0')}`)));

    expect(error.code).toBe('STREAM_ERR_TOO_LARGE');
  });

  it('rejects client id over 64', () => {
    const error = errorOf(() => decodeMessage(hex(`40 41 ${'61'.repeat(65)}`)));

    expect(error.code).toBe('STREAM_ERR_TOO_LARGE');
  });

  it('rejects key value over 64 bytes', () => {
    const error = errorOf(() => decodeMessage(hex(`47 01 00 00 41 ${'61'.repeat(65)}`)));

    expect(error.code).toBe('STREAM_ERR_TOO_LARGE');
  });

  it('rejects key code over 64', () => {
    const error = errorOf(() => decodeMessage(hex(`47 01 00 41 ${'61'.repeat(65)} 00`)));

    expect(error.code).toBe('STREAM_ERR_TOO_LARGE');
  });
});

describe('invalid fields', () => {
  it.each([
    ['hello with zero maxMessageBytes', '01 02 00 00000000 0000000000000000', 'maxMessageBytes 0'],
    ['configuration with zero coded width', '03 0000 02d0 0500 02d0 001e 0001 01 61', 'codedWidth 0'],
    ['configuration with space in codec', '03 0500 02d0 0500 02d0 001e 0001 01 20', '0x20'],
    ['pointer button 5', '45 05 01', 'button 5'],
    ['pointer button pressed 2', '45 00 02', 'pressed 2'],
    ['key with flag bit 2', '47 04 00 00 00', 'flags 0x04'],
    ['key with modifier bit 7', '47 01 80 00 00', 'modifiers 128'],
    ['key code with dash', '47 01 00 02 412d 00', '0x2d'],
    ['key value with overlong UTF-8', '47 01 00 00 02 c0af', 'not valid UTF-8'],
    ['key value with surrogate', '47 01 00 00 03 eda080', 'not valid UTF-8'],
    ['clipboard with cut UTF-8', '49 00000001 c3', 'not valid UTF-8'],
    ['touch phase 4', '48 04 00 0000 0000', 'phase 4'],
    ['resize to zero width', '4a 0000 0300', 'width 0'],
    ['client stats decode path 3', '4b 03 00000000 00000000 00000000', 'decodePath 3'],
    ['client hello with space', '40 02 6120', '0x20'],
    ['empty client id', '40 00', 'clientId length 0'],
  ])('rejects %s', (_name, bytes, detail) => {
    const error = errorOf(() => decodeMessage(hex(bytes)));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain(detail);
  });

  it('encoder rejects lone surrogate', () => {
    const error = errorOf(() => encodeMessage({ type: 'client-clipboard', text: 'a\ud800b' }));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain('surrogate');
  });

  it('encoder rejects hello layout mismatch', () => {
    const error = errorOf(() =>
      encodeMessage({ type: 'hello', version: 1, capabilities: 0, maxMessageBytes: 1, serverTimeUs: 0n }),
    );

    expect(error.code).toBe('STREAM_ERR_UNSUPPORTED_VERSION');
  });

  it('encoder rejects pointer outside u16', () => {
    const error = errorOf(() => encodeMessage({ type: 'pointer-move', x: 65536, y: 0 }));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain('x 65536');
  });

  it('encoder rejects wheel outside i16', () => {
    const error = errorOf(() => encodeMessage({ type: 'wheel', deltaX: 0, deltaY: -32769 }));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });

  it('encoder rejects pong latency sentinel', () => {
    const error = errorOf(() =>
      encodeMessage({ type: 'pong', id: 0, clientTimeUs: 0n, serverTimeUs: 0n, encoderLatencyUs: 0xffff_ffff }),
    );

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });

  it('encoder rejects key code with space', () => {
    const error = errorOf(() =>
      encodeMessage({ type: 'key', pressed: true, repeat: false, modifiers: 0, code: 'Key A', key: 'a' }),
    );

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
  });
});
