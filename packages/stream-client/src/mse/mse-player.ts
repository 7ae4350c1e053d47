import type { StreamMessage } from '@deskvm/stream-protocol';

import { StreamClientError, toStreamClientError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { Fmp4Remuxer, type InitSegment } from '../remux/fmp4-remuxer.js';
import { TypedEventTarget } from '../typed-event-target.js';
import type { DecodePath, SinkCounters, VideoSink, VideoSinkEventMap } from '../video-sink.js';
import { AutoplayController } from './autoplay.js';
import { LiveEdgeController } from './live-edge-controller.js';
import { PresentedFrameWatcher } from './presented-frames.js';
import { SourceBufferQueue, type TimeRange } from './source-buffer-queue.js';

/** Options of `MsePlayer`. */
export interface MsePlayerOptions {
  /** Logger for segments, seeks, trims and errors. Default: silent. */
  logger?: Logger;
  /** Seconds of played media kept behind the playhead; older media is removed. Default 10. */
  maxBufferSeconds?: number;
  /**
   * Lag in seconds behind the newest buffered frame that makes a playing video seek to the live edge. Default 0.3:
   * large enough that network jitter and garbage-collection pauses of about 100 ms cause no seek (each seek decodes
   * again from the previous keyframe and skips frames), small enough that a stall is corrected at the next frame.
   */
  liveEdgeToleranceSeconds?: number;
  /** Largest forward timestamp step in ms taken as real time; larger steps rebase decode times. Default 1000. */
  maxTimestampGapMs?: number;
  /**
   * Lag in seconds behind the end of the buffered media, under the seek tolerance, from which playback runs at
   * `catchUpPlaybackRate` until the lag is under two thirds of it. Default 0.08. At normal speed a `<video>` keeps
   * the lag it had when playback started, so without a catch-up the MSE path stays 2 to 3 frames behind. On
   * Chromium 156 (benchmarks/stream/glass-to-glass.mjs, 1280x720 at 30 fps), 0.08 with a rate of 1.02 brought the
   * glass-to-glass p50 from 70 ms to 26 to 31 ms and dropped 5 to 7% of the frames. A rate of 1.25 dropped about half.
   */
  catchUpLagSeconds?: number;
  /** Playback rate while catching up. Default 1.02: a gentle rate makes Chromium drop few frames. */
  catchUpPlaybackRate?: number;
}

/** Events of `MsePlayer`: `error` carries a fatal `StreamClientError`, after which the player plays nothing more. */
export type MsePlayerEventMap = VideoSinkEventMap;

/**
 * Plays stream messages on a `<video>` element through Media Source Extensions: remuxes each access unit into an
 * fMP4 fragment, appends it, keeps playback at the live edge and removes played media.
 */
export class MsePlayer extends TypedEventTarget<MsePlayerEventMap> implements VideoSink {
  readonly path: DecodePath = 'mse';

  private readonly logger: Logger;
  private readonly maxBufferSeconds: number;
  private readonly toleranceSeconds: number;
  private readonly liveEdge: LiveEdgeController;
  private readonly remuxer: Fmp4Remuxer;
  private readonly mediaSource: MediaSource;
  private readonly objectUrl: string;
  private readonly queue: SourceBufferQueue;
  private readonly removeListeners: (() => void)[] = [];
  private readonly autoplay: AutoplayController;
  private readonly presentedFrames: PresentedFrameWatcher;

  private sourceBuffer: SourceBuffer | undefined;
  private mimeType: string | undefined;
  private codec: string | undefined;
  private width = 0;
  private height = 0;
  private stopped = false;

  /** @throws StreamClientError `CLIENT_ERR_MSE_UNSUPPORTED` when the browser has no `MediaSource` */
  constructor(
    private readonly video: HTMLVideoElement,
    options: MsePlayerOptions = {},
  ) {
    super();
    this.logger = options.logger ?? silentLogger;
    this.maxBufferSeconds = options.maxBufferSeconds ?? 10;
    this.toleranceSeconds = options.liveEdgeToleranceSeconds ?? 0.3;
    const catchUpLagSeconds = options.catchUpLagSeconds ?? 0.08;
    const catchUp = {
      startLagSeconds: catchUpLagSeconds,
      stopLagSeconds: (catchUpLagSeconds * 2) / 3,
      rate: options.catchUpPlaybackRate ?? 1.02,
    };
    this.liveEdge = new LiveEdgeController(video, catchUp, this.logger);
    this.remuxer = new Fmp4Remuxer({ logger: this.logger, maxTimestampGapMs: options.maxTimestampGapMs });
    this.autoplay = new AutoplayController(video, this.logger);

    if (typeof MediaSource === 'undefined') {
      throw new StreamClientError(
        'CLIENT_ERR_MSE_UNSUPPORTED',
        'This browser has no MediaSource, so MsePlayer cannot play: use a browser with Media Source Extensions.',
      );
    }

    this.queue = new SourceBufferQueue({
      onUpdateEnd: () => this.handleUpdateEnd(),
      onError: (error) => this.fail(error),
      freeSpace: () => this.freeSpace(),
      logger: this.logger,
    });

    this.mediaSource = new MediaSource();
    this.objectUrl = URL.createObjectURL(this.mediaSource);
    this.listen(this.mediaSource, 'sourceopen', () => this.createSourceBuffer());
    this.listen(this.video, 'error', () => this.handleVideoError());
    this.listen(this.video.ownerDocument, 'visibilitychange', () => this.handleVisibilityChange());
    this.video.src = this.objectUrl;
    this.presentedFrames = new PresentedFrameWatcher(video, (frame) => {
      this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
    });
  }

  /** Frame counters from `getVideoPlaybackQuality()`; decode errors are fatal on this path, so that stays 0. */
  get counters(): Readonly<SinkCounters> {
    const quality = this.video.getVideoPlaybackQuality();
    return { presented: quality.totalVideoFrames - quality.droppedVideoFrames, dropped: quality.droppedVideoFrames, decodeErrors: 0 };
  }

  /** Seconds of media buffered ahead of the playhead: the player's share of the end-to-end latency. */
  get bufferedAheadSeconds(): number {
    return this.liveEdge.bufferedAheadSeconds;
  }

  /** Takes the next message; after a fatal error or `destroy()` it ignores messages. */
  handleMessage(message: StreamMessage): void {
    if (this.stopped) {
      return;
    }

    try {
      if (message.type === 'server-hello' || message.type === 'configuration') {
        this.logger.info('Stream started', { codec: message.codec, width: message.width, height: message.height });
        this.remuxer.handleHello(message);
        return;
      }

      if (message.type !== 'video') {
        return;
      }

      const output = this.remuxer.remux(message);
      if (output === undefined) {
        return;
      }

      if (output.initSegment !== undefined) {
        this.handleInitSegment(output.initSegment);
      }

      this.presentedFrames.track(output.mediaSegment.startSeconds, message.timestampUs);
      if (output.mediaSegment.keyframe) {
        this.liveEdge.addKeyframe(output.mediaSegment.startSeconds);
      }

      this.queue.enqueue({ kind: 'append', data: output.mediaSegment.data });
    } catch (error) {
      this.fail(toStreamClientError(error, 'CLIENT_ERR_INVALID_ACCESS_UNIT', 'Cannot play an access unit'));
    }
  }

  /** Stops playback, detaches the MediaSource from the video and removes every listener. */
  destroy(): void {
    this.stopped = true;
    this.queue.clear();
    this.presentedFrames.destroy();

    for (const removeListener of this.removeListeners.splice(0)) {
      removeListener();
    }

    this.video.removeAttribute('src');
    this.video.load();
    URL.revokeObjectURL(this.objectUrl);
  }

  private handleInitSegment(initSegment: InitSegment): void {
    if (!MediaSource.isTypeSupported(initSegment.mimeType)) {
      throw new StreamClientError(
        'CLIENT_ERR_CODEC_UNSUPPORTED',
        `This browser cannot play ${initSegment.mimeType} through MediaSource: encode with a profile and level it ` +
          'supports, or use another browser.',
      );
    }

    if (this.mimeType === undefined) {
      this.mimeType = initSegment.mimeType;
      this.createSourceBuffer();
    } else if (initSegment.codec !== this.codec) {
      this.logger.info('Codec changed; calling changeType()', { from: this.codec, to: initSegment.codec });
      this.queue.enqueue({ kind: 'changeType', mimeType: initSegment.mimeType });
    }

    if (initSegment.codec !== this.codec || initSegment.width !== this.width || initSegment.height !== this.height) {
      const { codec, width, height } = initSegment;
      this.dispatchEvent(new CustomEvent('configurationchange', { detail: { codec, width, height } }));
    }

    this.codec = initSegment.codec;
    this.width = initSegment.width;
    this.height = initSegment.height;
    this.queue.enqueue({ kind: 'append', data: initSegment.data });
  }

  private createSourceBuffer(): void {
    if (this.sourceBuffer !== undefined || this.mimeType === undefined || this.mediaSource.readyState !== 'open') {
      return;
    }

    try {
      this.sourceBuffer = this.mediaSource.addSourceBuffer(this.mimeType);
      this.sourceBuffer.mode = 'segments';
    } catch (error) {
      this.fail(toStreamClientError(error, 'CLIENT_ERR_CODEC_UNSUPPORTED', `Cannot add a SourceBuffer for ${this.mimeType}`));
      return;
    }

    this.queue.attach(this.sourceBuffer);
  }

  private handleUpdateEnd(): void {
    if (this.stopped) {
      return;
    }

    this.liveEdge.seekToLiveEdge(this.video.paused ? this.maxBufferSeconds : this.toleranceSeconds);
    this.liveEdge.adjustPlaybackRate();
    this.removePlayedMedia();
    this.autoplay.ensurePlaying();
  }

  private removePlayedMedia(): void {
    // Each range ends at a keyframe, so the next remove waits until the playhead is maxBufferSeconds past the next one.
    if (this.queue.pending > 0) {
      return;
    }

    const range = this.liveEdge.takePlayedRange(this.maxBufferSeconds);
    if (range !== undefined) {
      this.queue.enqueue({ kind: 'remove', ...range });
    }
  }

  private freeSpace(): TimeRange | undefined {
    // The playhead may be far behind because a hidden tab pauses the video. Jumping to the live edge first lets every
    // group of pictures before the playhead go.
    this.liveEdge.seekToLiveEdge(0);
    return this.liveEdge.takePlayedRange(0);
  }

  private handleVisibilityChange(): void {
    if (this.stopped || this.video.ownerDocument.visibilityState !== 'visible') {
      return;
    }

    this.liveEdge.seekToLiveEdge(this.toleranceSeconds);
    this.autoplay.ensurePlaying();
  }

  private handleVideoError(): void {
    const mediaError = this.video.error;
    const detail = mediaError === null ? 'unknown error' : `code ${mediaError.code}: ${mediaError.message}`;
    this.fail(new StreamClientError('CLIENT_ERR_DECODE_FAILED', `The video element failed to play the stream (${detail}).`));
  }

  private fail(error: StreamClientError): void {
    if (this.stopped) {
      return;
    }

    this.stopped = true;
    this.queue.clear();
    this.logger.error('Playback failed', { code: error.code, error: error.message });
    this.dispatchEvent(new CustomEvent('error', { detail: error }));
  }

  private listen(target: EventTarget, type: string, listener: () => void): void {
    target.addEventListener(type, listener);
    this.removeListeners.push(() => target.removeEventListener(type, listener));
  }
}
