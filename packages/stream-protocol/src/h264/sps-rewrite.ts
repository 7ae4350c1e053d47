import { StreamError } from '../errors.js';
import { BitWriter } from './bit-writer.js';
import { addEmulationPrevention } from './rbsp.js';
import { parseSpsLayout } from './sps.js';
import type { BitstreamRestriction } from './sps-types.js';

/** Options of `rewriteSpsBitstreamRestriction`. */
export interface BitstreamRestrictionOptions {
  /** `max_num_reorder_frames` to write, 0 to 16. Default 0: the decoder outputs each frame as soon as it is decoded. */
  maxNumReorderFrames?: number;
  /**
   * `max_dec_frame_buffering` to write, from the larger of `max_num_ref_frames` and `maxNumReorderFrames` to 16.
   * Default: `max_num_ref_frames` of the SPS, and at least 1. It is 1 only for streams with one reference frame,
   * because H.264 (ITU-T H.264 E.2.1) requires it to be at least `max_num_ref_frames`. With
   * `max_num_reorder_frames` 0, a decoder still outputs each frame at once.
   */
  maxDecFrameBuffering?: number;
}

/**
 * Rewrites an SPS so that its VUI carries `bitstream_restriction_flag` 1 with the given `max_num_reorder_frames` and
 * `max_dec_frame_buffering`. Without these values, browser decoders may hold several frames before showing the first.
 * The rest of the SPS stays bit for bit the same. An SPS without a VUI gets one that holds only the bitstream
 * restriction. Motion vector limits already in the SPS are kept. Otherwise it writes the values that mean "no limit":
 * `motion_vectors_over_pic_boundaries_flag` 1, `max_bytes_per_pic_denom` 2, `max_bits_per_mb_denom` 1, and
 * `log2_max_mv_length_horizontal` and `log2_max_mv_length_vertical` 15.
 *
 * Use it only for streams without frame reordering (no B-frames, as the bridge configures its encoders). With
 * `max_num_reorder_frames` 0, a decoder outputs frames in decoding order, so a stream with B-frames would show its
 * frames out of order.
 *
 * NOTE: `maxDecFrameBuffering` is not checked against the DPB size limit of the SPS level (ITU-T H.264 table A-1).
 * The result is invalid if the value exceeds that limit.
 *
 * @param nalUnit - the SPS NAL unit including its header byte, without a start code
 * @returns a new SPS NAL unit, with emulation-prevention bytes
 * @throws StreamError `STREAM_ERR_INVALID_SPS` when `nalUnit` is not a valid SPS, `STREAM_ERR_INVALID_FIELD` when an
 *   option is out of range
 */
export function rewriteSpsBitstreamRestriction(
  nalUnit: Uint8Array,
  options: BitstreamRestrictionOptions = {},
): Uint8Array {
  const { sps, rbsp, vuiFlagBit, bitstreamRestrictionFlagBit } = parseSpsLayout(nalUnit);
  const maxNumReorderFrames = options.maxNumReorderFrames ?? 0;
  const maxDecFrameBuffering = options.maxDecFrameBuffering ?? Math.max(1, sps.maxNumRefFrames);

  checkOption('maxNumReorderFrames', maxNumReorderFrames, 0);
  checkOption('maxDecFrameBuffering', maxDecFrameBuffering, Math.max(sps.maxNumRefFrames, maxNumReorderFrames));

  const restriction: BitstreamRestriction = {
    motionVectorsOverPicBoundaries: true,
    maxBytesPerPicDenom: 2,
    maxBitsPerMbDenom: 1,
    log2MaxMvLengthHorizontal: 15,
    log2MaxMvLengthVertical: 15,
    ...sps.vui?.bitstreamRestriction,
    maxNumReorderFrames,
    maxDecFrameBuffering,
  };
  const writer = new BitWriter();

  if (bitstreamRestrictionFlagBit === undefined) {
    writer.copyBits(rbsp, 0, vuiFlagBit);
    writer.flag(true);
    // The present flags of aspect_ratio_info, overscan_info, video_signal_type, chroma_loc_info, timing_info, NAL HRD
    // and VCL HRD are 0, then pic_struct_present_flag is 0.
    writer.u(7, 0);
    writer.flag(false);
  } else {
    writer.copyBits(rbsp, 0, bitstreamRestrictionFlagBit);
  }

  writer.flag(true);
  writer.flag(restriction.motionVectorsOverPicBoundaries);
  writer.ue(restriction.maxBytesPerPicDenom);
  writer.ue(restriction.maxBitsPerMbDenom);
  writer.ue(restriction.log2MaxMvLengthHorizontal);
  writer.ue(restriction.log2MaxMvLengthVertical);
  writer.ue(restriction.maxNumReorderFrames);
  writer.ue(restriction.maxDecFrameBuffering);
  writer.trailingBits();

  const payload = addEmulationPrevention(writer.toBytes());
  const rewritten = new Uint8Array(1 + payload.length);

  rewritten[0] = nalUnit[0];
  rewritten.set(payload, 1);
  return rewritten;
}

function checkOption(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > 16) {
    throw new StreamError(
      'STREAM_ERR_INVALID_FIELD',
      `Invalid ${name} ${value} for the SPS bitstream restriction: it must be an integer from ${min} to 16.`,
    );
  }
}
