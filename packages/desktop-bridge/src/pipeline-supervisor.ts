import { setTimeout as sleep } from 'node:timers/promises';

import { describeError } from './describe-error.js';
import type { FrameSource, FrameSourceFactory, SourceFrame } from './frame-source.js';
import type { Logger } from './logger.js';

/** Settings of a {@link PipelineSupervisor}. */
export interface SupervisorOptions {
  /** Starts the encoder; called for the first start and for every restart. */
  readonly startSource: FrameSourceFactory;
  readonly logger: Logger;
  /** First restart delay after a failure, in milliseconds; it doubles per failure in a row. */
  readonly restartDelayMs: number;
  /** Maximum restart delay, in milliseconds. */
  readonly maxRestartDelayMs: number;
  /** A running source that delivers no access unit for this long is stopped and counted as failed, in milliseconds. */
  readonly stallTimeoutMs: number;
  /** Failures within `circuitWindowMs` that open the circuit breaker. */
  readonly circuitFailures: number;
  /** The window in which failures are counted, in milliseconds. */
  readonly circuitWindowMs: number;
  /** How long an open circuit waits before it tries one more start, in milliseconds. */
  readonly circuitOpenMs: number;
  /** Receives each access unit. */
  readonly onFrame: (frame: SourceFrame) => void;
  /** Called after a source ended, before any restart: viewers must wait for a new keyframe. */
  readonly onSourceEnded: () => void;
  /** Called when the circuit opens, with a sentence for viewers. */
  readonly onCircuitOpen: (message: string) => void;
  /** Whether the pipeline should run now, such as "some viewer is connected". */
  readonly shouldRun: () => boolean;
}

/** Pipeline counters for the health endpoint. */
export interface PipelineStats {
  readonly running: boolean;
  readonly accessUnits: number;
  readonly restarts: number;
  /** Failures (crash, failed start, stall) since the bridge started. */
  readonly failures: number;
  /** True while the circuit breaker stops restarts. */
  readonly circuitOpen: boolean;
  /** Milliseconds since the last access unit arrived; undefined before the first one. */
  readonly lastAccessUnitAgeMs: number | undefined;
}

/**
 * Runs the encoder and keeps it running while `shouldRun()` is true. It restarts a source that crashed, failed to start
 * or stalled (no access unit for `stallTimeoutMs`), after a delay that doubles per failure in a row up to
 * `maxRestartDelayMs`. After `circuitFailures` failures within `circuitWindowMs` it stops restarting, reports the
 * error through `onCircuitOpen`, and tries once more after `circuitOpenMs`.
 */
export class PipelineSupervisor {
  readonly #options: SupervisorOptions;
  readonly #closeController = new AbortController();
  #loop: Promise<void> | undefined;
  #source: FrameSource | undefined;
  #stopReason: 'idle' | 'restart' | undefined;
  #wake: (() => void) | undefined;
  #failureTimes: number[] = [];
  #failures = 0;
  #accessUnits = 0;
  #restarts = 0;
  #circuitOpen = false;
  #lastAccessUnitAt: number | undefined;

  constructor(options: SupervisorOptions) {
    this.#options = options;
  }

  /** Starts the run loop unless it runs already. */
  ensureRunning(): void {
    this.#loop ??= this.#run().finally(() => {
      this.#loop = undefined;
    });
  }

  /** Stops the current source because no viewer is connected; the loop ends unless `shouldRun()` is true again. */
  stopForIdle(): void {
    if (this.#source !== undefined) {
      this.#stopReason = 'idle';
      void this.#stopQuietly(this.#source);
    }
  }

  /** Stops the current source and starts a new one at once, such as after the desktop was resized. */
  restart(): void {
    if (this.#source !== undefined) {
      this.#stopReason = 'restart';
      void this.#stopQuietly(this.#source);
    }

    this.#wake?.();
    this.ensureRunning();
  }

  /** Stops for good and waits until the source is gone. */
  async close(): Promise<void> {
    this.#closeController.abort();

    if (this.#source !== undefined) {
      await this.#stopQuietly(this.#source);
    }

    await this.#loop;
  }

  /** The running source, for a keyframe request; undefined between runs. */
  get source(): FrameSource | undefined {
    return this.#source;
  }

  stats(): PipelineStats {
    return {
      running: this.#source !== undefined,
      accessUnits: this.#accessUnits,
      restarts: this.#restarts,
      failures: this.#failures,
      circuitOpen: this.#circuitOpen,
      lastAccessUnitAgeMs: this.#lastAccessUnitAt === undefined ? undefined : Date.now() - this.#lastAccessUnitAt,
    };
  }

  get #closed(): boolean {
    return this.#closeController.signal.aborted;
  }

  async #run(): Promise<void> {
    let failuresInARow = 0;

    while (!this.#closed && this.#options.shouldRun()) {
      const outcome = await this.#runOnce(() => {
        failuresInARow = 0;
      });
      const stopReason = this.#stopReason;

      this.#stopReason = undefined;
      this.#options.onSourceEnded();

      if (this.#closed || !this.#options.shouldRun()) {
        this.#options.logger.info('pipeline stopped', { outcome, reason: stopReason ?? 'no viewers' });
        break;
      }

      if (stopReason !== undefined) {
        this.#restarts += 1;
        this.#options.logger.info('pipeline restarting', { reason: stopReason });
        continue;
      }

      let delayMs = Math.min(this.#options.maxRestartDelayMs, this.#options.restartDelayMs * 2 ** failuresInARow);

      failuresInARow += 1;

      if (this.#recordFailure()) {
        delayMs = this.#options.circuitOpenMs;
      }

      this.#restarts += 1;
      this.#options.logger.warn('pipeline ended, restarting', { outcome, delayMs, failuresInARow });
      await this.#sleep(delayMs);
      this.#circuitOpen = false;
    }
  }

  /** Counts a failure and opens the circuit when the window contains enough of them. Returns true when it opened. */
  #recordFailure(): boolean {
    const now = Date.now();

    this.#failures += 1;
    this.#failureTimes = [...this.#failureTimes.filter((time) => now - time < this.#options.circuitWindowMs), now];

    if (this.#failureTimes.length < this.#options.circuitFailures) {
      return false;
    }

    const message =
      `The video pipeline failed ${this.#failureTimes.length} times within ${this.#options.circuitWindowMs} ms, so ` +
      `the server stopped restarting it; it tries again in ${this.#options.circuitOpenMs} ms.`;

    this.#failureTimes = [];
    this.#circuitOpen = true;
    this.#options.logger.error('pipeline circuit breaker opened', {
      failures: this.#options.circuitFailures,
      windowMs: this.#options.circuitWindowMs,
      retryInMs: this.#options.circuitOpenMs,
    });
    this.#options.onCircuitOpen(message);
    return true;
  }

  /** Sleeps until the delay passes, the supervisor closes, or `restart()` wakes it. */
  async #sleep(delayMs: number): Promise<void> {
    const woken = new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    const slept = sleep(delayMs, undefined, { signal: this.#closeController.signal }).catch(() => undefined);

    await Promise.race([woken, slept]);
    this.#wake = undefined;
  }

  /**
   * Runs one source until it ends. Returns 'ended' for a normal end or a stop, 'failed' for a crash or a failed start,
   * 'stalled' when the watchdog stopped it. `onFrame` runs for every frame, so the caller can reset its failure count.
   */
  async #runOnce(onFrame: () => void): Promise<'ended' | 'failed' | 'stalled'> {
    const source = this.#start();

    if (source === undefined) {
      return 'failed';
    }

    this.#source = source;
    this.#options.logger.info('pipeline started', { restarts: this.#restarts });

    let stalled = false;
    const watchdog = setInterval(() => {
      const idleMs = Date.now() - (this.#lastAccessUnitAt ?? 0);

      if (!stalled && idleMs > this.#options.stallTimeoutMs) {
        stalled = true;
        this.#options.logger.warn('pipeline stalled, stopping it', { stallTimeoutMs: this.#options.stallTimeoutMs });
        void this.#stopQuietly(source);
      }
    }, Math.max(10, Math.floor(this.#options.stallTimeoutMs / 4)));

    this.#lastAccessUnitAt = Date.now();

    try {
      for await (const frame of source.frames()) {
        this.#accessUnits += 1;
        this.#lastAccessUnitAt = Date.now();
        onFrame();
        this.#options.onFrame(frame);
      }

      return stalled ? 'stalled' : 'ended';
    } catch (error) {
      if (stalled || this.#stopReason !== undefined) {
        return stalled ? 'stalled' : 'ended';
      }

      this.#options.logger.error('pipeline failed', describeError(error));
      return 'failed';
    } finally {
      clearInterval(watchdog);
      await this.#stopQuietly(source);
      this.#source = undefined;
    }
  }

  /** Starts a source, or logs and returns undefined when the factory throws. */
  #start(): FrameSource | undefined {
    try {
      return this.#options.startSource();
    } catch (error) {
      this.#options.logger.error('pipeline start failed', describeError(error));
      return undefined;
    }
  }

  /** Stops a source and logs, instead of throwing, when its stop fails: the supervisor goes on either way. */
  async #stopQuietly(source: FrameSource): Promise<void> {
    try {
      await source.stop();
    } catch (error) {
      this.#options.logger.error('pipeline stop failed', describeError(error));
    }
  }
}
