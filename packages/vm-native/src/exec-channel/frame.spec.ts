import { describe, expect, it } from '@jest/globals';
import { decodeExitCode, encodeExitCode, encodeFrame, FrameDecoder, FrameError, FrameType, MAX_FRAME_BYTES } from './frame.js';

// A stdout frame for command 7 with the payload "hi", then an exit frame for command 7 with exit code 3.
const GOLDEN = Buffer.from('00000007' + '11' + '00000007' + '6869' + '00000009' + '13' + '00000007' + '00000003', 'hex');

function frameError(run: () => unknown): FrameError {
  try {
    run();
  } catch (error) {
    if (error instanceof FrameError) {
      return error;
    }

    throw error;
  }

  throw new Error('No FrameError was raised.');
}

describe('exec channel frames', () => {
  it('encodes the golden bytes', () => {
    const encoded = Buffer.concat([encodeFrame(FrameType.stdout, 7, Buffer.from('hi')), encodeFrame(FrameType.exit, 7, encodeExitCode(3))]);

    expect(encoded.toString('hex')).toBe(GOLDEN.toString('hex'));
  });

  it('decodes the golden bytes', () => {
    const frames = new FrameDecoder().push(GOLDEN);

    expect(frames.map((frame) => [frame.type, frame.commandId, frame.payload.toString('hex')])).toEqual([
      [FrameType.stdout, 7, '6869'],
      [FrameType.exit, 7, '00000003'],
    ]);
    expect(decodeExitCode(frames[1]?.payload ?? Buffer.alloc(0))).toBe(3);
  });

  it('decodes frames split at every byte', () => {
    const decoder = new FrameDecoder();
    const frames = [...GOLDEN].flatMap((byte) => decoder.push(Buffer.from([byte])));

    expect(frames.map((frame) => frame.commandId)).toEqual([7, 7]);
    expect(frames[0]?.payload.toString('utf8')).toBe('hi');
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('keeps a partial frame until it completes', () => {
    const decoder = new FrameDecoder();

    expect(decoder.push(GOLDEN.subarray(0, 15))).toHaveLength(1);
    expect(decoder.bufferedBytes).toBe(4);
    expect(decoder.push(GOLDEN.subarray(15))).toHaveLength(1);
  });

  it('decodes an empty payload', () => {
    const [frame] = new FrameDecoder().push(encodeFrame(FrameType.kill, 0xffff_ffff));

    expect(frame?.type).toBe(FrameType.kill);
    expect(frame?.commandId).toBe(0xffff_ffff);
    expect(frame?.payload.length).toBe(0);
  });

  it('rejects an oversized frame on decode', () => {
    const header = Buffer.from('00100006' + '11' + '00000001', 'hex');
    const error = frameError(() => new FrameDecoder().push(header));

    expect(error.code).toBe('FRAME_ERR_TOO_LARGE');
    expect(error.message).toContain(String(MAX_FRAME_BYTES));
  });

  it('rejects an oversized frame on encode', () => {
    const error = frameError(() => encodeFrame(FrameType.stdin, 1, Buffer.alloc(MAX_FRAME_BYTES)));

    expect(error.code).toBe('FRAME_ERR_TOO_LARGE');
  });

  it('accepts a frame at the limit', () => {
    const frame = encodeFrame(FrameType.stdin, 1, Buffer.alloc(MAX_FRAME_BYTES - 5));

    expect(new FrameDecoder().push(frame)).toHaveLength(1);
  });

  it('honours a smaller decoder limit', () => {
    const error = frameError(() => new FrameDecoder(16).push(encodeFrame(FrameType.stdout, 1, Buffer.alloc(12))));

    expect(error.code).toBe('FRAME_ERR_TOO_LARGE');
  });

  it('rejects a length below the header', () => {
    const error = frameError(() => new FrameDecoder().push(Buffer.from('00000004' + '11000000', 'hex')));

    expect(error.code).toBe('FRAME_ERR_INVALID');
  });

  it('rejects an exit payload of the wrong size', () => {
    const error = frameError(() => decodeExitCode(Buffer.from('0003', 'hex')));

    expect(error.code).toBe('FRAME_ERR_INVALID');
  });
});
