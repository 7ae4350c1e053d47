import { describe, expect, it } from '@jest/globals';
import { streamErrorOf } from '../../test/errors.js';
import { buildSps } from '../../test/sps-builder.js';
import { hex } from '../../test/support.js';
import { parseSps } from './sps.js';

describe('parseSps', () => {
  it('parses SPS with emulation prevention', () => {
    const sps = parseSps(hex('274de0288d680a03da1000000300100000030280f1422a'));

    expect(sps.profileIdc).toBe(77);
    expect(sps.levelIdc).toBe(40);
    expect(sps.constraintFlags).toBe(0xe0);
    expect(sps.width).toBe(640);
    expect(sps.height).toBe(480);
    expect(sps.vui?.timing).toEqual({ numUnitsInTick: 1, timeScale: 40, fixedFrameRate: false });
    expect(sps.frameRate).toBe(20);
    expect(sps.vui?.bitstreamRestriction?.maxNumReorderFrames).toBe(0);
  });

  it('parses SPS without VUI', () => {
    const sps = parseSps(hex('6742000af841a2'));

    expect(sps.vuiParametersPresent).toBe(false);
    expect(sps.vui).toBeUndefined();
    expect(sps.frameRate).toBeUndefined();
    expect(sps.frameMbsOnly).toBe(true);
    expect(sps.codedWidth).toBe(128);
    expect(sps.codedHeight).toBe(96);
  });

  it('parses pic_order_cnt_type 1', () => {
    const sps = parseSps(buildSps({ picOrderCntType: 1, offsetsForRefFrame: [3, -7, 0] }));

    expect(sps.picOrderCntType).toBe(1);
    expect(sps.log2MaxPicOrderCntLsb).toBeUndefined();
    expect(sps.width).toBe(320);
  });

  it('skips scaling lists', () => {
    // A list ends early when its running scale reaches 0: [5, -13] goes 8, 13, 0.
    const lists = [[1, -2, 3, ...Array<number>(13).fill(0)], undefined, [-8], undefined, undefined, [5, -13], [-8]];

    const sps = parseSps(buildSps({ scalingLists: [...lists, undefined] }));

    expect(sps.scalingMatrixPresent).toBe(true);
    expect(sps.width).toBe(320);
    expect(sps.height).toBe(240);
  });

  it('skips 4:4:4 scaling lists', () => {
    const lists = Array.from({ length: 12 }, (_, index) => (index % 3 === 0 ? [4, -12] : undefined));

    const sps = parseSps(buildSps({ profileIdc: 244, chromaFormatIdc: 3, scalingLists: lists }));

    expect(sps.chromaFormatIdc).toBe(3);
    expect(sps.width).toBe(320);
  });

  it('crops 4:2:0 frames in steps of 2', () => {
    const sps = parseSps(buildSps({ widthInMbs: 80, heightInMapUnits: 45, crop: [1, 2, 3, 4] }));

    expect(sps.crop).toEqual({ left: 2, right: 4, top: 6, bottom: 8 });
    expect(sps.width).toBe(1274);
    expect(sps.height).toBe(706);
  });

  it('crops 4:2:2 frames in steps of 2 and 1', () => {
    const sps = parseSps(buildSps({ profileIdc: 122, chromaFormatIdc: 2, crop: [0, 1, 0, 3] }));

    expect(sps.width).toBe(318);
    expect(sps.height).toBe(237);
  });

  it('crops 4:4:4 frames in steps of 1', () => {
    const sps = parseSps(buildSps({ profileIdc: 244, chromaFormatIdc: 3, crop: [0, 1, 0, 1] }));

    expect(sps.width).toBe(319);
    expect(sps.height).toBe(239);
  });

  it('crops separate colour planes in steps of 1', () => {
    const sps = parseSps(
      buildSps({ profileIdc: 244, chromaFormatIdc: 3, separateColourPlane: true, crop: [1, 0, 1, 0] }),
    );

    expect(sps.separateColourPlane).toBe(true);
    expect(sps.width).toBe(319);
    expect(sps.height).toBe(239);
  });

  it('crops monochrome field frames in steps of 1 and 2', () => {
    const sps = parseSps(
      buildSps({ chromaFormatIdc: 0, frameMbsOnly: false, heightInMapUnits: 8, crop: [0, 3, 0, 1] }),
    );

    expect(sps.codedHeight).toBe(256);
    expect(sps.width).toBe(317);
    expect(sps.height).toBe(254);
  });

  it('crops 4:2:0 field frames in steps of 4', () => {
    const sps = parseSps(buildSps({ frameMbsOnly: false, heightInMapUnits: 23, crop: [0, 1, 0, 5] }));

    expect(sps.codedHeight).toBe(736);
    expect(sps.height).toBe(716);
  });

  it('reads HRD and timing in VUI', () => {
    const sps = parseSps(buildSps({ vuiWithHrd: true }));

    expect(sps.frameRate).toBeCloseTo(29.97, 2);
    expect(sps.vui?.nalHrd?.cpbSpecifications).toEqual([
      { bitRate: 10_000 * 2 ** 8, cpbSize: 5_000 * 2 ** 7, constantBitRate: true },
    ]);
    expect(sps.vui?.nalHrd?.timeOffsetLength).toBe(24);
    expect(sps.vui?.lowDelayHrd).toBe(true);
    expect(sps.vui?.bitstreamRestriction).toBeUndefined();
  });

  it('rejects reserved chroma_format_idc', () => {
    const error = streamErrorOf(() => parseSps(buildSps({ chromaFormatIdc: 4 })));

    expect(error.code).toBe('STREAM_ERR_INVALID_SPS');
    expect(error.message).toContain('chroma_format_idc 4');
  });

  it('rejects reserved pic_order_cnt_type', () => {
    const error = streamErrorOf(() => parseSps(buildSps({ picOrderCntType: 3 })));

    expect(error.code).toBe('STREAM_ERR_INVALID_SPS');
    expect(error.message).toContain('pic_order_cnt_type 3');
  });

  it('rejects bit depth above 14', () => {
    const error = streamErrorOf(() => parseSps(buildSps({ bitDepthLumaMinus8: 7 })));

    expect(error.code).toBe('STREAM_ERR_INVALID_SPS');
  });

  it('rejects crop beyond picture', () => {
    const error = streamErrorOf(() => parseSps(buildSps({ crop: [80, 80, 0, 0] })));

    expect(error.code).toBe('STREAM_ERR_INVALID_SPS');
    expect(error.message).toContain('left 160, right 160');
  });

  it('rejects data after syntax elements', () => {
    const error = streamErrorOf(() => parseSps(buildSps({ extraBits: 5 })));

    expect(error.code).toBe('STREAM_ERR_INVALID_SPS');
  });

  it('rejects truncated SPS', () => {
    const error = streamErrorOf(() => parseSps(hex('274de0288d680a03da10')));

    expect(error.code).toBe('STREAM_ERR_INVALID_SPS');
    expect(error.message).toContain('truncated');
  });

  it('rejects non-SPS NAL unit', () => {
    const error = streamErrorOf(() => parseSps(hex('68ce3c80')));

    expect(error.code).toBe('STREAM_ERR_INVALID_SPS');
    expect(error.message).toContain('0x68');
  });

  it('rejects forbidden_zero_bit', () => {
    const error = streamErrorOf(() => parseSps(hex('e742000af841a2')));

    expect(error.code).toBe('STREAM_ERR_INVALID_SPS');
  });

  it('rejects forbidden 00 00 00', () => {
    const error = streamErrorOf(() => parseSps(hex('674d4028000000')));

    expect(error.code).toBe('STREAM_ERR_INVALID_SPS');
    expect(error.cause).toBeDefined();
  });
});
