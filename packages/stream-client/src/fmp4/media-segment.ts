import { box, concatBytes, fullBox, i32, u32, u64 } from './box-writer.js';
import { VIDEO_TRACK_ID } from './init-segment.js';

/** `sample_flags` of a sync sample (keyframe): `sample_depends_on` = 2, it depends on no other sample. */
export const SYNC_SAMPLE_FLAGS = 0x02000000;

/** `sample_flags` of a non-sync sample: `sample_depends_on` = 1 and `sample_is_non_sync_sample` = 1. */
export const NON_SYNC_SAMPLE_FLAGS = 0x01010000;

// tfhd flag: offsets in trun count from the start of the moof box.
const DEFAULT_BASE_IS_MOOF = 0x020000;

// trun flags: data-offset, sample-duration, sample-size, sample-flags and sample-composition-time-offset present.
const TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;

/** One sample of a `trun` box. */
export interface FragmentSample {
  /** Duration in timescale ticks. */
  duration: number;
  /** Size of the sample's data in the `mdat`, in bytes. */
  size: number;
  /** `SYNC_SAMPLE_FLAGS` for a keyframe, else `NON_SYNC_SAMPLE_FLAGS`. */
  flags: number;
  /** Presentation time minus decode time, in timescale ticks. Negative values make the `trun` version 1. */
  compositionTimeOffset: number;
}

/** Writes an `mfhd` box with the fragment's sequence number (starting at 1, increasing by 1). */
export function movieFragmentHeader(sequenceNumber: number): Uint8Array {
  return fullBox('mfhd', 0, 0, u32(sequenceNumber));
}

/** Writes a version 1 `tfdt` box: the decode time of the fragment's first sample as a 64-bit tick count. */
export function trackFragmentDecodeTime(baseMediaDecodeTime: number): Uint8Array {
  return fullBox('tfdt', 1, 0, u64(baseMediaDecodeTime));
}

/** Writes a `trun` box with per-sample duration, size, flags and composition time offset. */
export function trackRun(samples: readonly FragmentSample[], dataOffset: number): Uint8Array {
  const version = samples.some((sample) => sample.compositionTimeOffset < 0) ? 1 : 0;
  const entries = samples.flatMap((sample) => [
    u32(sample.duration),
    u32(sample.size),
    u32(sample.flags),
    version === 1 ? i32(sample.compositionTimeOffset) : u32(sample.compositionTimeOffset),
  ]);

  return fullBox('trun', version, TRUN_FLAGS, u32(samples.length), i32(dataOffset), ...entries);
}

/** Input of `createMediaSegment`. */
export interface MediaSegmentOptions {
  /** The `mfhd` sequence number. */
  sequenceNumber: number;
  /** Decode time of the first sample, in timescale ticks. */
  baseMediaDecodeTime: number;
  /** The samples, in decode order. Their sizes must add up to the length of `data`. */
  samples: readonly FragmentSample[];
  /** The samples' bytes: AVCC NAL units, one sample after the other. */
  data: Uint8Array;
}

/** Writes an fMP4 media segment: a `moof` box describing the samples, then an `mdat` box holding them. */
export function createMediaSegment(options: MediaSegmentOptions): Uint8Array {
  const totalSize = options.samples.reduce((sum, sample) => sum + sample.size, 0);
  if (totalSize !== options.data.length) {
    throw new RangeError(
      `Sample sizes add up to ${totalSize} bytes but the sample data has ${options.data.length}: pass matching sizes.`,
    );
  }

  const buildMovieFragment = (dataOffset: number): Uint8Array => {
    const trackFragmentHeader = fullBox('tfhd', 0, DEFAULT_BASE_IS_MOOF, u32(VIDEO_TRACK_ID));
    const trackFragment = box(
      'traf',
      trackFragmentHeader,
      trackFragmentDecodeTime(options.baseMediaDecodeTime),
      trackRun(options.samples, dataOffset),
    );
    return box('moof', movieFragmentHeader(options.sequenceNumber), trackFragment);
  };

  // The data offset counts from the start of moof to the first sample byte, after the 8-byte mdat header. The moof
  // size does not depend on the offset's value, so a first pass measures it.
  const moofSize = buildMovieFragment(0).length;
  const movieFragment = buildMovieFragment(moofSize + 8);

  return concatBytes([movieFragment, box('mdat', options.data)]);
}
