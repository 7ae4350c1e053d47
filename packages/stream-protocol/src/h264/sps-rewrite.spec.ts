import { describe, expect, it } from '@jest/globals';
import { streamErrorOf } from '../../test/errors.js';
import { hex, toHex } from '../../test/support.js';
import { parseSps } from './sps.js';
import { rewriteSpsBitstreamRestriction } from './sps-rewrite.js';

const NO_VUI = '6742000af841a2';
const X264_MAIN_WITH_REORDER = '674d4015eca0a0fd80b5060606a50000030001000003003c8f162d96';
const X264_WITHOUT_REORDER = '67f4000d90d9640507ec0440000003004000000f23c50a92';

describe('rewriteSpsBitstreamRestriction', () => {
  it('adds VUI to SPS without one', () => {
    const rewritten = rewriteSpsBitstreamRestriction(hex(NO_VUI));

    expect(toHex(rewritten)).toBe('6742000af841a403682010a8');
  });

  it('writes restriction into added VUI', () => {
    const sps = parseSps(rewriteSpsBitstreamRestriction(hex(NO_VUI)));

    expect(sps.vuiParametersPresent).toBe(true);
    expect(sps.vui?.bitstreamRestriction).toEqual({
      motionVectorsOverPicBoundaries: true,
      maxBytesPerPicDenom: 2,
      maxBitsPerMbDenom: 1,
      log2MaxMvLengthHorizontal: 15,
      log2MaxMvLengthVertical: 15,
      maxNumReorderFrames: 0,
      maxDecFrameBuffering: 1,
    });
    expect([sps.width, sps.height]).toEqual([128, 96]);
  });

  it('replaces reorder values and keeps VUI', () => {
    const original = parseSps(hex(X264_MAIN_WITH_REORDER));

    const sps = parseSps(rewriteSpsBitstreamRestriction(hex(X264_MAIN_WITH_REORDER)));

    expect(sps.vui?.bitstreamRestriction?.maxNumReorderFrames).toBe(0);
    expect(sps.vui?.bitstreamRestriction?.maxDecFrameBuffering).toBe(4);
    expect(sps.vui?.bitstreamRestriction?.log2MaxMvLengthHorizontal).toBe(10);
    expect(sps.vui?.timing).toEqual(original.vui?.timing);
    expect(sps.vui?.videoSignalType).toEqual(original.vui?.videoSignalType);
  });

  it('leaves matching SPS unchanged', () => {
    const rewritten = rewriteSpsBitstreamRestriction(hex(X264_WITHOUT_REORDER));

    expect(toHex(rewritten)).toBe(X264_WITHOUT_REORDER);
  });

  it('applies options', () => {
    const rewritten = rewriteSpsBitstreamRestriction(hex(X264_WITHOUT_REORDER), {
      maxNumReorderFrames: 1,
      maxDecFrameBuffering: 5,
    });

    const restriction = parseSps(rewritten).vui?.bitstreamRestriction;

    expect(restriction?.maxNumReorderFrames).toBe(1);
    expect(restriction?.maxDecFrameBuffering).toBe(5);
  });

  it('rejects buffering below reference frames', () => {
    const error = streamErrorOf(() =>
      rewriteSpsBitstreamRestriction(hex(X264_WITHOUT_REORDER), { maxDecFrameBuffering: 1 }),
    );

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain('maxDecFrameBuffering 1');
  });

  it('rejects invalid SPS', () => {
    const error = streamErrorOf(() => rewriteSpsBitstreamRestriction(hex('6742')));

    expect(error.code).toBe('STREAM_ERR_INVALID_SPS');
  });
});
