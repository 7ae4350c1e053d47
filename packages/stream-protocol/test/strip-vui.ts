import { BitWriter } from '../src/h264/bit-writer.js';
import { addEmulationPrevention } from '../src/h264/rbsp.js';
import { parseSpsLayout } from '../src/h264/sps.js';
import { NalUnitType, nalUnitType, splitNalUnits, toAnnexB } from '../src/index.js';

/** Returns the SPS with `vui_parameters_present_flag` 0 and nothing after it, as an encoder without VUI writes it. */
export function stripVui(nalUnit: Uint8Array): Uint8Array {
  const { rbsp, vuiFlagBit } = parseSpsLayout(nalUnit);
  const writer = new BitWriter();

  writer.copyBits(rbsp, 0, vuiFlagBit);
  writer.flag(false);
  writer.trailingBits();
  return Uint8Array.of(nalUnit[0]!, ...addEmulationPrevention(writer.toBytes()));
}

/** Returns an Annex-B stream with every SPS replaced by `map(sps)` and every other NAL unit unchanged. */
export function mapSps(file: Uint8Array, map: (sps: Uint8Array) => Uint8Array): Uint8Array {
  const nalUnits = splitNalUnits(file).map((nalUnit) => (nalUnitType(nalUnit) === NalUnitType.Sps ? map(nalUnit) : nalUnit));

  return toAnnexB(nalUnits);
}
