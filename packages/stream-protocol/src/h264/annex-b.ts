import { StreamError } from '../errors.js';
import { assertLeadingZeros, findStartCode, trimTrailingZeros } from './start-code.js';

const START_CODE = [0, 0, 0, 1] as const;

/**
 * Splits an H.264 Annex-B byte stream into NAL units. Accepts 3-byte (`00 00 01`) and 4-byte (`00 00 00 01`) start
 * codes, drops `leading_zero_8bits` and `trailing_zero_8bits`, and skips empty NAL units. The last NAL unit ends at the
 * end of the input.
 *
 * @param annexB - the byte stream; it must start with a start code, optionally after zero bytes
 * @returns the NAL units, each including its 1-byte header and without its start code, as `subarray` views of `annexB`
 *   (no copies)
 * @throws StreamError `STREAM_ERR_INVALID_ANNEX_B` when a non-zero byte comes before the first start code
 */
export function splitNalUnits(annexB: Uint8Array): Uint8Array[] {
  const nalUnits: Uint8Array[] = [];
  const firstStartCode = findStartCode(annexB, 0, annexB.length);

  if (firstStartCode === -1) {
    assertLeadingZeros(annexB, 0, annexB.length, 0);
    return nalUnits;
  }

  assertLeadingZeros(annexB, 0, firstStartCode, 0);

  let nalStart = firstStartCode + 3;

  for (;;) {
    const nextStartCode = findStartCode(annexB, nalStart, annexB.length);
    const nalEnd = trimTrailingZeros(annexB, nalStart, nextStartCode === -1 ? annexB.length : nextStartCode);

    if (nalEnd > nalStart) {
      nalUnits.push(annexB.subarray(nalStart, nalEnd));
    }

    if (nextStartCode === -1) {
      return nalUnits;
    }

    nalStart = nextStartCode + 3;
  }
}

/**
 * Joins NAL units into an Annex-B byte stream, writing a 4-byte start code (`00 00 00 01`) before each.
 *
 * @param nalUnits - NAL units including their header byte, without start codes
 * @returns a new buffer
 * @throws StreamError `STREAM_ERR_INVALID_NAL_UNIT` when a NAL unit is empty
 */
export function toAnnexB(nalUnits: readonly Uint8Array[]): Uint8Array {
  let length = 0;

  for (const [index, nalUnit] of nalUnits.entries()) {
    if (nalUnit.length === 0) {
      throw new StreamError(
        'STREAM_ERR_INVALID_NAL_UNIT',
        `Cannot write NAL unit ${index} to Annex-B: it is empty. Every NAL unit needs at least its 1-byte header.`,
      );
    }

    length += START_CODE.length + nalUnit.length;
  }

  const annexB = new Uint8Array(length);
  let offset = 0;

  for (const nalUnit of nalUnits) {
    annexB.set(START_CODE, offset);
    annexB.set(nalUnit, offset + START_CODE.length);
    offset += START_CODE.length + nalUnit.length;
  }

  return annexB;
}
