import { describe, expect, it } from '@jest/globals';
import { streamErrorOf } from '../../test/errors.js';
import { hex, toHex } from '../../test/support.js';
import { AccessUnitSplitter } from './access-unit-splitter.js';
import { splitAccessUnits } from './access-unit.js';
import { toAnnexB } from './annex-b.js';

// Slices: after the header byte, 0x88 and 0x9a start with ue(v) '1' (first_mb_in_slice 0), 0x16 with '0001011' (10).
const AUD = '09f0';
const SPS = '6742c033';
const PPS = '68ce3c80';
const SEI = '0605';
const IDR_FIRST = '658884';
const IDR_SECOND = '651688';
const P_FIRST = '419a';
const P_SECOND = '41169a';

/** Splits the Annex-B stream of these NAL units and returns each access unit's NAL units as hex. */
function split(...nalUnits: string[]): string[][] {
  return splitAccessUnits(toAnnexB(nalUnits.map(hex))).map((accessUnit) => accessUnit.nalUnits.map(toHex));
}

describe('splitAccessUnits', () => {
  it('keeps SPS, PPS, three SEI and IDR together', () => {
    const accessUnits = splitAccessUnits(toAnnexB([SPS, PPS, SEI, SEI, SEI, IDR_FIRST, P_FIRST].map(hex)));

    expect(accessUnits.length).toBe(2);
    expect(accessUnits[0].nalUnits.map(toHex)).toEqual([SPS, PPS, SEI, SEI, SEI, IDR_FIRST]);
    expect(accessUnits[0].keyframe).toBe(true);
    expect(accessUnits[1].keyframe).toBe(false);
  });

  it('keeps slices of one picture together', () => {
    const accessUnits = split(AUD, SPS, PPS, IDR_FIRST, IDR_SECOND, AUD, P_FIRST, P_SECOND);

    expect(accessUnits).toEqual([
      [AUD, SPS, PPS, IDR_FIRST, IDR_SECOND],
      [AUD, P_FIRST, P_SECOND],
    ]);
  });

  it('splits slices without AUD at first_mb_in_slice 0', () => {
    const accessUnits = split(IDR_FIRST, IDR_SECOND, P_FIRST, P_SECOND, P_FIRST);

    expect(accessUnits).toEqual([[IDR_FIRST, IDR_SECOND], [P_FIRST, P_SECOND], [P_FIRST]]);
  });

  it('starts new access unit at SEI after slice', () => {
    const accessUnits = split(P_FIRST, SEI, P_FIRST);

    expect(accessUnits).toEqual([[P_FIRST], [SEI, P_FIRST]]);
  });

  it('keeps prefix NAL unit before next slice of picture', () => {
    const accessUnits = split(P_FIRST, '0e80', P_SECOND);

    expect(accessUnits).toEqual([[P_FIRST, '0e80', P_SECOND]]);
  });

  it('moves prefix NAL unit to next picture', () => {
    const accessUnits = split(P_FIRST, '0e80', '0f42', P_FIRST);

    expect(accessUnits).toEqual([[P_FIRST], ['0e80', '0f42', P_FIRST]]);
  });

  it('moves prefix NAL unit before PPS to next picture', () => {
    const accessUnits = split(P_FIRST, '0e80', PPS, P_FIRST);

    expect(accessUnits).toEqual([[P_FIRST], ['0e80', PPS, P_FIRST]]);
  });

  it('ends access unit after end of sequence', () => {
    const accessUnits = split(P_FIRST, '0a', '0b', IDR_FIRST);

    expect(accessUnits).toEqual([[P_FIRST, '0a', '0b'], [IDR_FIRST]]);
  });

  it('keeps filler data with its picture', () => {
    const accessUnits = split(P_FIRST, '0cffff80', P_FIRST);

    expect(accessUnits).toEqual([[P_FIRST, '0cffff80'], [P_FIRST]]);
  });

  it('keeps data partitions B and C together', () => {
    const accessUnits = split('229a', '2380', '2480', '229a');

    expect(accessUnits).toEqual([['229a', '2380', '2480'], ['229a']]);
  });

  it('returns non-VCL tail as last access unit', () => {
    const accessUnits = split(P_FIRST, SPS, PPS);

    expect(accessUnits).toEqual([[P_FIRST], [SPS, PPS]]);
  });

  it('returns nothing for empty stream', () => {
    const accessUnits = splitAccessUnits(new Uint8Array(0));

    expect(accessUnits).toEqual([]);
  });

  it('rejects truncated slice', () => {
    const error = streamErrorOf(() => split(P_FIRST, '41'));

    expect(error.code).toBe('STREAM_ERR_INVALID_NAL_UNIT');
    expect(error.message).toContain('first_mb_in_slice');
  });
});

describe('AccessUnitSplitter', () => {
  it('returns access units as they complete', () => {
    const splitter = new AccessUnitSplitter();

    const first = splitter.push(toAnnexB([SPS, PPS, IDR_FIRST, IDR_SECOND].map(hex)));
    const second = splitter.push(toAnnexB([P_FIRST, P_SECOND].map(hex)));
    const third = splitter.push(toAnnexB([P_FIRST].map(hex)));
    const flushed = splitter.flush();

    expect(first.length).toBe(0);
    expect(second.map((accessUnit) => accessUnit.nalUnits.map(toHex))).toEqual([[SPS, PPS, IDR_FIRST, IDR_SECOND]]);
    // The last P slice has no start code after it yet, so it cannot complete the second access unit.
    expect(third.length).toBe(0);
    expect(flushed.map((accessUnit) => accessUnit.nalUnits.map(toHex))).toEqual([[P_FIRST, P_SECOND], [P_FIRST]]);
  });

  it('starts over after flush', () => {
    const splitter = new AccessUnitSplitter();

    splitter.push(toAnnexB([SPS, IDR_FIRST].map(hex)));
    splitter.flush();
    const accessUnits = [...splitter.push(toAnnexB([P_FIRST].map(hex))), ...splitter.flush()];

    expect(accessUnits.map((accessUnit) => accessUnit.nalUnits.map(toHex))).toEqual([[P_FIRST]]);
  });
});
