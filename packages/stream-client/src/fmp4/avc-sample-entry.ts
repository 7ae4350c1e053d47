import { box, concatBytes, u16, u32, u8, zeros } from './box-writer.js';

/** SPS and PPS NAL units (header byte included, no start code) and the cropped picture size from the SPS. */
export interface AvcParameterSets {
  /** SPS NAL units, usually one. */
  sps: readonly Uint8Array[];
  /** PPS NAL units, usually one. */
  pps: readonly Uint8Array[];
  /** Picture width in pixels after cropping. */
  width: number;
  /** Picture height in pixels after cropping. */
  height: number;
  /** `chroma_format_idc` from the SPS: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. Default 1. */
  chromaFormatIdc?: number;
  /** Bits per luma sample from the SPS. Default 8. */
  bitDepthLuma?: number;
  /** Bits per chroma sample from the SPS. Default 8. */
  bitDepthChroma?: number;
}

// Profiles whose avcC carries chroma format and bit depths (ISO/IEC 14496-15, 5.3.3.1.2): High, High 10, High 4:2:2,
// the old High 4:4:4 (144) and High 4:4:4 Predictive.
const HIGH_PROFILES: ReadonlySet<number> = new Set([100, 110, 122, 144, 244]);

/**
 * Writes the `avcC` box: an AVCDecoderConfigurationRecord (ISO/IEC 14496-15, 5.3.3.1) with 4-byte NAL unit lengths.
 * Profile, compatibility flags and level are copied from bytes 1 to 3 of the first SPS.
 */
export function avcConfigurationBox(parameterSets: AvcParameterSets): Uint8Array {
  const [firstSps] = parameterSets.sps;
  if (firstSps === undefined || firstSps.length < 4) {
    throw new RangeError('Cannot write avcC without an SPS of at least 4 bytes: pass the SPS NAL unit with its header.');
  }

  if (parameterSets.sps.length > 31 || parameterSets.pps.length > 255) {
    throw new RangeError(
      `Cannot write avcC with ${parameterSets.sps.length} SPS and ${parameterSets.pps.length} PPS: the limits are 31 and 255.`,
    );
  }

  const highProfileExtension = HIGH_PROFILES.has(firstSps[1])
    ? [
        u8(0xfc | (parameterSets.chromaFormatIdc ?? 1)),
        u8(0xf8 | ((parameterSets.bitDepthLuma ?? 8) - 8)),
        u8(0xf8 | ((parameterSets.bitDepthChroma ?? 8) - 8)),
        u8(0), // numOfSequenceParameterSetExt
      ]
    : [];

  return box(
    'avcC',
    u8(1),
    u8(firstSps[1]),
    u8(firstSps[2]),
    u8(firstSps[3]),
    u8(0xfc | 3),
    u8(0xe0 | parameterSets.sps.length),
    ...parameterSets.sps.flatMap((nalUnit) => [u16(nalUnit.length), nalUnit]),
    u8(parameterSets.pps.length),
    ...parameterSets.pps.flatMap((nalUnit) => [u16(nalUnit.length), nalUnit]),
    ...highProfileExtension,
  );
}

/** Writes the `avc1` visual sample entry (ISO/IEC 14496-12, 12.1.3), which contains the `avcC` box. */
export function avcSampleEntry(parameterSets: AvcParameterSets): Uint8Array {
  const compressorName = zeros(32);

  return box(
    'avc1',
    zeros(6),
    u16(1), // data_reference_index
    u16(0),
    u16(0),
    zeros(12),
    u16(parameterSets.width),
    u16(parameterSets.height),
    u32(0x00480000), // horizontal resolution, 72 dpi in 16.16
    u32(0x00480000), // vertical resolution, 72 dpi in 16.16
    u32(0),
    u16(1), // frame_count
    compressorName,
    u16(0x0018), // depth: colour without alpha
    u16(0xffff), // pre_defined = -1
    avcConfigurationBox(parameterSets),
  );
}

/** Converts NAL units into one AVCC sample: each NAL unit prefixed with its 4-byte big-endian length. */
export function toAvccSample(nalUnits: readonly Uint8Array[]): Uint8Array {
  return concatBytes(nalUnits.flatMap((nalUnit) => [u32(nalUnit.length), nalUnit]));
}
