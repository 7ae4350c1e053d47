import { NalUnitType, isVclNalUnitType, nalUnitType, splitNalUnits, toAnnexB, type AccessUnit } from '@deskvm/stream-protocol';
import { GstBufferFlag } from './gdp/gdp-header.js';
import type { GdpBufferPacket } from './gdp/gdp-parser.js';
import type { Logger } from './logger.js';

/** One H.264 access unit from the encoder, as h264parse delivered it in one GStreamer buffer. */
export interface EncodedAccessUnit extends AccessUnit {
  /** The NAL units in decoding order, without start codes; views into `data`, unless parameter sets were carried over. */
  nalUnits: Uint8Array[];
  /** True when the buffer has no DELTA_UNIT flag and contains an IDR slice. */
  keyframe: boolean;
  /** The access unit as an Annex-B byte stream. */
  data: Uint8Array;
  /** Presentation timestamp in µs, from the buffer PTS (the DTS when the PTS is missing). */
  ptsUs: bigint;
  /** Decoding timestamp in µs, or undefined when the buffer has none. */
  dtsUs?: bigint;
  /** Duration in µs, or undefined when the buffer has none. */
  durationUs?: bigint;
  /** When the last byte arrived on stdout, in µs of `process.hrtime` (a monotonic clock with an arbitrary origin). */
  receivedAtUs: bigint;
}

function nanosecondsToMicroseconds(value: bigint | undefined): bigint | undefined {
  return value === undefined ? undefined : value / 1000n;
}

/**
 * Turns GDP buffer packets into `EncodedAccessUnit`s. A buffer without any slice (only SPS, PPS or SEI) is held back
 * and its NAL units are put in front of the next buffer's, so every access unit it returns has a picture.
 */
export class AccessUnitBuilder {
  /** Buffers whose DELTA_UNIT flag disagreed with the presence of an IDR slice. */
  keyframeMismatches = 0;

  /** Buffers dropped because they had neither PTS nor DTS. */
  skippedBuffers = 0;

  private heldNalUnits: Uint8Array[] = [];

  constructor(private readonly logger: Logger) {}

  /** Builds the access unit of one buffer, or returns undefined when the buffer is held back or skipped. */
  build(packet: GdpBufferPacket, receivedAtUs: bigint): EncodedAccessUnit | undefined {
    const timestampNs = packet.ptsNs ?? packet.dtsNs;

    if (timestampNs === undefined) {
      this.skippedBuffers++;
      this.logger.warn('gst-pipeline.buffer: skipped a buffer without PTS or DTS', { bytes: packet.payload.length });
      return undefined;
    }

    const ownNalUnits = splitNalUnits(packet.payload);
    const types = ownNalUnits.map(nalUnitType);

    if (!types.some(isVclNalUnitType)) {
      this.heldNalUnits.push(...ownNalUnits);
      return undefined;
    }

    const carriedOver = this.heldNalUnits.length > 0;
    const nalUnits = carriedOver ? [...this.heldNalUnits, ...ownNalUnits] : ownNalUnits;
    const data = carriedOver ? toAnnexB(nalUnits) : packet.payload;
    this.heldNalUnits = [];

    return {
      nalUnits: carriedOver ? splitNalUnits(data) : nalUnits,
      keyframe: this.resolveKeyframe(packet, types.includes(NalUnitType.IdrSlice)),
      data,
      ptsUs: timestampNs / 1000n,
      dtsUs: nanosecondsToMicroseconds(packet.dtsNs),
      durationUs: nanosecondsToMicroseconds(packet.durationNs),
      receivedAtUs,
    };
  }

  private resolveKeyframe(packet: GdpBufferPacket, hasIdrSlice: boolean): boolean {
    const flaggedKeyframe = (packet.flags & GstBufferFlag.DeltaUnit) === 0;

    if (flaggedKeyframe !== hasIdrSlice) {
      this.keyframeMismatches++;
      this.logger.warn('gst-pipeline.buffer: DELTA_UNIT flag disagrees with the NAL units; not a keyframe', {
        ptsNs: packet.ptsNs?.toString(),
        deltaUnit: !flaggedKeyframe,
        hasIdrSlice,
      });
    }

    return flaggedKeyframe && hasIdrSlice;
  }
}
