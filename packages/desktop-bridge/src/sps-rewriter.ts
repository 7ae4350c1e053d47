import { NalUnitType, nalUnitType, rewriteSpsBitstreamRestriction, toAnnexB } from '@deskvm/stream-protocol';

import type { SourceFrame } from './frame-source.js';

/**
 * Makes every SPS of the stream carry `bitstream_restriction_flag` 1 with `max_num_reorder_frames` 0, so browsers
 * show each frame as soon as it is decoded. Without it Chrome buffers about 4 frames in case of B-frames. In one
 * report, adding it took decode latency from 65-130 ms to about 2 ms:
 * https://github.com/MrCreativ3001/moonlight-web-stream/issues/136
 * It is only valid for streams without B-frames, which is how the bridge configures its encoders. The rewrite of
 * the current SPS is computed once.
 */
export class SpsRewriter {
  #originalSpsHex: string | undefined;
  #rewrittenSps: Uint8Array | undefined;

  /**
   * Returns the frame with its SPS rewritten, or the frame itself when it has no SPS or the SPS already carries the
   * values.
   *
   * @throws StreamError `STREAM_ERR_INVALID_SPS` when the SPS cannot be parsed
   */
  rewrite(frame: SourceFrame): SourceFrame {
    const index = frame.nalUnits.findIndex((nalUnit) => nalUnitType(nalUnit) === NalUnitType.Sps);
    const original = frame.nalUnits[index];
    if (original === undefined) {
      return frame;
    }

    const rewritten = this.#rewriteSps(original);
    if (bytesEqual(original, rewritten)) {
      return frame;
    }

    const nalUnits = frame.nalUnits.map((nalUnit, position) => (position === index ? rewritten : nalUnit));
    return { ...frame, nalUnits, data: toAnnexB(nalUnits) };
  }

  #rewriteSps(sps: Uint8Array): Uint8Array {
    const hex = toHex(sps);
    if (hex !== this.#originalSpsHex || this.#rewrittenSps === undefined) {
      this.#rewrittenSps = rewriteSpsBitstreamRestriction(sps);
      this.#originalSpsHex = hex;
    }
    return this.#rewrittenSps;
  }
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function bytesEqual(left: Uint8Array, right: Uint8Array): boolean {
  return left.byteLength === right.byteLength && left.every((byte, index) => byte === right[index]);
}
