import { describe, expect, it } from '@jest/globals';
import {
  AccessUnitSplitter,
  NalUnitType,
  codecString,
  encodeMessage,
  nalUnitType,
  parseSps,
  splitAccessUnits,
  type AccessUnit,
  type SequenceParameterSet,
} from '../src/index.js';
import { readCase, seededRandom, toHex } from './support.js';

/**
 * Expected values per case file. `accessUnits`, `keyframes` and `starts` come from GStreamer 1.22:
 * `gst-launch-1.0 filesrc location=F ! h264parse ! video/x-h264,alignment=au,stream-format=byte-stream !
 * fakesink silent=false -v`, one buffer per access unit. `starts` is each buffer's `offset`, the file offset of the
 * access unit's first start code.
 */
const cases = {
  'bframes-main-320x240.h264': {
    accessUnits: 30,
    keyframes: [0],
    codec: 'avc1.4d4015',
    size: [320, 240],
    starts: [
      0, 1448, 1983, 2428, 2787, 3144, 3570, 3986, 4478, 4805, 5174, 5572, 5916, 6219, 6446, 6851, 7249, 7754, 8185,
      8544, 9041, 9398, 9822, 10241, 10654, 11042, 11519, 11884, 12194, 12656,
    ],
  },
  'cropped-1278x718.h264': {
    accessUnits: 30,
    keyframes: [0],
    codec: 'avc1.f4001f',
    size: [1278, 718],
    starts: [
      0, 1209, 1373, 1689, 2063, 2391, 2838, 3249, 3658, 4053, 4359, 4754, 5130, 5564, 5946, 6473, 6902, 7373, 7861,
      8373, 8855, 9367, 9907, 10406, 10846, 11428, 11837, 12370, 12942, 13500,
    ],
  },
  'high-level51-1920x1080.h264': {
    accessUnits: 10,
    keyframes: [0],
    codec: 'avc1.42c033',
    size: [1920, 1080],
    starts: [0, 7227, 7508, 8103, 8470, 8885, 16308, 16566, 16695, 17068],
  },
  'no-vui-320x240.h264': {
    accessUnits: 20,
    keyframes: [0, 10],
    codec: 'avc1.f4000d',
    size: [320, 240],
    starts: [
      0, 1354, 1783, 2368, 3035, 3741, 4399, 4939, 5542, 6266, 6945, 7863, 8490, 9089, 9755, 10464, 10860, 11453,
      12183, 12825,
    ],
  },
  'res-change-320x240-to-240x320.h264': {
    accessUnits: 30,
    keyframes: [0, 15],
    codec: 'avc1.f4000d',
    size: [320, 240],
    starts: [
      0, 1359, 1788, 2373, 3040, 3746, 4404, 4944, 5547, 6271, 6950, 7613, 8254, 8849, 9527, 10205, 15940, 20083, 25125,
      30649, 36400, 42722, 49042, 55571, 62055, 68220, 74587, 80799, 87040, 93402,
    ],
  },
  'sps-pps-3sei-idr-no-aud-320x240.h264': {
    accessUnits: 10,
    keyframes: [0],
    codec: 'avc1.f4000d',
    size: [320, 240],
    starts: [0, 2652, 3013, 3329, 3833, 4456, 5082, 5550, 6058, 6684],
  },
} as const;

type CaseName = keyof typeof cases;

const caseNames = Object.keys(cases) as CaseName[];

/** Returns each SPS of the stream with the index of its access unit. */
function spsList(accessUnits: AccessUnit[]): { index: number; sps: SequenceParameterSet }[] {
  return accessUnits.flatMap((accessUnit, index) =>
    accessUnit.nalUnits.filter((nalUnit) => nalUnitType(nalUnit) === NalUnitType.Sps).map((nalUnit) => ({
      index,
      sps: parseSps(nalUnit),
    })),
  );
}

/** Returns the file offset of an access unit's start code, 4 bytes before its first NAL unit in these files. */
function startOffset(accessUnit: AccessUnit, file: Uint8Array): number {
  return accessUnit.nalUnits[0].byteOffset - file.byteOffset - 4;
}

function toHexList(accessUnits: AccessUnit[]): string[][] {
  return accessUnits.map((accessUnit) => [String(accessUnit.keyframe), ...accessUnit.nalUnits.map(toHex)]);
}

describe.each(caseNames)('%s', (name) => {
  const expected = cases[name];
  const file = readCase(name);
  const accessUnits = splitAccessUnits(file);

  it('has access unit count', () => {
    expect(accessUnits.length).toBe(expected.accessUnits);
  });

  it('has keyframes at indexes', () => {
    const keyframes = accessUnits.flatMap((accessUnit, index) => (accessUnit.keyframe ? [index] : []));

    expect(keyframes).toEqual(expected.keyframes);
  });

  it('matches GStreamer access unit starts', () => {
    const starts = accessUnits.map((accessUnit) => startOffset(accessUnit, file));

    expect(starts).toEqual(expected.starts);
  });

  it('starts with SPS, PPS and IDR', () => {
    const types = accessUnits[0].nalUnits.map(nalUnitType);

    expect(types).toContain(NalUnitType.Sps);
    expect(types).toContain(NalUnitType.Pps);
    expect(types).toContain(NalUnitType.IdrSlice);
    expect(types.indexOf(NalUnitType.Sps)).toBeLessThan(types.indexOf(NalUnitType.IdrSlice));
  });

  it('has codec string and size from first SPS', () => {
    const [{ sps }] = spsList(accessUnits);

    expect(codecString(sps)).toBe(expected.codec);
    expect([sps.width, sps.height]).toEqual(expected.size);
  });

  it('splits chunked stream identically', () => {
    const random = seededRandom(name.length * 7919);
    const whole = toHexList(accessUnits);

    for (let round = 0; round < 5; round += 1) {
      const splitter = new AccessUnitSplitter();
      const streamed: AccessUnit[] = [];
      // Rounds alternate small chunks, which cut many start codes, and large ones.
      const maxChunk = round % 2 === 0 ? 8 : 4096;

      for (let offset = 0; offset < file.length; ) {
        const size = 1 + Math.floor(random() * maxChunk);

        streamed.push(...splitter.push(file.subarray(offset, offset + size)));
        offset += size;
      }

      streamed.push(...splitter.flush());
      expect(toHexList(streamed)).toEqual(whole);
    }
  });

  it('splits stream cut inside every start code identically', () => {
    const whole = toHexList(accessUnits);

    for (const cut of [1, 2, 3]) {
      const splitter = new AccessUnitSplitter();
      const streamed: AccessUnit[] = [];
      let from = 0;

      for (const accessUnit of accessUnits) {
        for (const nalUnit of accessUnit.nalUnits) {
          const to = nalUnit.byteOffset - file.byteOffset - 4 + cut;

          streamed.push(...splitter.push(file.subarray(from, to)));
          from = to;
        }
      }

      streamed.push(...splitter.push(file.subarray(from)), ...splitter.flush());
      expect(toHexList(streamed)).toEqual(whole);
    }
  });
});

describe('case details', () => {
  it('keeps SPS, PPS, 3 SEI and IDR in first access unit', () => {
    const accessUnits = splitAccessUnits(readCase('sps-pps-3sei-idr-no-aud-320x240.h264'));

    const types = accessUnits[0].nalUnits.map(nalUnitType);

    expect(types).toEqual([7, 8, 6, 6, 6, 5]);
    expect(accessUnits[0].keyframe).toBe(true);
  });

  it('crops 1280x720 to 1278x718', () => {
    const [{ sps }] = spsList(splitAccessUnits(readCase('cropped-1278x718.h264')));

    expect([sps.codedWidth, sps.codedHeight]).toEqual([1280, 720]);
    expect(sps.crop).toEqual({ left: 0, right: 2, top: 0, bottom: 2 });
    expect([sps.width, sps.height]).toEqual([1278, 718]);
  });

  it('reads constrained baseline level 5.1 at 1080p60', () => {
    // NOTE: this file is Constrained Baseline (profile_idc 66, constraint_set0 and constraint_set1), not High profile.
    const [{ sps }] = spsList(splitAccessUnits(readCase('high-level51-1920x1080.h264')));

    expect(sps.profileIdc).toBe(66);
    expect(sps.constraintFlags).toBe(0xc0);
    expect(sps.levelIdc).toBe(51);
    expect([sps.codedWidth, sps.codedHeight]).toEqual([1920, 1088]);
    expect(sps.frameRate).toBe(60);
  });

  it('keeps two slices per picture together', () => {
    const accessUnits = splitAccessUnits(readCase('high-level51-1920x1080.h264'));

    const sliceCounts = accessUnits.map(
      (accessUnit) => accessUnit.nalUnits.filter((nalUnit) => [1, 5].includes(nalUnitType(nalUnit))).length,
    );

    expect(sliceCounts).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
  });

  it('changes size at access unit 15', () => {
    const list = spsList(splitAccessUnits(readCase('res-change-320x240-to-240x320.h264')));

    const sizes = list.map(({ index, sps }) => [index, sps.width, sps.height]);

    expect(sizes).toEqual([
      [0, 320, 240],
      [15, 240, 320],
    ]);
  });

  it('reads 4:4:4 10-bit High 4:4:4 SPS', () => {
    const [{ sps }] = spsList(splitAccessUnits(readCase('no-vui-320x240.h264')));

    expect(sps.profileIdc).toBe(244);
    expect(sps.chromaFormatIdc).toBe(3);
    expect(sps.bitDepthLuma).toBe(10);
    expect(sps.bitDepthChroma).toBe(10);
  });

  it('finds VUI in no-vui file', () => {
    // NOTE: despite its name, this file's SPS has a VUI (GStreamer 1.22's parser reads one too), with timing info and a
    // bitstream restriction of max_num_reorder_frames 0 and max_dec_frame_buffering 3. The SPS parse test covers an
    // SPS without VUI.
    const [{ sps }] = spsList(splitAccessUnits(readCase('no-vui-320x240.h264')));

    expect(sps.vuiParametersPresent).toBe(true);
    expect(sps.vui?.bitstreamRestriction?.maxNumReorderFrames).toBe(0);
    expect(sps.vui?.bitstreamRestriction?.maxDecFrameBuffering).toBe(3);
  });

  it('has reorder frames in B-frame stream', () => {
    const [{ sps }] = spsList(splitAccessUnits(readCase('bframes-main-320x240.h264')));

    expect(sps.picOrderCntType).toBe(0);
    expect(sps.vui?.bitstreamRestriction?.maxNumReorderFrames).toBe(2);
  });
});

describe('configuration messages from case SPS', () => {
  /** Encodes the Configuration message a server sends for an SPS, at the given frame rate. */
  function configurationHex(sps: SequenceParameterSet, frameRate: number): string {
    const bytes = encodeMessage({
      type: 'configuration',
      codec: codecString(sps),
      codedWidth: sps.codedWidth,
      codedHeight: sps.codedHeight,
      width: sps.width,
      height: sps.height,
      frameRateNumerator: frameRate,
      frameRateDenominator: 1,
    });

    return toHex(bytes);
  }

  // The expected bytes come from Python's struct.pack with the layout in PROTOCOL.md.
  it('changes configuration at resolution change', () => {
    const list = spsList(splitAccessUnits(readCase('res-change-320x240-to-240x320.h264')));

    const messages = list.map(({ sps }) => configurationHex(sps, 30));

    expect(messages).toEqual([
      '03014000f0014000f0001e00010b617663312e663430303064',
      '0300f0014000f00140001e00010b617663312e663430303064',
    ]);
  });

  it('carries coded and cropped size', () => {
    const [{ sps }] = spsList(splitAccessUnits(readCase('cropped-1278x718.h264')));

    expect(configurationHex(sps, 30)).toBe('03050002d004fe02ce001e00010b617663312e663430303166');
  });

  it('carries level 5.1 codec string', () => {
    const [{ sps }] = spsList(splitAccessUnits(readCase('high-level51-1920x1080.h264')));

    expect(configurationHex(sps, 60)).toBe('030780044007800438003c00010b617663312e343263303333');
  });
});
