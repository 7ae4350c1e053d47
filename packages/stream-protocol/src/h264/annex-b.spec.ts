import { describe, expect, it } from '@jest/globals';
import { streamErrorOf } from '../../test/errors.js';
import { hex, toHex } from '../../test/support.js';
import { AnnexBReader } from './annex-b-reader.js';
import { splitNalUnits, toAnnexB } from './annex-b.js';

describe('splitNalUnits', () => {
  it('splits 3- and 4-byte start codes', () => {
    const nalUnits = splitNalUnits(hex('00000001 6742 000001 68ce 00000001 6588'));

    expect(nalUnits.map(toHex)).toEqual(['6742', '68ce', '6588']);
  });

  it('drops leading and trailing zeros', () => {
    const nalUnits = splitNalUnits(hex('0000 00000001 6742 0000 000001 6588 000000'));

    expect(nalUnits.map(toHex)).toEqual(['6742', '6588']);
  });

  it('skips empty NAL units', () => {
    const nalUnits = splitNalUnits(hex('000001 000001 6742 00000001'));

    expect(nalUnits.map(toHex)).toEqual(['6742']);
  });

  it('returns views without copies', () => {
    const annexB = hex('00000001 6742 000001 68ce');

    const nalUnits = splitNalUnits(annexB);

    expect(nalUnits[1].buffer).toBe(annexB.buffer);
    expect(nalUnits[1].byteOffset).toBe(9);
  });

  it('returns nothing for zeros', () => {
    const nalUnits = splitNalUnits(hex('000000'));

    expect(nalUnits).toEqual([]);
  });

  it('rejects bytes before first start code', () => {
    const error = streamErrorOf(() => splitNalUnits(hex('0000 0017 6742')));

    expect(error.code).toBe('STREAM_ERR_INVALID_ANNEX_B');
    expect(error.message).toContain('0x17 at offset 3');
  });
});

describe('toAnnexB', () => {
  it('writes 4-byte start codes', () => {
    const annexB = toAnnexB([hex('6742'), hex('68ce')]);

    expect(toHex(annexB)).toBe('000000016742' + '0000000168ce');
  });

  it('round-trips through splitNalUnits', () => {
    const nalUnits = [hex('09f0'), hex('6742c033'), hex('68ce3c80'), hex('658884')];

    const split = splitNalUnits(toAnnexB(nalUnits));

    expect(split.map(toHex)).toEqual(nalUnits.map(toHex));
  });

  it('rejects empty NAL unit', () => {
    const error = streamErrorOf(() => toAnnexB([hex('6742'), new Uint8Array(0)]));

    expect(error.code).toBe('STREAM_ERR_INVALID_NAL_UNIT');
    expect(error.message).toContain('NAL unit 1');
  });
});

describe('AnnexBReader', () => {
  it('matches splitNalUnits byte by byte', () => {
    const annexB = hex('00 00000001 6742 0000 000001 68ce 00000001 6588 0000');
    const reader = new AnnexBReader();

    const nalUnits = [...Array.from(annexB, (byte) => reader.push(Uint8Array.of(byte))).flat(), ...reader.flush()];

    expect(nalUnits.map(toHex)).toEqual(['6742', '68ce', '6588']);
  });

  it('holds last NAL unit until flush', () => {
    const reader = new AnnexBReader();

    const pushed = reader.push(hex('00000001 6742 00000001 6588'));
    const flushed = reader.flush();

    expect(pushed.map(toHex)).toEqual(['6742']);
    expect(flushed.map(toHex)).toEqual(['6588']);
  });

  it('rejects bytes before first start code', () => {
    const reader = new AnnexBReader();

    reader.push(hex('0000'));
    const error = streamErrorOf(() => reader.push(hex('2a00000001')));

    expect(error.code).toBe('STREAM_ERR_INVALID_ANNEX_B');
    expect(error.message).toContain('0x2a at offset 2');
  });

  it('keeps returned views intact while growing', () => {
    const reader = new AnnexBReader();
    const large = new Uint8Array(100_000).fill(0x55);

    const first = reader.push(hex('00000001 6742 00000001 65'));
    reader.push(large);
    const rest = [...reader.push(hex('00000001 41')), ...reader.flush()];

    expect(toHex(first[0])).toBe('6742');
    expect(rest[0].length).toBe(100_001);
    expect(toHex(rest[1])).toBe('41');
  });
});
