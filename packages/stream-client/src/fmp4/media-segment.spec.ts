import { describe, expect, it } from '@jest/globals';

import { findBox, hexBytes, parseBoxes, toHex } from '../../test/support/box-tree.js';
import {
  createMediaSegment,
  movieFragmentHeader,
  NON_SYNC_SAMPLE_FLAGS,
  SYNC_SAMPLE_FLAGS,
  trackFragmentDecodeTime,
  trackRun,
} from './media-segment.js';

describe('movieFragmentHeader', () => {
  it('writes sequence number 1', () => {
    const bytes = movieFragmentHeader(1);

    expect(toHex(bytes)).toBe('00000010' + '6d666864' + '00000000' + '00000001');
  });
});

describe('trackFragmentDecodeTime', () => {
  it('writes a 64-bit version 1 time', () => {
    const bytes = trackFragmentDecodeTime(0x0123456789);

    expect(toHex(bytes)).toBe('00000014' + '74666474' + '01000000' + '0000000123456789');
  });
});

describe('trackRun', () => {
  it('writes one sync sample', () => {
    const bytes = trackRun([{ duration: 0x0bb8, size: 0x1234, flags: SYNC_SAMPLE_FLAGS, compositionTimeOffset: 0 }], 0x70);

    expect(toHex(bytes)).toBe(
      '00000024' + '7472756e' + '00000f01' + '00000001' + '00000070' + '00000bb8' + '00001234' + '02000000' + '00000000',
    );
  });

  it('uses version 1 for a negative offset', () => {
    const bytes = trackRun([{ duration: 1, size: 1, flags: NON_SYNC_SAMPLE_FLAGS, compositionTimeOffset: -3000 }], 0);

    expect(bytes[8]).toBe(0x01);
    expect(toHex(bytes.subarray(32, 36))).toBe('fffff448');
  });
});

describe('createMediaSegment', () => {
  const data = hexBytes('00000002 0988 00000003 65b840');
  const segment = createMediaSegment({
    sequenceNumber: 7,
    baseMediaDecodeTime: 90_000,
    samples: [{ duration: 3000, size: data.length, flags: SYNC_SAMPLE_FLAGS, compositionTimeOffset: 0 }],
    data,
  });
  const boxes = parseBoxes(segment);

  it('writes moof then mdat', () => {
    expect(boxes.map((parsed) => parsed.type)).toEqual(['moof', 'mdat']);
  });

  it('points the data offset at the mdat payload', () => {
    const trun = findBox(boxes, ['moof', 'traf', 'trun']);
    const dataOffset = new DataView(trun.payload.buffer, trun.payload.byteOffset).getInt32(8);

    expect(toHex(segment.subarray(dataOffset, dataOffset + data.length))).toBe(toHex(data));
  });

  it('sets default-base-is-moof in tfhd', () => {
    const tfhd = findBox(boxes, ['moof', 'traf', 'tfhd']);

    expect(toHex(tfhd.payload)).toBe('00020000' + '00000001');
  });

  it('rejects sizes that do not match', () => {
    const build = () =>
      createMediaSegment({
        sequenceNumber: 1,
        baseMediaDecodeTime: 0,
        samples: [{ duration: 1, size: 99, flags: SYNC_SAMPLE_FLAGS, compositionTimeOffset: 0 }],
        data,
      });

    expect(build).toThrow(/add up to 99 bytes/);
  });
});
