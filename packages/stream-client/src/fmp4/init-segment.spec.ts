import { describe, expect, it } from '@jest/globals';

import { findBox, hexBytes, indexOfBytes, parseBoxes, toHex } from '../../test/support/box-tree.js';
import { createInitSegment } from './init-segment.js';

// SPS and PPS of the cropped case: 1280x720 coded, 1278x718 after frame cropping, High 4:4:4 Predictive, level 3.1.
const SPS = hexBytes('67f4001f90d964014016fbbc05a808080a000003000200000300791e306490');
const PPS = hexBytes('68ebcc448440');

describe('createInitSegment', () => {
  const segment = createInitSegment({ sps: [SPS], pps: [PPS], width: 1278, height: 718, chromaFormatIdc: 3 });
  const boxes = parseBoxes(segment);

  it('contains ftyp and moov only', () => {
    expect(boxes.map((parsed) => parsed.type)).toEqual(['ftyp', 'moov']);
  });

  it('has sizes that add up', () => {
    expect(boxes.reduce((sum, parsed) => sum + parsed.size, 0)).toBe(segment.length);
  });

  it('nests the sample table', () => {
    const stbl = findBox(boxes, ['moov', 'trak', 'mdia', 'minf', 'stbl']);

    expect(stbl.children.map((parsed) => parsed.type)).toEqual(['stsd', 'stts', 'stsc', 'stsz', 'stco']);
  });

  it('writes tkhd size in 16.16', () => {
    const tkhd = findBox(boxes, ['moov', 'trak', 'tkhd']);

    expect(toHex(tkhd.payload.subarray(76, 84))).toBe('04fe0000' + '02ce0000');
  });

  it('writes avc1 size in pixels', () => {
    const avc1 = findBox(boxes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'avc1']);

    expect(toHex(avc1.payload.subarray(24, 28))).toBe('04fe' + '02ce');
  });

  it('puts the SPS in avcC', () => {
    const avcC = findBox(boxes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'avc1', 'avcC']);

    expect(indexOfBytes(avcC.payload, SPS)).toBe(8);
  });

  it('puts the PPS in avcC', () => {
    const avcC = findBox(boxes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'avc1', 'avcC']);

    expect(indexOfBytes(avcC.payload, PPS)).toBe(8 + SPS.length + 3);
  });

  it('copies profile and level into avcC', () => {
    const avcC = findBox(boxes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'avc1', 'avcC']);

    expect(toHex(avcC.payload.subarray(0, 6))).toBe('01' + 'f4001f' + 'ff' + 'e1');
  });

  it('adds the High-profile avcC fields', () => {
    const avcC = findBox(boxes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd', 'avc1', 'avcC']);

    expect(toHex(avcC.payload.subarray(avcC.payload.length - 4))).toBe('ff' + 'f8' + 'f8' + '00');
  });

  it('writes timescale 90000 in mdhd', () => {
    const mdhd = findBox(boxes, ['moov', 'trak', 'mdia', 'mdhd']);

    expect(toHex(mdhd.payload.subarray(12, 16))).toBe('00015f90');
  });

  it('writes trex for track 1', () => {
    const trex = findBox(boxes, ['moov', 'mvex', 'trex']);

    expect(toHex(trex.payload.subarray(4, 12))).toBe('00000001' + '00000001');
  });
});
