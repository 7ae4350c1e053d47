import { StreamError } from '../errors.js';
import { BitReader } from './bit-reader.js';
import { NalUnitType, nalUnitType } from './nal-unit-type.js';
import { removeEmulationPrevention } from './rbsp.js';

/**
 * Bytes after the NAL unit header to read `first_mb_in_slice` from. Its ue(v) code is at most 35 bits for the 139264
 * macroblocks of level 6.2, so 12 bytes are enough even with emulation-prevention bytes.
 */
const FIRST_MB_PREFIX_BYTES = 12;

/**
 * Reads `first_mb_in_slice`, the first syntax element of a slice header, from a slice NAL unit (types 1, 2 and 5).
 *
 * @returns the address of the slice's first macroblock, or undefined for slice data partitions B and C (types 3
 *   and 4), which carry `slice_id` instead and always follow partition A of the same slice
 * @throws StreamError `STREAM_ERR_INVALID_NAL_UNIT` when the NAL unit is too short to hold the value
 */
export function firstMbInSlice(nalUnit: Uint8Array): number | undefined {
  const type = nalUnitType(nalUnit);

  if (type === NalUnitType.SliceDataB || type === NalUnitType.SliceDataC) {
    return undefined;
  }

  const prefix = removeEmulationPrevention(nalUnit.subarray(1, 1 + FIRST_MB_PREFIX_BYTES));
  const reader = new BitReader(prefix, 'STREAM_ERR_INVALID_NAL_UNIT', `Slice NAL unit (type ${type})`);

  try {
    return reader.ue('first_mb_in_slice');
  } catch (error) {
    throw new StreamError(
      'STREAM_ERR_INVALID_NAL_UNIT',
      `Cannot read first_mb_in_slice from a slice NAL unit of type ${type} and ${nalUnit.length} bytes: the NAL unit ` +
        'is truncated or damaged.',
      { cause: error },
    );
  }
}
