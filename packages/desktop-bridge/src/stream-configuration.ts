import { NalUnitType, codecString, encodeMessage, nalUnitType, parseSps } from '@deskvm/stream-protocol';

import { describeError } from './describe-error.js';
import type { SourceFrame } from './frame-source.js';
import type { Logger } from './logger.js';
import { SpsRewriter } from './sps-rewriter.js';

/** Frame rate as a fraction, as GStreamer caps carry it. */
export interface FrameRate {
  readonly numerator: number;
  readonly denominator: number;
}

/** The current configuration, encoded once for each protocol version. */
export interface EncodedConfiguration {
  /** A version 1 ServerHello, which carries the configuration. */
  readonly serverHello: Uint8Array;
  /** A version 2 Configuration message. */
  readonly configuration: Uint8Array;
  readonly codec: string;
  readonly width: number;
  readonly height: number;
}

/** The outcome of {@link StreamConfiguration.accept} for one keyframe. */
export interface AcceptedKeyframe {
  /** The keyframe to send, with its SPS rewritten where asked; undefined when its SPS is invalid. */
  readonly frame: SourceFrame | undefined;
  /** True when the keyframe brought a new SPS, so viewers need the new configuration first. */
  readonly changed: boolean;
}

/**
 * The stream configuration that viewers receive: codec string, coded and display size and frame rate, taken from each
 * keyframe's SPS. It also rewrites the SPS for browsers when asked to.
 */
export class StreamConfiguration {
  readonly #frameRate: FrameRate;
  readonly #rewriteSps: boolean;
  readonly #logger: Logger;
  readonly #spsRewriter = new SpsRewriter();
  #current: EncodedConfiguration | undefined;
  #currentSps: string | undefined;

  /**
   * @param frameRate the frame rate announced to viewers
   * @param rewriteSps whether to add a bitstream restriction without frame reordering to each SPS
   */
  constructor(frameRate: FrameRate, rewriteSps: boolean, logger: Logger) {
    this.#frameRate = frameRate;
    this.#rewriteSps = rewriteSps;
    this.#logger = logger;
  }

  /** The configuration of the current SPS; undefined before the first valid keyframe. */
  get current(): EncodedConfiguration | undefined {
    return this.#current;
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
      return { frame, changed: false };
    }

    const spsKey = Buffer.from(spsNalUnit).toString('hex');

    if (spsKey === this.#currentSps) {
      return { frame, changed: false };
    }

    let sps;

    try {
      sps = parseSps(spsNalUnit);
    } catch (error) {
      return this.#reject(error);
    }

    const codec = codecString(sps);
    const fields = {
      codec,
      width: sps.width,
      height: sps.height,
      frameRateNumerator: this.#frameRate.numerator,
      frameRateDenominator: this.#frameRate.denominator,
    };

    this.#currentSps = spsKey;
    this.#current = {
      serverHello: encodeMessage({ type: 'server-hello', version: 1, ...fields }),
      configuration: encodeMessage({
        type: 'configuration',
        codedWidth: sps.codedWidth,
        codedHeight: sps.codedHeight,
        ...fields,
      }),
      codec,
      width: sps.width,
      height: sps.height,
    };
    this.#logger.info('stream configuration', { codec, width: sps.width, height: sps.height });
    return { frame, changed: true };
  }

  #reject(error: unknown): AcceptedKeyframe {
    this.#logger.error('invalid SPS from the encoder: dropping frames until the next keyframe', describeError(error));
    return { frame: undefined, changed: false };
  }
}
