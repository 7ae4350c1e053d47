import { setTimeout as sleep } from 'node:timers/promises';

import { encodeMessage } from '@deskvm/stream-protocol';

import { describeError } from './describe-error.js';
import type { FrameSource, FrameSourceFactory, SourceFrame } from './frame-source.js';
import { GopCache } from './gop-cache.js';
import type { Logger } from './logger.js';
import { StreamConfiguration, type FrameRate } from './stream-configuration.js';
import type { Viewer, ViewerStats } from './viewer.js';

/** Settings of a {@link StreamHub}. */
export interface StreamHubOptions {
  /** Starts the encoder; called on the first viewer and again after the source ends or fails. */
  readonly startSource: FrameSourceFactory;
  /** Frame rate announced in the server hello. */
  readonly frameRate: FrameRate;
  readonly logger: Logger;
  /** How long the pipeline keeps running after the last viewer left, in milliseconds. */
  readonly idleStopMs: number;
  /** First restart delay after a failure, in milliseconds; it doubles per failure in a row. */
  readonly restartDelayMs: number;
  /** Maximum restart delay, in milliseconds. */
  readonly maxRestartDelayMs: number;
  /** Whether to add a bitstream restriction without frame reordering to each SPS; false for sources with B-frames. */
  readonly rewriteSps: boolean;
}

/** Pipeline counters for the health endpoint. */
export interface PipelineStats {
  readonly running: boolean;
  readonly accessUnits: number;
  readonly restarts: number;
  /** Milliseconds since the last access unit arrived; undefined before the first one. */
  readonly lastAccessUnitAgeMs: number | undefined;
}

/**
 * Shares one encoder among all viewers. It starts the encoder for the first viewer and stops it once the last viewer
 * has been gone for `idleStopMs`. It restarts an encoder that ended on its own, with a capped backoff, and replays
 * the current group of pictures to each viewer that joins.
 */
export class StreamHub {
  readonly #options: StreamHubOptions;
  readonly #viewers = new Set<Viewer>();
  readonly #gop = new GopCache();
  readonly #configuration: StreamConfiguration;
  readonly #closeController = new AbortController();
  #loop: Promise<void> | undefined;
  #source: FrameSource | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #idleStopped = false;
  #closed = false;
  /** False after a keyframe with an invalid SPS, until the next valid keyframe: the frames between cannot be decoded. */
  #configurationValid = true;
  #accessUnits = 0;
  #restarts = 0;
  #lastAccessUnitAt: number | undefined;

  constructor(options: StreamHubOptions) {
    this.#options = options;
    this.#configuration = new StreamConfiguration(options.frameRate, options.rewriteSps, options.logger);
  }

  /**
   * Adds a viewer: it gets the current configuration and group of pictures at once, then live frames. Returns false,
   * and adds nothing, once the hub is closed.
   */
  addViewer(viewer: Viewer): boolean {
    if (this.#closed) {
      return false;
    }

    clearTimeout(this.#idleTimer);
    this.#viewers.add(viewer);
    const hello = this.#configuration.hello;
    if (hello !== undefined) {
      viewer.sendControl(hello);
    }
    for (const frame of this.#gop.frames()) {
      viewer.sendFrame(frame);
    }
    this.#ensureRunning();
    return true;
  }

  /** Removes a viewer; the last one to leave starts the idle timer. */
  removeViewer(viewer: Viewer): void {
    this.#viewers.delete(viewer);
    if (this.#viewers.size > 0 || this.#closed) {
      return;
    }

    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#stopForIdle(), this.#options.idleStopMs);
    this.#idleTimer.unref();
  }

  /** Per-viewer counters. */
  viewerStats(): ViewerStats[] {
    return [...this.#viewers].map((viewer) => viewer.stats());
  }

  /** Pipeline counters. */
  pipelineStats(): PipelineStats {
    return {
      running: this.#source !== undefined,
      accessUnits: this.#accessUnits,
      restarts: this.#restarts,
      lastAccessUnitAgeMs: this.#lastAccessUnitAt === undefined ? undefined : Date.now() - this.#lastAccessUnitAt,
    };
  }

  /** Stops the pipeline for good and waits until its process is gone. Viewers are closed by the caller. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#closeController.abort();
    clearTimeout(this.#idleTimer);
    if (this.#source !== undefined) {
      await this.#stopQuietly(this.#source);
    }
    await this.#loop;
  }

  #ensureRunning(): void {
    if (this.#loop === undefined) {
      this.#loop = this.#run();
    }
  }

  #stopForIdle(): void {
    if (this.#viewers.size > 0 || this.#source === undefined) {
      return;
    }
    this.#options.logger.info('stopping pipeline: no viewers', { idleStopMs: this.#options.idleStopMs });
    this.#idleStopped = true;
    void this.#stopQuietly(this.#source);
  }

  /** Stops a source and logs, instead of throwing, when its stop fails: the hub goes on either way. */
  async #stopQuietly(source: FrameSource): Promise<void> {
    try {
      await source.stop();
    } catch (error) {
      this.#options.logger.error('pipeline stop failed', describeError(error));
    }
  }

  /** Starts a source, or logs and returns undefined when the factory throws. */
  #startSource(): FrameSource | undefined {
    try {
      return this.#options.startSource();
    } catch (error) {
      this.#options.logger.error('pipeline start failed', describeError(error));
      return undefined;
    }
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      const failed = !(await this.#runSourceOnce(() => {
        failures = 0;
      }));

      const stoppedOnPurpose = this.#idleStopped || this.#closed;
      this.#idleStopped = false;
      if (this.#closed || this.#viewers.size === 0) {
        this.#options.logger.info('pipeline stopped', { failed, stoppedOnPurpose });
        break;
      }
      if (stoppedOnPurpose) {
        continue;
      }

      const delayMs = Math.min(this.#options.maxRestartDelayMs, this.#options.restartDelayMs * 2 ** failures);
      failures += 1;
      this.#restarts += 1;
      this.#options.logger.warn('pipeline ended, restarting', { failed, delayMs, failuresInARow: failures });
      await sleep(delayMs, undefined, { signal: this.#closeController.signal }).catch(() => undefined);
    }
    this.#loop = undefined;
  }

  /**
   * Runs one source until it ends, publishing its frames. Returns false when it could not start or failed.
   * `onFrame` runs for every frame, so the caller can reset its failure count once the source works.
   */
  async #runSourceOnce(onFrame: () => void): Promise<boolean> {
    const source = this.#startSource();
    if (source === undefined) {
      return false;
    }

    this.#source = source;
    this.#options.logger.info('pipeline started', { restarts: this.#restarts });
    try {
      for await (const frame of source.frames()) {
        onFrame();
        this.#publish(frame);
      }
      return true;
    } catch (error) {
      this.#options.logger.error('pipeline failed', describeError(error));
      return false;
    } finally {
      await this.#stopQuietly(source);
      this.#source = undefined;
      this.#gop.clear();
      for (const viewer of this.#viewers) {
        viewer.resynchronize();
      }
    }
  }

  #publish(sourceFrame: SourceFrame): void {
    this.#accessUnits += 1;
    this.#lastAccessUnitAt = Date.now();

    let frame = sourceFrame;
    if (frame.keyframe) {
      const configured = this.#configuration.accept(frame);
      this.#configurationValid = configured.frame !== undefined;
      frame = configured.frame ?? frame;
      if (configured.helloChanged) {
        this.#broadcastHello();
      }
    }
    const hello = this.#configuration.hello;
    if (hello === undefined || !this.#configurationValid) {
      return;
    }

    const message = encodeMessage({
      type: 'video',
      keyframe: frame.keyframe,
      timestampUs: frame.timestampUs,
      data: frame.data,
    });
    const cached = { message, keyframe: frame.keyframe };
    this.#gop.add(cached);
    for (const viewer of this.#viewers) {
      viewer.sendFrame(cached);
    }
  }

  #broadcastHello(): void {
    const hello = this.#configuration.hello;
    if (hello === undefined) {
      return;
    }
    for (const viewer of this.#viewers) {
      viewer.sendControl(hello);
    }
  }
}
