import { ErrorCode, encodeMessage } from '@deskvm/stream-protocol';

import { CaptureClock } from './capture-clock.js';
import type { FrameSourceFactory, SourceFrame } from './frame-source.js';
import { GopCache } from './gop-cache.js';
import type { Logger } from './logger.js';
import { PipelineSupervisor, type PipelineStats, type SupervisorOptions } from './pipeline-supervisor.js';
import { StreamConfiguration, type EncodedConfiguration, type FrameRate } from './stream-configuration.js';
import type { Viewer, ViewerStats } from './viewer.js';

export type { PipelineStats } from './pipeline-supervisor.js';

/** The restart and circuit-breaker settings that a {@link StreamHub} passes on to its supervisor unchanged. */
export type RestartPolicy = Pick<
  SupervisorOptions,
  'restartDelayMs' | 'maxRestartDelayMs' | 'stallTimeoutMs' | 'circuitFailures' | 'circuitWindowMs' | 'circuitOpenMs'
>;

/** Settings of a {@link StreamHub}. */
export interface StreamHubOptions extends RestartPolicy {
  /** Starts the encoder; called on the first viewer and again after the source ends or fails. */
  readonly startSource: FrameSourceFactory;
  /** Frame rate announced in the configuration. */
  readonly frameRate: FrameRate;
  readonly logger: Logger;
  /** How long the pipeline keeps running after the last viewer left, in milliseconds. */
  readonly idleStopMs: number;
  /** Whether to add a bitstream restriction without frame reordering to each SPS; false for sources with B-frames. */
  readonly rewriteSps: boolean;
}

/** The outcome of a keyframe request. */
export type KeyframeResponse = 'forced' | 'replayed' | 'nothing-cached';

/**
 * Shares one encoder among all viewers. It starts the encoder for the first viewer and stops it once the last viewer
 * has been gone for `idleStopMs`, and it replays the current group of pictures to each viewer that joins. The
 * {@link PipelineSupervisor} restarts a failed or stalled encoder.
 */
export class StreamHub {
  readonly #options: StreamHubOptions;
  readonly #viewers = new Set<Viewer>();
  readonly #gop = new GopCache();
  readonly #configuration: StreamConfiguration;
  readonly #supervisor: PipelineSupervisor;
  readonly #captureClock = new CaptureClock();
  #idleTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** False after a keyframe with an invalid SPS, until the next valid keyframe: the frames between cannot be decoded. */
  #configurationValid = true;
  #encoderLatencyUs: number | undefined;

  constructor(options: StreamHubOptions) {
    this.#options = options;
    this.#configuration = new StreamConfiguration(options.frameRate, options.rewriteSps, options.logger);
    this.#supervisor = new PipelineSupervisor({
      startSource: options.startSource,
      logger: options.logger,
      restartDelayMs: options.restartDelayMs,
      maxRestartDelayMs: options.maxRestartDelayMs,
      stallTimeoutMs: options.stallTimeoutMs,
      circuitFailures: options.circuitFailures,
      circuitWindowMs: options.circuitWindowMs,
      circuitOpenMs: options.circuitOpenMs,
      onFrame: (frame) => this.#publish(frame),
      onSourceEnded: () => this.#resynchronizeAll(),
      onCircuitOpen: (message) => this.#broadcastError(ErrorCode.PipelineFailed, message),
      shouldRun: () => !this.#closed && this.#viewers.size > 0,
    });
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
    this.#sendCurrentGroup(viewer);
    this.#supervisor.ensureRunning();
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

  /** The viewers connected now. */
  get viewers(): ReadonlySet<Viewer> {
    return this.#viewers;
  }

  /**
   * Serves a keyframe request. A source that can force a keyframe is asked to, and the viewer waits for it.
   * Otherwise the viewer gets the cached group of pictures again, from its keyframe.
   */
  requestKeyframe(viewer: Viewer): KeyframeResponse {
    const source = this.#supervisor.source;

    if (source?.requestKeyframe !== undefined) {
      viewer.resynchronize();
      source.requestKeyframe();
      return 'forced';
    }

    if (this.#gop.frames().length === 0) {
      return 'nothing-cached';
    }

    viewer.resynchronize();
    this.#sendCurrentGroup(viewer);
    return 'replayed';
  }

  /**
   * Whether the sources can force keyframes (capability bit 3 of the hello): as the factory declares it, or as the
   * running source shows it.
   */
  get forcesKeyframes(): boolean {
    return this.#options.startSource.forcesKeyframes === true || this.#supervisor.source?.requestKeyframe !== undefined;
  }

  /** Restarts the pipeline, such as after a resize; viewers get a new configuration with the next keyframe. */
  restartPipeline(): void {
    this.#gop.clear();
    this.#supervisor.restart();
  }

  /** The current configuration; undefined before the first keyframe. */
  get configuration(): EncodedConfiguration | undefined {
    return this.#configuration.current;
  }

  /** The display size of the current configuration; undefined before the first keyframe. */
  get configurationSize(): { width: number; height: number } | undefined {
    return this.#configuration.current;
  }

  /**
   * The encoder latency in microseconds: that of the last access unit, else the running source's recent encode time.
   * Undefined when the source reports neither.
   */
  get encoderLatencyUs(): number | undefined {
    return this.#encoderLatencyUs ?? this.#supervisor.source?.encodeTimeUs?.();
  }

  /** Per-viewer counters. */
  viewerStats(): ViewerStats[] {
    return [...this.#viewers].map((viewer) => viewer.stats());
  }

  /** Pipeline counters. */
  pipelineStats(): PipelineStats {
    return this.#supervisor.stats();
  }

  /** Stops the pipeline for good and waits until its process is gone. Viewers are closed by the caller. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    await this.#supervisor.close();
  }

  #sendCurrentGroup(viewer: Viewer): void {
    const configuration = this.#configuration.current;

    if (configuration !== undefined) {
      viewer.sendConfiguration(configuration);
    }

    for (const frame of this.#gop.frames()) {
      viewer.sendFrame(frame);
    }
  }

  #stopForIdle(): void {
    if (this.#viewers.size > 0) {
      return;
    }

    this.#options.logger.info('stopping pipeline: no viewers', { idleStopMs: this.#options.idleStopMs });
    this.#supervisor.stopForIdle();
  }

  #resynchronizeAll(): void {
    this.#gop.clear();
    this.#captureClock.restart();

    for (const viewer of this.#viewers) {
      viewer.resynchronize();
    }
  }

  #publish(sourceFrame: SourceFrame): void {
    let frame = sourceFrame;

    this.#encoderLatencyUs = frame.encoderLatencyUs;

    if (frame.keyframe) {
      const accepted = this.#configuration.accept(frame);

      this.#configurationValid = accepted.frame !== undefined;
      frame = accepted.frame ?? frame;

      if (accepted.changed) {
        this.#broadcastConfiguration(this.#configuration.current);
      }
    }

    if (this.#configuration.current === undefined || !this.#configurationValid) {
      return;
    }

    const message = encodeMessage({
      type: 'video',
      keyframe: frame.keyframe,
      timestampUs: this.#captureClock.map(frame.timestampUs, frame.encoderLatencyUs),
      data: frame.data,
    });
    const cached = { message, keyframe: frame.keyframe };

    this.#gop.add(cached);

    for (const viewer of this.#viewers) {
      viewer.sendFrame(cached);
    }
  }

  #broadcastConfiguration(configuration: EncodedConfiguration | undefined): void {
    if (configuration === undefined) {
      return;
    }

    for (const viewer of this.#viewers) {
      viewer.sendConfiguration(configuration);
    }
  }

  #broadcastError(code: ErrorCode, message: string): void {
    for (const viewer of this.#viewers) {
      viewer.sendError(code, message);
    }
  }
}
