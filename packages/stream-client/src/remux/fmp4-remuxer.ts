import {
  codecString,
  parseSps,
  type SequenceParameterSet,
  type ServerHello,
  type VideoMessage,
} from '@deskvm/stream-protocol';

import { StreamClientError, toStreamClientError } from '../errors.js';
import { createInitSegment, DEFAULT_TIMESCALE } from '../fmp4/init-segment.js';
import { NON_SYNC_SAMPLE_FLAGS, SYNC_SAMPLE_FLAGS } from '../fmp4/media-segment.js';
import { writeSingleSampleSegment } from '../fmp4/single-sample-segment.js';
import { silentLogger, type Logger } from '../logger.js';
import { parseAccessUnit, sameNalUnits } from './access-unit.js';
import { DecodeTimeline } from './decode-timeline.js';

/** Options of `Fmp4Remuxer`. */
export interface Fmp4RemuxerOptions {
  /** Media timescale in ticks per second. Default 90000. */
  timescale?: number;
  /** Largest forward timestamp step in ms taken as real time; larger steps rebase the timeline. Default 1000. */
  maxTimestampGapMs?: number;
  /** Logger for dropped access units and new init segments. Default: silent. */
  logger?: Logger;
}

/** An fMP4 init segment with the codec and picture size it was built from. */
export interface InitSegment {
  data: Uint8Array;
  /** RFC 6381 codec string from the SPS, such as `avc1.640033`. */
  codec: string;
  /** MIME type for `MediaSource.addSourceBuffer()`, such as `video/mp4; codecs="avc1.640033"`. */
  mimeType: string;
  /** Picture width in pixels after SPS cropping. */
  width: number;
  /** Picture height in pixels after SPS cropping. */
  height: number;
}

/** One fMP4 fragment (`moof` and `mdat`) holding one access unit. */
export interface MediaSegment {
  data: Uint8Array;
  keyframe: boolean;
  /** Decode time of the sample in seconds. */
  startSeconds: number;
  /** Decode time plus duration, in seconds. */
  endSeconds: number;
}

/** Output for one access unit: a media segment, preceded by an init segment when the parameter sets changed. */
export interface RemuxOutput {
  initSegment?: InitSegment;
  mediaSegment: MediaSegment;
}

/**
 * Remuxes Annex-B access units from the wire into fMP4 for Media Source Extensions, one fragment per access unit.
 *
 * It drops access units until a keyframe arrives with SPS and PPS, writes a new init segment whenever the SPS or
 * PPS bytes change, and keeps decode times increasing across timestamp jumps.
 */
export class Fmp4Remuxer {
  private readonly timescale: number;
  private readonly logger: Logger;
  private readonly timeline: DecodeTimeline;

  // Parameter sets of the last init segment, and the newest ones seen, which may not be in an init segment yet.
  private sps: Uint8Array[] = [];
  private pps: Uint8Array[] = [];
  private pendingSps: Uint8Array[] = [];
  private pendingPps: Uint8Array[] = [];
  private waitingForKeyframe = true;
  private sequenceNumber = 1;
  private droppedBeforeKeyframe = 0;

  constructor(options: Fmp4RemuxerOptions = {}) {
    this.timescale = options.timescale ?? DEFAULT_TIMESCALE;
    this.logger = options.logger ?? silentLogger;
    this.timeline = new DecodeTimeline({
      timescale: this.timescale,
      maxGapUs: (options.maxTimestampGapMs ?? 1000) * 1000,
    });
  }

  /**
   * Takes the frame rate from a version 1 ServerHello or a Configuration, and waits for the next keyframe, as a new
   * session starts with one.
   */
  handleHello(hello: Pick<ServerHello, 'frameRateNumerator' | 'frameRateDenominator'>): void {
    if (hello.frameRateNumerator > 0 && hello.frameRateDenominator > 0) {
      this.timeline.setFrameIntervalUs((1_000_000 * hello.frameRateDenominator) / hello.frameRateNumerator);
    }

    this.waitingForKeyframe = true;
  }

  /**
   * Remuxes one access unit. Returns `undefined` for an access unit that is dropped: any before the first keyframe
   * with parameter sets, and any without a slice.
   *
   * @throws StreamClientError `CLIENT_ERR_INVALID_ACCESS_UNIT` for bytes or an SPS that cannot be parsed, and
   *   `CLIENT_ERR_B_FRAMES_UNSUPPORTED` for B slices
   */
  remux(message: VideoMessage): RemuxOutput | undefined {
    const accessUnit = parseAccessUnit(message.data);
    const keyframe = accessUnit.idr || message.keyframe;

    // Parameter sets that arrive without a slice apply to the next access unit.
    this.pendingSps = accessUnit.sps.length > 0 ? accessUnit.sps : this.pendingSps;
    this.pendingPps = accessUnit.pps.length > 0 ? accessUnit.pps : this.pendingPps;

    if (!accessUnit.hasSlice) {
      this.logger.debug('Dropped an access unit without a slice', { bytes: message.data.length });
      return undefined;
    }

    const sps = this.pendingSps;
    const pps = this.pendingPps;

    if (this.waitingForKeyframe && !(keyframe && sps.length > 0 && pps.length > 0)) {
      this.droppedBeforeKeyframe += 1;
      this.logger.debug('Dropped an access unit while waiting for a keyframe with SPS and PPS', {
        dropped: this.droppedBeforeKeyframe,
      });
      return undefined;
    }

    const parameterSetsChanged = !sameNalUnits(sps, this.sps) || !sameNalUnits(pps, this.pps);
    const initSegment = parameterSetsChanged || this.waitingForKeyframe ? this.buildInitSegment(sps, pps) : undefined;

    this.waitingForKeyframe = false;
    this.droppedBeforeKeyframe = 0;

    return { initSegment, mediaSegment: this.buildMediaSegment(accessUnit.sampleNalUnits, keyframe, message) };
  }

  private buildInitSegment(sps: Uint8Array[], pps: Uint8Array[]): InitSegment {
    const [firstSps] = sps;
    if (firstSps === undefined) {
      throw new StreamClientError('CLIENT_ERR_INVALID_ACCESS_UNIT', 'Cannot build an init segment without an SPS.');
    }

    let parsed: SequenceParameterSet;
    let codec: string;
    try {
      parsed = parseSps(firstSps);
      codec = codecString(parsed);
    } catch (error) {
      throw toStreamClientError(error, 'CLIENT_ERR_INVALID_ACCESS_UNIT', `Invalid SPS of ${firstSps.length} bytes`);
    }

    this.sps = sps;
    this.pps = pps;

    const { width, height } = parsed;
    const data = createInitSegment({
      sps,
      pps,
      width,
      height,
      chromaFormatIdc: parsed.chromaFormatIdc,
      bitDepthLuma: parsed.bitDepthLuma,
      bitDepthChroma: parsed.bitDepthChroma,
      timescale: this.timescale,
    });
    this.logger.info('Built an init segment', { codec, width, height });

    return { data, codec, mimeType: `video/mp4; codecs="${codec}"`, width, height };
  }

  private buildMediaSegment(nalUnits: Uint8Array[], keyframe: boolean, message: VideoMessage): MediaSegment {
    const timing = this.timeline.next(message.timestampUs);
    if (timing.rebased) {
      this.logger.info('Timestamps jumped; rebased decode times', { timestampUs: String(message.timestampUs) });
    }

    const segment = writeSingleSampleSegment({
      sequenceNumber: this.sequenceNumber,
      baseMediaDecodeTime: timing.decodeTime,
      duration: timing.duration,
      flags: keyframe ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS,
      nalUnits,
    });
    this.sequenceNumber += 1;

    return {
      data: segment,
      keyframe,
      startSeconds: timing.decodeTime / this.timescale,
      endSeconds: (timing.decodeTime + timing.duration) / this.timescale,
    };
  }
}
