import type { AccessUnit } from './access-unit.js';
import { AccessUnitAssembler } from './access-unit.js';
import { AnnexBReader } from './annex-b-reader.js';

/**
 * Splits an H.264 Annex-B byte stream that arrives in chunks, such as an encoder's stdout, into access units. For any
 * chunking, the access units equal those of `splitAccessUnits` on the whole stream, including chunks that cut a start
 * code.
 *
 * A byte stream does not mark the end of an access unit, because another slice of the same picture may follow. So an
 * access unit is complete only when the first NAL unit of the next one has arrived in full, up to the start code after
 * it. On a live encoder this costs one frame interval, or longer when the capture only sends frames on screen changes.
 * Where latency matters, keep the encoder's buffer boundaries instead (for example `h264parse` with `alignment=au`
 * and `gdppay` framing) and use `splitNalUnits` on each buffer. Call `flush` at the end of the stream to get the
 * last access unit.
 */
export class AccessUnitSplitter {
  private readonly reader = new AnnexBReader();
  private readonly assembler = new AccessUnitAssembler();

  /**
   * Appends a chunk of the byte stream.
   *
   * @returns the access units completed by this chunk, in decoding order
   * @throws StreamError `STREAM_ERR_INVALID_ANNEX_B` or `STREAM_ERR_INVALID_NAL_UNIT` for malformed input
   */
  push(chunk: Uint8Array): AccessUnit[] {
    const accessUnits: AccessUnit[] = [];

    for (const nalUnit of this.reader.push(chunk)) {
      accessUnits.push(...this.assembler.push(nalUnit));
    }

    return accessUnits;
  }

  /**
   * Ends the byte stream and resets the splitter for a new one.
   *
   * @returns the last access unit, which no later NAL unit has completed, or nothing when the stream was empty
   */
  flush(): AccessUnit[] {
    const accessUnits: AccessUnit[] = [];

    for (const nalUnit of this.reader.flush()) {
      accessUnits.push(...this.assembler.push(nalUnit));
    }

    accessUnits.push(...this.assembler.flush());
    return accessUnits;
  }
}
