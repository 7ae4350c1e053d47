import { StreamError } from '../errors.js';

/** H.264 `nal_unit_type` values (ITU-T H.264 table 7-1). */
export const NalUnitType = {
  Unspecified: 0,
  NonIdrSlice: 1,
  SliceDataA: 2,
  SliceDataB: 3,
  SliceDataC: 4,
  IdrSlice: 5,
  Sei: 6,
  Sps: 7,
  Pps: 8,
  AccessUnitDelimiter: 9,
  EndOfSequence: 10,
  EndOfStream: 11,
  FillerData: 12,
  SpsExtension: 13,
  Prefix: 14,
  SubsetSps: 15,
  DepthParameterSet: 16,
  AuxiliarySlice: 19,
  SliceExtension: 20,
  DepthSliceExtension: 21,
} as const;

/** One of the named `nal_unit_type` values. */
export type NalUnitType = (typeof NalUnitType)[keyof typeof NalUnitType];

/**
 * Returns the `nal_unit_type` of a NAL unit: the low 5 bits of its header byte, 0 to 31.
 *
 * @param nalUnit - the NAL unit including its header byte, without a start code
 * @throws StreamError `STREAM_ERR_INVALID_NAL_UNIT` when `nalUnit` is empty
 */
export function nalUnitType(nalUnit: Uint8Array): number {
  if (nalUnit.length === 0) {
    throw new StreamError(
      'STREAM_ERR_INVALID_NAL_UNIT',
      'Cannot read nal_unit_type from an empty NAL unit: pass the NAL unit including its 1-byte header.',
    );
  }

  return nalUnit[0] & 0x1f;
}

/**
 * Reports whether a `nal_unit_type` is a VCL NAL unit of the primary coded picture (types 1 to 5: slices and slice
 * data partitions).
 */
export function isVclNalUnitType(type: number): boolean {
  return type >= NalUnitType.NonIdrSlice && type <= NalUnitType.IdrSlice;
}
