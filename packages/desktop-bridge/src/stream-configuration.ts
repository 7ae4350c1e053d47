import { NalUnitType, PROTOCOL_VERSION, codecString, encodeMessage, nalUnitType, parseSps } from '@deskvm/stream-protocol';

import { describeError } from './describe-error.js';
import type { SourceFrame } from './frame-source.js';
import type { Logger } from './logger.js';
import { SpsRewriter } from './sps-rewriter.js';

/** Frame rate as a fraction, as GStreamer caps carry it. */
export interface FrameRate {
  readonly numerator: number;
  readonly denominator: number;
}

/** The outcome of {@link StreamConfiguration.accept} for one keyframe. */
export interface AcceptedKeyframe {
  /** The keyframe to send, with its SPS rewritten where asked; undefined when its SPS is invalid. */
  readonly frame: SourceFrame | undefined;
  /** True when the keyframe brought a new SPS, so viewers need the new server hello first. */
  readonly helloChanged: boolean;
}

/**
 * The stream configuration that viewers receive in the server hello, taken from each keyframe's SPS: codec string,
 * display size and frame rate. It also rewrites the SPS for browsers when asked to.
 */
export class StreamConfiguration {
  readonly #frameRate: FrameRate;
  readonly #rewriteSps: boolean;
  readonly #logger: Logger;
  readonly #spsRewriter = new SpsRewriter();
  #hello: Uint8Array | undefined;
  #helloSps: string | undefined;

  /**
   * @param frameRate the frame rate announced in the hello
   * @param rewriteSps whether to add a bitstream restriction without frame reordering to each SPS
   */
  constructor(frameRate: FrameRate, rewriteSps: boolean, logger: Logger) {
    this.#frameRate = frameRate;
    this.#rewriteSps = rewriteSps;
    this.#logger = logger;
  }

  /** The encoded server hello for the current SPS; undefined before the first valid keyframe. */
  get hello(): Uint8Array | undefined {
    return this.#hello;
  }

  /**
   * Takes the configuration from a keyframe. A keyframe without an SPS keeps the current configuration. A keyframe
   * whose SPS cannot be parsed is rejected, so that it and the frames that depend on it are dropped.
   */
  accept(keyframe: SourceFrame): AcceptedKeyframe {
    let frame: SourceFrame;
    try {
      frame = this.#rewriteSps ? this.#spsRewriter.rewrite(keyframe) : keyframe;
    } catch (error) {
      return this.#reject(error);
    }

    const spsNalUnit = frame.nalUnits.find((nalUnit) => nalUnitType(nalUnit) === NalUnitType.Sps);
    if (spsNalUnit === undefined) {
      return { frame, helloChanged: false };
    }
    const spsKey = Buffer.from(spsNalUnit).toString('hex');
    if (spsKey === this.#helloSps) {
      return { frame, helloChanged: false };
    }

    let sps;
    try {
      sps = parseSps(spsNalUnit);
    } catch (error) {
      return this.#reject(error);
    }

    const codec = codecString(sps);
    this.#helloSps = spsKey;
    this.#hello = encodeMessage({
      type: 'server-hello',
      version: PROTOCOL_VERSION,
      codec,
      width: sps.width,
      height: sps.height,
      frameRateNumerator: this.#frameRate.numerator,
      frameRateDenominator: this.#frameRate.denominator,
    });
    this.#logger.info('stream configuration', { codec, width: sps.width, height: sps.height });
    return { frame, helloChanged: true };
  }

  #reject(error: unknown): AcceptedKeyframe {
    this.#logger.error('invalid SPS from the encoder: dropping frames until the next keyframe', describeError(error));
    return { frame: undefined, helloChanged: false };
  }
}
