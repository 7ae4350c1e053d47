import { removeEmulationPrevention } from '@deskvm/stream-protocol';

// Reads slice_type from the start of a slice header (ITU-T H.264, 7.3.3): first_mb_in_slice ue(v), slice_type ue(v).

const MAX_HEADER_BYTES = 16;

/** slice_type values 0 to 9; values 5 to 9 mean every slice of the picture has the type of value minus 5. */
export const SliceType = { P: 0, B: 1, I: 2, SP: 3, SI: 4 } as const;

/**
 * Returns the slice_type of a slice NAL unit (types 1 and 5) folded into 0 to 4, or `undefined` when the header is
 * too short to read. Emulation-prevention bytes are removed before reading.
 */
export function readSliceType(nalUnit: Uint8Array): number | undefined {
  let payload: Uint8Array;
  try {
    payload = removeEmulationPrevention(nalUnit.subarray(1, 1 + MAX_HEADER_BYTES));
  } catch {
    return undefined;
  }

  const reader = new ExpGolombReader(payload);

  const firstMbInSlice = reader.readUnsigned();
  if (firstMbInSlice === undefined) {
    return undefined;
  }

  const sliceType = reader.readUnsigned();
  return sliceType === undefined ? undefined : sliceType % 5;
}

class ExpGolombReader {
  private bitOffset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  readUnsigned(): number | undefined {
    let leadingZeros = 0;
    for (;;) {
      const bit = this.readBit();
      if (bit === undefined || leadingZeros > 31) {
        return undefined;
      }

      if (bit === 1) {
        break;
      }

      leadingZeros += 1;
    }

    let suffix = 0;
    for (let index = 0; index < leadingZeros; index += 1) {
      const bit = this.readBit();
      if (bit === undefined) {
        return undefined;
      }

      suffix = suffix * 2 + bit;
    }

    return 2 ** leadingZeros - 1 + suffix;
  }

  private readBit(): number | undefined {
    const byte = this.bytes[this.bitOffset >> 3];
    if (byte === undefined) {
      return undefined;
    }

    const bit = (byte >> (7 - (this.bitOffset & 7))) & 1;
    this.bitOffset += 1;
    return bit;
  }
}
