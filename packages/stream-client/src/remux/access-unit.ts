import { NalUnitType, nalUnitType, splitNalUnits } from '@deskvm/stream-protocol';

import { StreamClientError, toStreamClientError } from '../errors.js';
import { readSliceType, SliceType } from './slice-type.js';

/** The parts of one Annex-B access unit that the remuxer needs. */
export interface ParsedAccessUnit {
  /** SPS NAL units in the access unit, in order. */
  sps: Uint8Array[];
  /** PPS NAL units in the access unit, in order. */
  pps: Uint8Array[];
  /** NAL units that go into the sample: SEI, slices and everything else except AUD, SPS, PPS and filler data. */
  sampleNalUnits: Uint8Array[];
  /** Whether the access unit contains an IDR slice. */
  idr: boolean;
  /** Whether the access unit contains at least one slice. */
  hasSlice: boolean;
}

// Parameter sets live in avcC, and AUD and filler data carry nothing a decoder needs.
const DROPPED_TYPES: ReadonlySet<number> = new Set([
  NalUnitType.Sps,
  NalUnitType.Pps,
  NalUnitType.AccessUnitDelimiter,
  NalUnitType.FillerData,
]);

/**
 * Splits an Annex-B access unit into parameter sets and sample NAL units.
 *
 * @throws StreamClientError `CLIENT_ERR_INVALID_ACCESS_UNIT` when the bytes are not Annex-B, and
 *   `CLIENT_ERR_B_FRAMES_UNSUPPORTED` when a slice is a B slice
 */
export function parseAccessUnit(annexB: Uint8Array): ParsedAccessUnit {
  let nalUnits: Uint8Array[];
  try {
    nalUnits = splitNalUnits(annexB);
  } catch (error) {
    throw toStreamClientError(error, 'CLIENT_ERR_INVALID_ACCESS_UNIT', `Invalid access unit of ${annexB.length} bytes`);
  }

  const parsed: ParsedAccessUnit = { sps: [], pps: [], sampleNalUnits: [], idr: false, hasSlice: false };

  for (const nalUnit of nalUnits) {
    const type = nalUnitType(nalUnit);

    if (type === NalUnitType.Sps) {
      parsed.sps.push(nalUnit);
    } else if (type === NalUnitType.Pps) {
      parsed.pps.push(nalUnit);
    }

    if (type === NalUnitType.IdrSlice || type === NalUnitType.NonIdrSlice) {
      checkNotBSlice(nalUnit);
      parsed.hasSlice = true;
      parsed.idr ||= type === NalUnitType.IdrSlice;
    }

    if (!DROPPED_TYPES.has(type)) {
      parsed.sampleNalUnits.push(nalUnit);
    }
  }

  return parsed;
}

// fMP4 can carry B-frames through composition time offsets, but the wire format sends one timestamp per access unit
// and deriving presentation times would need picture order counts from every slice header. The bridge configures
// its encoders without B-frames, so a B slice means a misconfigured encoder, and a clear error beats wrong frame order.
function checkNotBSlice(nalUnit: Uint8Array): void {
  if (readSliceType(nalUnit) !== SliceType.B) {
    return;
  }

  throw new StreamClientError(
    'CLIENT_ERR_B_FRAMES_UNSUPPORTED',
    'The stream contains B slices, which this player does not reorder: configure the encoder without B-frames ' +
      '(x264enc bframes=0, or b-frames=0 on newer encoders).',
  );
}

/** Returns whether two lists of NAL units hold the same bytes in the same order. */
export function sameNalUnits(left: readonly Uint8Array[], right: readonly Uint8Array[]): boolean {
  if (left.length !== right.length) {
    return false;
  }

  return left.every((nalUnit, index) => {
    const other = right[index];
    return other !== undefined && other.length === nalUnit.length && nalUnit.every((byte, at) => byte === other[at]);
  });
}
