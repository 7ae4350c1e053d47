import { toAnnexB, type StreamMessage, type VideoMessage } from '@deskvm/stream-protocol';

import { StreamClientError, toStreamClientError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { parseAccessUnit, sameNalUnits, type ParsedAccessUnit } from '../remux/access-unit.js';
import { TypedEventTarget } from '../typed-event-target.js';
import type { DecodePath, SinkCounters, VideoSink, VideoSinkEventMap } from '../video-sink.js';
import { decoderSetupFromSps } from './decoder-config.js';
import { FrameRenderer } from './frame-renderer.js';

/** Options of `WebCodecsPlayer`. */
export interface WebCodecsPlayerOptions {
  /** Logger for configurations, skips and decode errors. Default: silent. */
  logger?: Logger;
  /**
   * Largest number of access units waiting in the decoder. When a new access unit finds more than this, the decoder
   * is slower than the stream, so the player skips to the next keyframe and requests one. Default 30 (half a second
   * at 60 fps).
   */
  maxDecodeQueueSize?: number;
}

/**
 * Plays stream messages on a `<canvas>` through WebCodecs: a `VideoDecoder` fed Annex-B access units (SPS and PPS in
 * band, no `description`), configured for low latency, drawing the newest decoded frame at each animation frame.
 *
 * It configures the decoder at the first keyframe and again whenever the SPS or PPS bytes change. After a decode
 * error it makes a new decoder, skips to the next keyframe and dispatches `keyframerequest`.
 */
export class WebCodecsPlayer extends TypedEventTarget<VideoSinkEventMap> implements VideoSink {
  readonly path: DecodePath = 'webcodecs';

  private readonly logger: Logger;
  private readonly maxDecodeQueueSize: number;
  private readonly renderer: FrameRenderer;
  private readonly skipCounters = { skipped: 0, decodeErrors: 0 };

  private decoder: VideoDecoder;
  private sps: Uint8Array[] = [];
  private pps: Uint8Array[] = [];
  private configured = false;
  private waitingForKeyframe = true;
  private stopped = false;

  /** @throws StreamClientError `CLIENT_ERR_WEBCODECS_UNSUPPORTED` when the browser has no `VideoDecoder` */
  constructor(canvas: HTMLCanvasElement, options: WebCodecsPlayerOptions = {}) {
    super();
    this.logger = options.logger ?? silentLogger;
    this.maxDecodeQueueSize = options.maxDecodeQueueSize ?? 30;

    if (typeof VideoDecoder === 'undefined') {
      throw new StreamClientError(
        'CLIENT_ERR_WEBCODECS_UNSUPPORTED',
        'This browser has no VideoDecoder, so WebCodecsPlayer cannot play: use the MSE path (decodePath "mse").',
      );
    }

    this.renderer = new FrameRenderer(canvas, (frame) => {
      this.dispatchEvent(
        new CustomEvent('frame', { detail: { timestampUs: frame.timestampUs, presentedAtMs: frame.presentedAtMs } }),
      );
    });
    this.decoder = this.createDecoder();
  }

  /** Frame counters since the player was created. */
  get counters(): Readonly<SinkCounters> {
    return {
      presented: this.renderer.counters.presented,
      dropped: this.renderer.counters.dropped + this.skipCounters.skipped,
      decodeErrors: this.skipCounters.decodeErrors,
    };
  }

  /** Access units queued in the decoder and not yet decoded. */
  get decodeQueueSize(): number {
    return this.decoder.decodeQueueSize;
  }

  /** Takes the next message; after a fatal error or `destroy()` it ignores messages. */
  handleMessage(message: StreamMessage): void {
    if (this.stopped) {
      return;
    }

    try {
      if (message.type === 'server-hello' || message.type === 'configuration') {
        // A new session starts with a keyframe, and delta frames before it would refer to pictures of the old one.
        this.logger.info('Stream started', { codec: message.codec, width: message.width, height: message.height });
        this.waitingForKeyframe = true;
        return;
      }

      if (message.type !== 'video') {
        return;
      }

      this.decodeAccessUnit(message);
    } catch (error) {
      this.fail(toStreamClientError(error, 'CLIENT_ERR_INVALID_ACCESS_UNIT', 'Cannot play an access unit'));
    }
  }

  /** Closes the decoder and the pending frame. */
  destroy(): void {
    this.stopped = true;
    this.renderer.destroy();
    if (this.decoder.state !== 'closed') {
      this.decoder.close();
    }
  }

  private decodeAccessUnit(message: VideoMessage): void {
    const accessUnit = parseAccessUnit(message.data);
    const keyframe = accessUnit.idr || message.keyframe;

    if (!accessUnit.hasSlice) {
      this.rememberParameterSets(accessUnit);
      return;
    }

    if (!keyframe && this.waitingForKeyframe) {
      this.skipCounters.skipped += 1;
      return;
    }

    if (!keyframe && this.decoder.decodeQueueSize > this.maxDecodeQueueSize) {
      this.logger.warn('The decoder is behind the stream; skipping to the next keyframe', {
        decodeQueueSize: this.decoder.decodeQueueSize,
      });
      this.skipToKeyframe();
      this.skipCounters.skipped += 1;
      return;
    }

    const data = keyframe ? this.prepareKeyframe(accessUnit, message.data) : message.data;
    if (data === undefined) {
      this.skipCounters.skipped += 1;
      return;
    }

    this.waitingForKeyframe = false;
    this.decoder.decode(
      new EncodedVideoChunk({ type: keyframe ? 'key' : 'delta', timestamp: Number(message.timestampUs), data }),
    );
  }

  // Returns the bytes to decode for a keyframe, with the parameter sets in band, after configuring the decoder for
  // them when they are new. Returns undefined when no SPS and PPS are known yet.
  private prepareKeyframe(accessUnit: ParsedAccessUnit, data: Uint8Array): Uint8Array | undefined {
    const changed = this.rememberParameterSets(accessUnit);
    const [sps] = this.sps;
    if (sps === undefined || this.pps.length === 0) {
      this.logger.debug('Skipped a keyframe that came before any SPS and PPS');
      return undefined;
    }

    if (changed || !this.configured) {
      const setup = decoderSetupFromSps(sps);
      this.decoder.configure(setup.config);
      this.configured = true;
      this.logger.info('Configured the decoder', { codec: setup.config.codec, width: setup.width, height: setup.height });
      this.dispatchEvent(
        new CustomEvent('configurationchange', {
          detail: { codec: setup.config.codec, width: setup.width, height: setup.height },
        }),
      );
    }

    // A keyframe without its parameter sets gets the remembered ones, since the decoder has no description.
    const inBand = accessUnit.sps.length > 0 && accessUnit.pps.length > 0;
    return inBand ? data : toAnnexB([...this.sps, ...this.pps, ...accessUnit.sampleNalUnits]);
  }

  private rememberParameterSets(accessUnit: ParsedAccessUnit): boolean {
    let changed = false;
    if (accessUnit.sps.length > 0 && !sameNalUnits(accessUnit.sps, this.sps)) {
      this.sps = accessUnit.sps;
      changed = true;
    }
    if (accessUnit.pps.length > 0 && !sameNalUnits(accessUnit.pps, this.pps)) {
      this.pps = accessUnit.pps;
      changed = true;
    }
    return changed;
  }

  private createDecoder(): VideoDecoder {
    const decoder = new VideoDecoder({
      output: (frame) => {
        if (decoder === this.decoder) {
          this.renderer.present(frame);
        } else {
          frame.close();
        }
      },
      error: (error) => {
        if (decoder === this.decoder) {
          this.handleDecoderError(error);
        }
      },
    });
    return decoder;
  }

  private handleDecoderError(error: DOMException): void {
    if (this.stopped) {
      return;
    }

    if (error.name === 'NotSupportedError') {
      this.fail(
        toStreamClientError(
          error,
          'CLIENT_ERR_CODEC_UNSUPPORTED',
          'VideoDecoder does not support this stream: use the MSE path (decodePath "mse") or another browser',
        ),
      );
      return;
    }

    this.skipCounters.decodeErrors += 1;
    this.logger.warn('Decode error; skipping to the next keyframe', {
      error: error.message,
      decodeErrors: this.skipCounters.decodeErrors,
    });
    this.decoder = this.createDecoder();
    this.configured = false;
    this.skipToKeyframe();
  }

  private skipToKeyframe(): void {
    this.waitingForKeyframe = true;
    this.dispatchEvent(new CustomEvent('keyframerequest', { detail: undefined }));
  }

  private fail(error: StreamClientError): void {
    if (this.stopped) {
      return;
    }

    this.logger.error('Playback failed', { code: error.code, error: error.message });
    this.destroy();
    this.dispatchEvent(new CustomEvent('error', { detail: error }));
  }
}
