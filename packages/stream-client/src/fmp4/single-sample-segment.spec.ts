import { describe, expect, it } from '@jest/globals';

import { toAvccSample } from './avc-sample-entry.js';
import { createMediaSegment, NON_SYNC_SAMPLE_FLAGS, SYNC_SAMPLE_FLAGS } from './media-segment.js';
import { writeSingleSampleSegment } from './single-sample-segment.js';

const NAL_UNITS = [Uint8Array.of(0x06, 0x05, 0x01, 0x80), Uint8Array.of(0x65, 0x88, 0x84, 0x00, 0x33, 0xff)];

describe('writeSingleSampleSegment', () => {
  it.each([
    ['a keyframe', SYNC_SAMPLE_FLAGS, 0, 1],
    ['a delta frame', NON_SYNC_SAMPLE_FLAGS, 3003, 2],
    ['a decode time past 32 bits', NON_SYNC_SAMPLE_FLAGS, 2 ** 40 + 7, 4_000_000_000],
  ])('matches createMediaSegment for %s', (_name, flags, baseMediaDecodeTime, sequenceNumber) => {
    const data = toAvccSample(NAL_UNITS);
    const expected = createMediaSegment({
      sequenceNumber,
      baseMediaDecodeTime,
      samples: [{ duration: 1500, size: data.length, flags, compositionTimeOffset: 0 }],
      data,
    });

    const actual = writeSingleSampleSegment({ sequenceNumber, baseMediaDecodeTime, duration: 1500, flags, nalUnits: NAL_UNITS });

    expect(Buffer.from(actual).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
  });

  it('writes the data offset past the mdat header', () => {
    const segment = writeSingleSampleSegment({ sequenceNumber: 1, baseMediaDecodeTime: 0, duration: 1, flags: 0, nalUnits: NAL_UNITS });
    const view = new DataView(segment.buffer);
    const moofSize = view.getUint32(0);

    // trun: the last box of traf; its data_offset follows the header, version and flags, and sample_count.
    expect(moofSize).toBe(104);
    expect(view.getInt32(moofSize - 36 + 16)).toBe(moofSize + 8);
    expect(segment[moofSize + 8 + 3]).toBe(NAL_UNITS[0]!.length);
  });
});
