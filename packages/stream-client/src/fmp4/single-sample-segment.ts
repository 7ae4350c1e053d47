import { VIDEO_TRACK_ID } from './init-segment.js';

// Sizes of the boxes of a one-sample fragment, in bytes (ISO/IEC 14496-12 layouts; see media-segment.ts).
const MFHD_SIZE = 16; // header 8, version and flags 4, sequence_number 4
const TFHD_SIZE = 16; // header 8, version and flags 4, track_ID 4
const TFDT_SIZE = 20; // header 8, version and flags 4, 64-bit baseMediaDecodeTime 8
const TRUN_SIZE = 36; // header 8, version and flags 4, sample_count 4, data_offset 4, one sample of 4 fields 16
const TRAF_SIZE = 8 + TFHD_SIZE + TFDT_SIZE + TRUN_SIZE;
const MOOF_SIZE = 8 + MFHD_SIZE + TRAF_SIZE;
const MDAT_HEADER_SIZE = 8;

// tfhd: default-base-is-moof. trun: data-offset and sample duration, size, flags and composition time offset.
const TFHD_FLAGS = 0x020000;
const TRUN_FLAGS = 0x000f01;

/** Input of `writeSingleSampleSegment`. */
export interface SingleSampleSegmentOptions {
  /** The `mfhd` sequence number. */
  sequenceNumber: number;
  /** Decode time of the sample in timescale ticks, a non-negative safe integer. */
  baseMediaDecodeTime: number;
  /** Duration in timescale ticks. */
  duration: number;
  /** `SYNC_SAMPLE_FLAGS` or `NON_SYNC_SAMPLE_FLAGS`. */
  flags: number;
  /** The sample's NAL units without start codes; each gets a 4-byte length prefix in the `mdat`. */
  nalUnits: readonly Uint8Array[];
}

/**
 * Writes a media segment of one sample with composition time offset 0, the same bytes as `createMediaSegment` with
 * one sample, into a single buffer sized up front. The remuxer calls this once per access unit, so it avoids the
 * small arrays and copies that the general box writers make.
 */
export function writeSingleSampleSegment(options: SingleSampleSegmentOptions): Uint8Array {
  let sampleSize = 0;
  for (const nalUnit of options.nalUnits) {
    sampleSize += 4 + nalUnit.length;
  }

  const output = new Uint8Array(MOOF_SIZE + MDAT_HEADER_SIZE + sampleSize);
  const view = new DataView(output.buffer);
  let offset = 0;

  const header = (size: number, type: string): void => {
    view.setUint32(offset, size);
    for (let index = 0; index < 4; index += 1) {
      output[offset + 4 + index] = type.charCodeAt(index);
    }
    offset += 8;
  };
  const fullHeader = (size: number, type: string, version: number, flags: number): void => {
    header(size, type);
    view.setUint32(offset, ((version & 0xff) << 24) | (flags & 0xffffff));
    offset += 4;
  };
  const u32 = (value: number): void => {
    view.setUint32(offset, value);
    offset += 4;
  };

  header(MOOF_SIZE, 'moof');
  fullHeader(MFHD_SIZE, 'mfhd', 0, 0);
  u32(options.sequenceNumber);
  header(TRAF_SIZE, 'traf');
  fullHeader(TFHD_SIZE, 'tfhd', 0, TFHD_FLAGS);
  u32(VIDEO_TRACK_ID);
  fullHeader(TFDT_SIZE, 'tfdt', 1, 0);
  view.setBigUint64(offset, BigInt(options.baseMediaDecodeTime));
  offset += 8;
  fullHeader(TRUN_SIZE, 'trun', 0, TRUN_FLAGS);
  u32(1);
  u32(MOOF_SIZE + MDAT_HEADER_SIZE);
  u32(options.duration);
  u32(sampleSize);
  u32(options.flags);
  u32(0);

  header(MDAT_HEADER_SIZE + sampleSize, 'mdat');
  for (const nalUnit of options.nalUnits) {
    u32(nalUnit.length);
    output.set(nalUnit, offset);
    offset += nalUnit.length;
  }

  return output;
}
