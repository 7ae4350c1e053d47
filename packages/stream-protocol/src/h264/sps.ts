import { StreamError, formatByte } from '../errors.js';
import { BitReader } from './bit-reader.js';
import { NalUnitType } from './nal-unit-type.js';
import { removeEmulationPrevention } from './rbsp.js';
import { skipScalingMatrix } from './scaling-list.js';
import type { SequenceParameterSet } from './sps-types.js';
import { readVui } from './vui.js';

/** `profile_idc` values whose SPS carries `chroma_format_idc`, bit depths and scaling lists. */
const HIGH_PROFILES: ReadonlySet<number> = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** The largest frame width or height in macroblocks at any level: Sqrt(8 * MaxFS) with MaxFS 139264 (level 6.2). */
const MAX_DIMENSION_IN_MBS = 1055;

/** A parsed SPS with the bit offsets that `rewriteSpsBitstreamRestriction` needs. */
export interface SpsLayout {
  sps: SequenceParameterSet;
  /** The RBSP without the NAL unit header byte. */
  rbsp: Uint8Array;
  /** Bit offset of `vui_parameters_present_flag` in `rbsp`. */
  vuiFlagBit: number;
  /** Bit offset of `bitstream_restriction_flag` in `rbsp`, when the SPS has a VUI. */
  bitstreamRestrictionFlagBit?: number;
}

/**
 * Parses an H.264 sequence parameter set: removes emulation-prevention bytes, reads every field up to
 * `rbsp_trailing_bits` (scaling lists are read and skipped, the VUI is read in full) and derives the coded and cropped
 * (display) size.
 *
 * @param nalUnit - the SPS NAL unit including its 1-byte header (type 7), without a start code
 * @throws StreamError `STREAM_ERR_INVALID_SPS` when the NAL unit is not an SPS, is truncated, or contains a reserved or
 *   out-of-range value
 */
export function parseSps(nalUnit: Uint8Array): SequenceParameterSet {
  return parseSpsLayout(nalUnit).sps;
}

/** Parses an SPS like `parseSps`, and also returns its RBSP and the bit offsets of its VUI flags. */
export function parseSpsLayout(nalUnit: Uint8Array): SpsLayout {
  checkHeader(nalUnit);

  let rbsp: Uint8Array;

  try {
    rbsp = removeEmulationPrevention(nalUnit.subarray(1));
  } catch (error) {
    throw new StreamError('STREAM_ERR_INVALID_SPS', `Invalid SPS: ${(error as Error).message}`, { cause: error });
  }

  const reader = new BitReader(rbsp, 'STREAM_ERR_INVALID_SPS', 'SPS');
  const profileIdc = reader.u(8, 'profile_idc');
  const constraintFlags = reader.u(8, 'constraint_set flags');
  const levelIdc = reader.u(8, 'level_idc');
  const seqParameterSetId = reader.ueInRange('seq_parameter_set_id', 0, 31);
  const format = readFormat(reader, profileIdc);
  const log2MaxFrameNum = reader.ueInRange('log2_max_frame_num_minus4', 0, 12) + 4;
  const pictureOrder = readPictureOrderCount(reader);
  const maxNumRefFrames = reader.ueInRange('max_num_ref_frames', 0, 16);
  const gapsInFrameNumAllowed = reader.flag('gaps_in_frame_num_value_allowed_flag');
  const widthInMbs = reader.ueInRange('pic_width_in_mbs_minus1', 0, MAX_DIMENSION_IN_MBS - 1) + 1;
  const heightInMapUnits = reader.ueInRange('pic_height_in_map_units_minus1', 0, MAX_DIMENSION_IN_MBS - 1) + 1;
  const frameMbsOnly = reader.flag('frame_mbs_only_flag');
  const mbAdaptiveFrameField = frameMbsOnly ? false : reader.flag('mb_adaptive_frame_field_flag');
  const direct8x8Inference = reader.flag('direct_8x8_inference_flag');
  const codedWidth = widthInMbs * 16;
  const codedHeight = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16;
  const chromaArrayType = format.separateColourPlane ? 0 : format.chromaFormatIdc;
  const crop = readCrop(reader, chromaArrayType, frameMbsOnly, codedWidth, codedHeight);
  const vuiFlagBit = reader.position;
  const vuiParametersPresent = reader.flag('vui_parameters_present_flag');
  const vuiLayout = vuiParametersPresent ? readVui(reader, maxNumRefFrames) : undefined;

  reader.trailingBits();

  const timing = vuiLayout?.vui.timing;
  const sps: SequenceParameterSet = {
    profileIdc,
    constraintFlags,
    levelIdc,
    seqParameterSetId,
    ...format,
    log2MaxFrameNum,
    ...pictureOrder,
    maxNumRefFrames,
    gapsInFrameNumAllowed,
    frameMbsOnly,
    mbAdaptiveFrameField,
    direct8x8Inference,
    codedWidth,
    codedHeight,
    crop,
    width: codedWidth - crop.left - crop.right,
    height: codedHeight - crop.top - crop.bottom,
    vuiParametersPresent,
    vui: vuiLayout?.vui,
    frameRate: timing === undefined ? undefined : timing.timeScale / (2 * timing.numUnitsInTick),
  };

  return { sps, rbsp, vuiFlagBit, bitstreamRestrictionFlagBit: vuiLayout?.bitstreamRestrictionFlagBit };
}

function checkHeader(nalUnit: Uint8Array): void {
  if (nalUnit.length < 2) {
    throw new StreamError(
      'STREAM_ERR_INVALID_SPS',
      `Invalid SPS: the NAL unit has ${nalUnit.length} bytes. Pass the whole SPS NAL unit including its header byte.`,
    );
  }

  const header = nalUnit[0];

  if ((header & 0x80) !== 0 || (header & 0x1f) !== NalUnitType.Sps) {
    throw new StreamError(
      'STREAM_ERR_INVALID_SPS',
      `Invalid SPS: the NAL unit header is ${formatByte(header)}, but an SPS header has forbidden_zero_bit 0 and ` +
        `nal_unit_type ${NalUnitType.Sps} (for example 0x67). Pass the SPS NAL unit including its header byte.`,
    );
  }
}

type Format = Pick<
  SequenceParameterSet,
  | 'chromaFormatIdc'
  | 'separateColourPlane'
  | 'bitDepthLuma'
  | 'bitDepthChroma'
  | 'qpprimeYZeroTransformBypass'
  | 'scalingMatrixPresent'
>;

function readFormat(reader: BitReader, profileIdc: number): Format {
  if (!HIGH_PROFILES.has(profileIdc)) {
    return {
      chromaFormatIdc: 1,
      separateColourPlane: false,
      bitDepthLuma: 8,
      bitDepthChroma: 8,
      qpprimeYZeroTransformBypass: false,
      scalingMatrixPresent: false,
    };
  }

  const chromaFormatIdc = reader.ueInRange('chroma_format_idc', 0, 3);
  const separateColourPlane = chromaFormatIdc === 3 ? reader.flag('separate_colour_plane_flag') : false;
  const bitDepthLuma = reader.ueInRange('bit_depth_luma_minus8', 0, 6) + 8;
  const bitDepthChroma = reader.ueInRange('bit_depth_chroma_minus8', 0, 6) + 8;
  const qpprimeYZeroTransformBypass = reader.flag('qpprime_y_zero_transform_bypass_flag');
  const scalingMatrixPresent = reader.flag('seq_scaling_matrix_present_flag');

  if (scalingMatrixPresent) {
    skipScalingMatrix(reader, chromaFormatIdc);
  }

  return {
    chromaFormatIdc,
    separateColourPlane,
    bitDepthLuma,
    bitDepthChroma,
    qpprimeYZeroTransformBypass,
    scalingMatrixPresent,
  };
}

function readPictureOrderCount(
  reader: BitReader,
): Pick<SequenceParameterSet, 'picOrderCntType' | 'log2MaxPicOrderCntLsb'> {
  const picOrderCntType = reader.ueInRange('pic_order_cnt_type', 0, 2);

  if (picOrderCntType === 0) {
    return { picOrderCntType, log2MaxPicOrderCntLsb: reader.ueInRange('log2_max_pic_order_cnt_lsb_minus4', 0, 12) + 4 };
  }

  if (picOrderCntType === 1) {
    const int32Max = 2 ** 31 - 1;

    reader.flag('delta_pic_order_always_zero_flag');
    reader.seInRange('offset_for_non_ref_pic', -int32Max, int32Max);
    reader.seInRange('offset_for_top_to_bottom_field', -int32Max, int32Max);

    const cycleLength = reader.ueInRange('num_ref_frames_in_pic_order_cnt_cycle', 0, 255);

    for (let index = 0; index < cycleLength; index += 1) {
      reader.seInRange(`offset_for_ref_frame[${index}]`, -int32Max, int32Max);
    }
  }

  return { picOrderCntType };
}

function readCrop(
  reader: BitReader,
  chromaArrayType: number,
  frameMbsOnly: boolean,
  codedWidth: number,
  codedHeight: number,
): SequenceParameterSet['crop'] {
  if (!reader.flag('frame_cropping_flag')) {
    return { left: 0, right: 0, top: 0, bottom: 0 };
  }

  // CropUnitX and CropUnitY (ITU-T H.264 equations 7-19 to 7-22) are the chroma subsampling factors, and CropUnitY
  // doubles when pictures may be fields.
  const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const subHeightC = chromaArrayType === 1 ? 2 : 1;
  const cropUnitX = subWidthC;
  const cropUnitY = subHeightC * (frameMbsOnly ? 1 : 2);
  const crop = {
    left: reader.ue('frame_crop_left_offset') * cropUnitX,
    right: reader.ue('frame_crop_right_offset') * cropUnitX,
    top: reader.ue('frame_crop_top_offset') * cropUnitY,
    bottom: reader.ue('frame_crop_bottom_offset') * cropUnitY,
  };

  if (crop.left + crop.right >= codedWidth || crop.top + crop.bottom >= codedHeight) {
    throw reader.error(
      `SPS has invalid frame cropping: left ${crop.left}, right ${crop.right}, top ${crop.top} and bottom ` +
        `${crop.bottom} luma samples leave no picture of the coded ${codedWidth}x${codedHeight}.`,
    );
  }

  return crop;
}
