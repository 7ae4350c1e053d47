import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { NalUnitType, nalUnitType, parseSps, splitNalUnits } from '../src/index.js';
import { mapSps, stripVui } from './strip-vui.js';
import { readCase } from './support.js';

/**
 * The case file named no-vui-320x240.h264 was made with x264, which always writes a VUI with a bitstream restriction,
 * so it cannot show what the SPS rewrite adds. This fixture is that file with the VUI removed from every SPS: a stream
 * as an encoder without VUI writes it. Other packages' tests read it to check the rewrite end to end.
 * `UPDATE_FIXTURES=1` writes it again.
 */
const FIXTURE = new URL('fixtures/vui-removed-320x240.h264', import.meta.url);

describe('vui-removed-320x240.h264 fixture', () => {
  const expected = mapSps(readCase('no-vui-320x240.h264'), stripVui);

  it('equals the case without VUI', () => {
    if (process.env['UPDATE_FIXTURES'] === '1') {
      writeFileSync(FIXTURE, expected);
    }

    expect(Buffer.from(readFileSync(FIXTURE)).equals(Buffer.from(expected))).toBe(true);
  });

  it('has no VUI in any SPS', () => {
    const spsList = splitNalUnits(readFileSync(FIXTURE)).filter((nalUnit) => nalUnitType(nalUnit) === NalUnitType.Sps);

    expect(spsList.length).toBeGreaterThan(0);

    for (const sps of spsList) {
      expect(parseSps(sps).vuiParametersPresent).toBe(false);
    }
  });
});
