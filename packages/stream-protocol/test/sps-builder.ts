import { BitWriter } from '../src/h264/bit-writer.js';
import { addEmulationPrevention } from '../src/h264/rbsp.js';

/** Fields of a test SPS; each write follows ITU-T H.264 section 7.3.2.1.1 in order. */
export interface SpsFields {
  profileIdc?: number;
  chromaFormatIdc?: number;
  separateColourPlane?: boolean;
  bitDepthLumaMinus8?: number;
  /** Delta scales of each scaling list written, or undefined for no scaling matrix. */
  scalingLists?: (number[] | undefined)[];
  picOrderCntType?: number;
  /** For `picOrderCntType` 1: offsets of the reference frame cycle. */
  offsetsForRefFrame?: number[];
  maxNumRefFrames?: number;
  widthInMbs?: number;
  heightInMapUnits?: number;
  frameMbsOnly?: boolean;
  /** Crop offsets in crop units: left, right, top, bottom. */
  crop?: [number, number, number, number];
  /** Writes a VUI with timing info (num_units_in_tick 1001, time_scale 60000) and one NAL HRD entry. */
  vuiWithHrd?: boolean;
  /** Bits appended before rbsp_trailing_bits, to make trailing data. */
  extraBits?: number;
}

/** Builds an SPS NAL unit (header 0x67) from `fields`, for parser tests. */
export function buildSps(fields: SpsFields): Uint8Array {
  const writer = new BitWriter();
  const profileIdc = fields.profileIdc ?? 100;

  writer.u(8, profileIdc);
  writer.u(8, 0);
  writer.u(8, 30);
  writer.ue(0);

  if (profileIdc === 100 || profileIdc === 122 || profileIdc === 244) {
    const chromaFormatIdc = fields.chromaFormatIdc ?? 1;

    writer.ue(chromaFormatIdc);

    if (chromaFormatIdc === 3) {
      writer.flag(fields.separateColourPlane ?? false);
    }

    writer.ue(fields.bitDepthLumaMinus8 ?? 0);
    writer.ue(0);
    writer.flag(false);
    writer.flag(fields.scalingLists !== undefined);

    for (const list of fields.scalingLists ?? []) {
      writer.flag(list !== undefined);

      for (const delta of list ?? []) {
        writer.ue(delta <= 0 ? -2 * delta : 2 * delta - 1);
      }
    }
  }

  writer.ue(0);
  writePictureOrderCount(writer, fields);
  writer.ue(fields.maxNumRefFrames ?? 1);
  writer.flag(false);
  writer.ue((fields.widthInMbs ?? 20) - 1);
  writer.ue((fields.heightInMapUnits ?? 15) - 1);
  writer.flag(fields.frameMbsOnly ?? true);

  if (!(fields.frameMbsOnly ?? true)) {
    writer.flag(false);
  }

  writer.flag(true);
  writer.flag(fields.crop !== undefined);

  for (const offset of fields.crop ?? []) {
    writer.ue(offset);
  }

  writer.flag(fields.vuiWithHrd ?? false);

  if (fields.vuiWithHrd) {
    writeVuiWithHrd(writer);
  }

  writer.u(fields.extraBits ?? 0, 0x7fffffff);
  writer.trailingBits();

  return Uint8Array.of(0x67, ...addEmulationPrevention(writer.toBytes()));
}

function writePictureOrderCount(writer: BitWriter, fields: SpsFields): void {
  const type = fields.picOrderCntType ?? 0;

  writer.ue(type);

  if (type === 0) {
    writer.ue(2);
  } else if (type === 1) {
    const offsets = fields.offsetsForRefFrame ?? [];

    writer.flag(false);
    writer.ue(1);
    writer.ue(2);
    writer.ue(offsets.length);

    for (const offset of offsets) {
      writer.ue(offset <= 0 ? -2 * offset : 2 * offset - 1);
    }
  }
}

function writeVuiWithHrd(writer: BitWriter): void {
  writer.u(4, 0);
  writer.flag(true);
  writer.u(32, 1001);
  writer.u(32, 60000);
  writer.flag(false);
  writer.flag(true);
  writer.ue(0);
  writer.u(4, 2);
  writer.u(4, 3);
  writer.ue(9999);
  writer.ue(4999);
  writer.flag(true);
  writer.u(5, 23);
  writer.u(5, 23);
  writer.u(5, 23);
  writer.u(5, 24);
  writer.flag(false);
  writer.flag(true);
  writer.flag(false);
  writer.flag(false);
}
