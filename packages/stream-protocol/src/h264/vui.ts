import type { BitReader } from './bit-reader.js';
import type { BitstreamRestriction, HrdParameters, VuiParameters } from './sps-types.js';

const EXTENDED_SAR = 255;

/** Sample aspect ratios of `aspect_ratio_idc` 1 to 16 (ITU-T H.264 table E-1), as [width, height]. */
const SAMPLE_ASPECT_RATIOS: readonly (readonly [number, number])[] = [
  [1, 1], [12, 11], [10, 11], [16, 11], [40, 33], [24, 11], [20, 11], [32, 11],
  [80, 33], [18, 11], [15, 11], [64, 33], [160, 99], [4, 3], [3, 2], [2, 1],
];

/** The VUI and where its `bitstream_restriction_flag` sits, so the SPS can be rewritten there. */
export interface VuiLayout {
  vui: VuiParameters;
  /** Bit offset of `bitstream_restriction_flag` in the reader's RBSP. */
  bitstreamRestrictionFlagBit: number;
}

/** Reads `vui_parameters()` (ITU-T H.264 section E.1.1). */
export function readVui(reader: BitReader, maxNumRefFrames: number): VuiLayout {
  const vui: VuiParameters = { picStructPresent: false };

  if (reader.flag('aspect_ratio_info_present_flag')) {
    readAspectRatio(reader, vui);
  }

  if (reader.flag('overscan_info_present_flag')) {
    vui.overscanAppropriate = reader.flag('overscan_appropriate_flag');
  }

  if (reader.flag('video_signal_type_present_flag')) {
    const videoFormat = reader.u(3, 'video_format');
    const videoFullRange = reader.flag('video_full_range_flag');

    vui.videoSignalType = { videoFormat, videoFullRange };

    if (reader.flag('colour_description_present_flag')) {
      vui.videoSignalType.colourDescription = {
        colourPrimaries: reader.u(8, 'colour_primaries'),
        transferCharacteristics: reader.u(8, 'transfer_characteristics'),
        matrixCoefficients: reader.u(8, 'matrix_coefficients'),
      };
    }
  }

  if (reader.flag('chroma_loc_info_present_flag')) {
    vui.chromaSampleLocation = {
      topField: reader.ueInRange('chroma_sample_loc_type_top_field', 0, 5),
      bottomField: reader.ueInRange('chroma_sample_loc_type_bottom_field', 0, 5),
    };
  }

  if (reader.flag('timing_info_present_flag')) {
    vui.timing = {
      numUnitsInTick: readPositiveU32(reader, 'num_units_in_tick'),
      timeScale: readPositiveU32(reader, 'time_scale'),
      fixedFrameRate: reader.flag('fixed_frame_rate_flag'),
    };
  }

  if (reader.flag('nal_hrd_parameters_present_flag')) {
    vui.nalHrd = readHrd(reader, 'NAL HRD');
  }

  if (reader.flag('vcl_hrd_parameters_present_flag')) {
    vui.vclHrd = readHrd(reader, 'VCL HRD');
  }

  if (vui.nalHrd !== undefined || vui.vclHrd !== undefined) {
    vui.lowDelayHrd = reader.flag('low_delay_hrd_flag');
  }

  vui.picStructPresent = reader.flag('pic_struct_present_flag');

  const bitstreamRestrictionFlagBit = reader.position;

  if (reader.flag('bitstream_restriction_flag')) {
    vui.bitstreamRestriction = readBitstreamRestriction(reader, maxNumRefFrames);
  }

  return { vui, bitstreamRestrictionFlagBit };
}

function readAspectRatio(reader: BitReader, vui: VuiParameters): void {
  const aspectRatioIdc = reader.u(8, 'aspect_ratio_idc');

  vui.aspectRatioIdc = aspectRatioIdc;

  if (aspectRatioIdc === EXTENDED_SAR) {
    const width = reader.u(16, 'sar_width');
    const height = reader.u(16, 'sar_height');

    // Both 0, or one of them 0, means the ratio is unspecified (ITU-T H.264 section E.2.1).
    if (width > 0 && height > 0) {
      vui.sampleAspectRatio = { width, height };
    }

    return;
  }

  // 0 is unspecified and 17 to 254 are reserved values, which decoders treat as unspecified.
  const ratio = SAMPLE_ASPECT_RATIOS[aspectRatioIdc - 1];

  if (ratio !== undefined) {
    vui.sampleAspectRatio = { width: ratio[0], height: ratio[1] };
  }
}

function readPositiveU32(reader: BitReader, name: string): number {
  const value = reader.u(32, name);

  if (value === 0) {
    throw reader.error(`SPS has an invalid ${name} 0 in its VUI timing info: it must be greater than 0.`);
  }

  return value;
}

/** Reads `hrd_parameters()` (ITU-T H.264 section E.1.2). */
function readHrd(reader: BitReader, label: string): HrdParameters {
  const cpbCount = reader.ueInRange(`${label} cpb_cnt_minus1`, 0, 31) + 1;
  const bitRateScale = reader.u(4, `${label} bit_rate_scale`);
  const cpbSizeScale = reader.u(4, `${label} cpb_size_scale`);
  const cpbSpecifications: HrdParameters['cpbSpecifications'] = [];

  for (let index = 0; index < cpbCount; index += 1) {
    const bitRateValue = reader.ue(`${label} bit_rate_value_minus1[${index}]`) + 1;
    const cpbSizeValue = reader.ue(`${label} cpb_size_value_minus1[${index}]`) + 1;

    cpbSpecifications.push({
      bitRate: bitRateValue * 2 ** (6 + bitRateScale),
      cpbSize: cpbSizeValue * 2 ** (4 + cpbSizeScale),
      constantBitRate: reader.flag(`${label} cbr_flag[${index}]`),
    });
  }

  return {
    bitRateScale,
    cpbSizeScale,
    cpbSpecifications,
    initialCpbRemovalDelayLength: reader.u(5, `${label} initial_cpb_removal_delay_length_minus1`) + 1,
    cpbRemovalDelayLength: reader.u(5, `${label} cpb_removal_delay_length_minus1`) + 1,
    dpbOutputDelayLength: reader.u(5, `${label} dpb_output_delay_length_minus1`) + 1,
    timeOffsetLength: reader.u(5, `${label} time_offset_length`),
  };
}

function readBitstreamRestriction(reader: BitReader, maxNumRefFrames: number): BitstreamRestriction {
  const motionVectorsOverPicBoundaries = reader.flag('motion_vectors_over_pic_boundaries_flag');
  const maxBytesPerPicDenom = reader.ueInRange('max_bytes_per_pic_denom', 0, 16);
  const maxBitsPerMbDenom = reader.ueInRange('max_bits_per_mb_denom', 0, 16);
  // 16 is accepted because openh264 (GStreamer openh264enc 1.22) writes it.
  const log2MaxMvLengthHorizontal = reader.ueInRange('log2_max_mv_length_horizontal', 0, 16);
  const log2MaxMvLengthVertical = reader.ueInRange('log2_max_mv_length_vertical', 0, 16);
  const maxNumReorderFrames = reader.ueInRange('max_num_reorder_frames', 0, 16);
  const maxDecFrameBuffering = reader.ueInRange('max_dec_frame_buffering', maxNumRefFrames, 16);

  if (maxNumReorderFrames > maxDecFrameBuffering) {
    throw reader.error(
      `SPS has an invalid max_num_reorder_frames ${maxNumReorderFrames}: it must not exceed ` +
        `max_dec_frame_buffering ${maxDecFrameBuffering}.`,
    );
  }

  return {
    motionVectorsOverPicBoundaries,
    maxBytesPerPicDenom,
    maxBitsPerMbDenom,
    log2MaxMvLengthHorizontal,
    log2MaxMvLengthVertical,
    maxNumReorderFrames,
    maxDecFrameBuffering,
  };
}
