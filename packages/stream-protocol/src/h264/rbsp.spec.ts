import { describe, expect, it } from '@jest/globals';
import { streamErrorOf } from '../../test/errors.js';
import { hex, seededRandom, toHex } from '../../test/support.js';
import { addEmulationPrevention, removeEmulationPrevention } from './rbsp.js';

describe('removeEmulationPrevention', () => {
  it('removes 03 after 00 00', () => {
    const rbsp = removeEmulationPrevention(hex('274de0288d680a03da1000000300100000030280f1422a'));

    expect(toHex(rbsp)).toBe('274de0288d680a03da100000001000000280f1422a');
  });

  it('keeps 03 after one zero', () => {
    const rbsp = removeEmulationPrevention(hex('0a03da 00 03'));

    expect(toHex(rbsp)).toBe('0a03da0003');
  });

  it('removes final 03 after cabac_zero_word', () => {
    const rbsp = removeEmulationPrevention(hex('65 0000 03'));

    expect(toHex(rbsp)).toBe('650000');
  });

  it('rejects 00 00 00 in NAL unit', () => {
    const error = streamErrorOf(() => removeEmulationPrevention(hex('65 000000 01')));

    expect(error.code).toBe('STREAM_ERR_INVALID_NAL_UNIT');
    expect(error.message).toContain('0x00 0x00 0x00');
  });

  it('rejects 00 00 01 in NAL unit', () => {
    const error = streamErrorOf(() => removeEmulationPrevention(hex('65 000001 01')));

    expect(error.code).toBe('STREAM_ERR_INVALID_NAL_UNIT');
  });

  it('rejects 03 followed by 04', () => {
    const error = streamErrorOf(() => removeEmulationPrevention(hex('65 000003 04')));

    expect(error.code).toBe('STREAM_ERR_INVALID_NAL_UNIT');
  });
});

describe('addEmulationPrevention', () => {
  it('escapes 00 00 00 to 03', () => {
    const nalUnit = addEmulationPrevention(hex('10 000000 01 000002 000003 000004'));

    expect(toHex(nalUnit)).toBe('10' + '00000300' + '01' + '00000302' + '00000303' + '000004');
  });

  it('appends 03 after final 00 00', () => {
    const nalUnit = addEmulationPrevention(hex('65 0000'));

    expect(toHex(nalUnit)).toBe('65000003');
  });

  it('round-trips random bytes', () => {
    const random = seededRandom(0x5eed);

    for (let round = 0; round < 500; round += 1) {
      // Mostly zeros and small values, so 00 00 0x runs are common.
      const length = Math.floor(random() * 64);
      const rbsp = Uint8Array.from({ length }, () => (random() < 0.5 ? 0 : Math.floor(random() * 5)));

      const nalUnit = addEmulationPrevention(rbsp);

      expect(toHex(removeEmulationPrevention(nalUnit))).toBe(toHex(rbsp));
      expect(toHex(nalUnit)).not.toMatch(/^(..)*0000(00|01|02)/);
    }
  });
});
