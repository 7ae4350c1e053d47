import { splitNalUnits } from './annex-b.js';
import { NalUnitType, isVclNalUnitType, nalUnitType } from './nal-unit-type.js';
import { firstMbInSlice } from './slice-header.js';

/** One access unit: the NAL units of one primary coded picture and the non-VCL NAL units that belong to it. */
export interface AccessUnit {
  /** The NAL units in decoding order, each including its header byte and without its start code. */
  nalUnits: Uint8Array[];
  /** True when the access unit contains an IDR slice (NAL unit type 5). */
  keyframe: boolean;
}

/** Reports whether a NAL unit of this type starts a new access unit when it follows a VCL NAL unit. */
function startsAccessUnitAfterVcl(type: number): boolean {
  return (
    type === NalUnitType.Sei ||
    type === NalUnitType.Sps ||
    type === NalUnitType.Pps ||
    type === NalUnitType.AccessUnitDelimiter
  );
}

/** NAL unit types 14 to 18 (prefix, subset SPS, depth parameter set, reserved) may start an access unit. */
function isPrefixLikeType(type: number): boolean {
  return type >= NalUnitType.Prefix && type <= 18;
}

/**
 * Groups NAL units into access units one NAL unit at a time, by the rules of ITU-T H.264 section 7.4.1.2.3, without
 * relying on access unit delimiters. After a VCL NAL unit of the current access unit, a new access unit starts at an
 * access unit delimiter, SPS, PPS or SEI, and at a slice whose `first_mb_in_slice` is 0. After an end of sequence or
 * end of stream NAL unit, the next NAL unit starts a new access unit (except an end of stream right after an end of
 * sequence). NAL units of types 14 to 18 after a VCL NAL unit wait until the next NAL unit shows whether they
 * precede another slice of the same picture or the first NAL unit of the next access unit.
 *
 * NOTE: a new picture is detected only by `first_mb_in_slice` equal to 0, so streams with arbitrary slice order, whose
 * first slice may start at another macroblock, are split at the wrong place.
 */
export class AccessUnitAssembler {
  private current: Uint8Array[] = [];
  private currentHasVcl = false;
  private currentKeyframe = false;
  private lastType = -1;
  private pendingNalUnits: Uint8Array[] = [];

  /**
   * Adds the next NAL unit in decoding order.
   *
   * @returns the access units this NAL unit completes: none or one
   * @throws StreamError `STREAM_ERR_INVALID_NAL_UNIT` for an empty NAL unit or a slice too short for its header
   */
  push(nalUnit: Uint8Array): AccessUnit[] {
    const type = nalUnitType(nalUnit);

    if (isPrefixLikeType(type) && this.currentHasVcl && !this.isEnded()) {
      this.pendingNalUnits.push(nalUnit);
      return [];
    }

    const completed: AccessUnit[] = [];

    if (this.startsAccessUnit(nalUnit, type)) {
      completed.push(this.finish());
    }

    for (const pendingNalUnit of this.pendingNalUnits) {
      this.append(pendingNalUnit, nalUnitType(pendingNalUnit));
    }

    this.pendingNalUnits = [];
    this.append(nalUnit, type);
    return completed;
  }

  /**
   * Ends the stream and resets the assembler.
   *
   * @returns the last access unit, or nothing when no NAL unit is left
   */
  flush(): AccessUnit[] {
    for (const pendingNalUnit of this.pendingNalUnits) {
      this.append(pendingNalUnit, nalUnitType(pendingNalUnit));
    }

    this.pendingNalUnits = [];
    return this.current.length > 0 ? [this.finish()] : [];
  }

  private startsAccessUnit(nalUnit: Uint8Array, type: number): boolean {
    if (this.current.length === 0) {
      return false;
    }

    if (this.isEnded()) {
      return !(this.lastType === NalUnitType.EndOfSequence && type === NalUnitType.EndOfStream);
    }

    if (!this.currentHasVcl) {
      return false;
    }

    if (startsAccessUnitAfterVcl(type)) {
      return true;
    }

    return isVclNalUnitType(type) && firstMbInSlice(nalUnit) === 0;
  }

  private isEnded(): boolean {
    return this.lastType === NalUnitType.EndOfSequence || this.lastType === NalUnitType.EndOfStream;
  }

  private append(nalUnit: Uint8Array, type: number): void {
    this.current.push(nalUnit);
    this.currentHasVcl ||= isVclNalUnitType(type);
    this.currentKeyframe ||= type === NalUnitType.IdrSlice;
    this.lastType = type;
  }

  private finish(): AccessUnit {
    const accessUnit: AccessUnit = { nalUnits: this.current, keyframe: this.currentKeyframe };

    this.current = [];
    this.currentHasVcl = false;
    this.currentKeyframe = false;
    this.lastType = -1;
    return accessUnit;
  }
}

/**
 * Splits a whole H.264 Annex-B byte stream into access units (see `AccessUnitAssembler` for the rules).
 *
 * @param annexB - the byte stream, starting with a start code
 * @returns the access units in decoding order. Their NAL units are `subarray` views of `annexB`.
 * @throws StreamError `STREAM_ERR_INVALID_ANNEX_B` or `STREAM_ERR_INVALID_NAL_UNIT` for malformed input
 */
export function splitAccessUnits(annexB: Uint8Array): AccessUnit[] {
  const assembler = new AccessUnitAssembler();
  const accessUnits: AccessUnit[] = [];

  for (const nalUnit of splitNalUnits(annexB)) {
    accessUnits.push(...assembler.push(nalUnit));
  }

  accessUnits.push(...assembler.flush());
  return accessUnits;
}
