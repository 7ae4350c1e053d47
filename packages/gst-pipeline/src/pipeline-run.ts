import { execa, type Options, type Result, type ResultPromise } from 'execa';
import { AsyncQueue } from './async-queue.js';
import { AccessUnitBuilder, type EncodedAccessUnit } from './encoded-access-unit.js';
import { EncoderLatencyCollector, latencyTracerEnvironment } from './encoder-latency.js';
import { PipelineError } from './errors.js';
import { exitError, type PipelineExit } from './exit-error.js';
import { GdpParser, type GdpPacket } from './gdp/gdp-parser.js';
import { silentLogger, type Logger } from './logger.js';
import { monotonicMicroseconds } from './monotonic-clock.js';
import { closePipesWhenIdle } from './close-pipes.js';
import { integerOption } from './options.js';
import type { PipelineRun, PipelineStats, RunPipelineOptions } from './run-pipeline.js';
import { StderrLines } from './stderr-lines.js';
import { StderrTail } from './stderr-tail.js';

const DEFAULT_STOP_TIMEOUT_MS = 3000;
const DEFAULT_HIGH_WATER_MARK = 16;

/** Facts about the pipeline that the runner needs besides its argv. */
export interface PipelineRunContext {
  /** The encoder element's name in the pipeline, such as `x264enc0`, whose encode times are measured. */
  encoderElement?: string;
  /** A descriptor of this process that gst-launch-1.0 receives as descriptor 3 (a PipeWire remote). */
  inheritedFd?: number;
}

/** The `PipelineRun` behind `runPipeline`: one gst-launch-1.0 process, its GDP parser and the access unit queue. */
export class GstPipelineRun implements PipelineRun {
  readonly argv: readonly string[];
  readonly caps: Promise<string>;
  readonly exited: Promise<PipelineExit>;

  private readonly logger: Logger;
  private readonly gstLaunchPath: string;
  private readonly subprocess: ResultPromise<Options>;
  private readonly parser = new GdpParser();
  private readonly builder: AccessUnitBuilder;
  private readonly queue: AsyncQueue<EncodedAccessUnit>;
  private readonly stderrTail = new StderrTail();
  private readonly latency?: EncoderLatencyCollector;
  private readonly stderrLines = new StderrLines();
  private readonly counters = { accessUnits: 0, bytes: 0, events: 0, capsPackets: 0 };
  private resolveCaps!: (caps: string) => void;
  private rejectCaps!: (error: unknown) => void;
  private latestCaps = '';
  private stopRequested = false;
  private failed = false;
  private consumed = false;
  private stdoutChunks = 0;
  private readonly onAbort = (): void => void this.stop();

  constructor(
    argv: string[],
    private readonly options: RunPipelineOptions,
    context: PipelineRunContext = {},
  ) {
    this.argv = argv;
    this.logger = options.logger ?? silentLogger;
    this.gstLaunchPath = options.gstLaunchPath ?? 'gst-launch-1.0';
    this.builder = new AccessUnitBuilder(this.logger);
    this.caps = new Promise((resolve, reject) => {
      this.resolveCaps = resolve;
      this.rejectCaps = reject;
    });
    // The run reports the same error through accessUnits(), so an unobserved caps rejection is not a bug.
    this.caps.catch(() => undefined);

    const stopTimeoutMs = integerOption('stopTimeoutMs', options.stopTimeoutMs, DEFAULT_STOP_TIMEOUT_MS, 0);
    this.queue = new AsyncQueue<EncodedAccessUnit>({
      highWaterMark: integerOption('highWaterMark', options.highWaterMark, DEFAULT_HIGH_WATER_MARK, 1, Number.MAX_SAFE_INTEGER),
      onFull: () => this.subprocess.stdout?.pause(),
      onDrain: () => this.subprocess.stdout?.resume(),
    });

    const measureLatency = (options.measureEncoderLatency ?? true) && context.encoderElement !== undefined;
    const env = measureLatency
      ? { ...options.env, ...latencyTracerEnvironment(options.env?.GST_DEBUG ?? process.env.GST_DEBUG) }
      : options.env;

    if (measureLatency && context.encoderElement !== undefined) {
      this.latency = new EncoderLatencyCollector(context.encoderElement);
    }

    // execa's default `cleanup: true` also kills gst-launch-1.0 when this Node process exits.
    // NOTE: after a SIGKILL of the Node process, gst-launch-1.0 ends only at its next write to the closed stdout pipe.
    const spawnOptions: Options = {
      // execa 9 passes any descriptor number on to child_process.spawn, but its types list only 3 to 9.
      stdio: ['ignore', 'pipe', 'pipe', (context.inheritedFd ?? 'ignore') as 'ignore'],
      buffer: false,
      reject: false,
      env,
      killSignal: 'SIGINT',
      forceKillAfterDelay: stopTimeoutMs,
    };
    this.subprocess = execa(this.gstLaunchPath, argv, spawnOptions);
    this.logger.debug('gst-pipeline.start: started gst-launch-1.0', { pid: this.subprocess.pid, argv });

    this.subprocess.stdout?.on('data', (chunk: Buffer) => this.handleStdout(chunk));
    this.subprocess.stderr?.on('data', (chunk: Buffer) => this.handleStderr(chunk));
    this.exited = this.subprocess.then((result) => this.handleExit(result));
    const warnPipesOpen = (): void =>
      this.logger.warn('gst-pipeline.exit: closing stdout and stderr, which stayed open after gst-launch-1.0 exited', { pid: this.pid });
    this.subprocess.once('exit', () => closePipesWhenIdle(this.subprocess, () => this.stdoutChunks, warnPipesOpen));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get pid(): number | undefined {
    return this.subprocess.pid;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<EncodedAccessUnit> {
    return this.accessUnits();
  }

  accessUnits(): AsyncIterableIterator<EncodedAccessUnit> {
    if (this.consumed) {
      throw new PipelineError(
        'PIPELINE_ERR_ALREADY_CONSUMED',
        `accessUnits() was already called for gst-launch-1.0 pid ${this.pid}: iterate each run once, and share the access units yourself.`,
      );
    }

    this.consumed = true;

    const iterator: AsyncIterableIterator<EncodedAccessUnit> = {
      next: () => this.queue.next(),
      return: async () => {
        await this.stop();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };

    return iterator;
  }

  async stop(): Promise<void> {
    if (!this.stopRequested) {
      this.stopRequested = true;
      this.logger.debug('gst-pipeline.stop: sending SIGINT for end of stream', { pid: this.pid });

      // The end of stream must be able to drain through a paused stdout, or gst-launch-1.0 would block until SIGKILL.
      this.queue.removeLimit();
      this.subprocess.kill();
    }

    await this.exited;
  }

  stats(): PipelineStats {
    return {
      ...this.counters,
      keyframeMismatches: this.builder.keyframeMismatches,
      skippedBuffers: this.builder.skippedBuffers,
      encoderLatency: this.latency?.stats(),
    };
  }

  private handleStderr(chunk: Buffer): void {
    if (this.latency === undefined) {
      this.stderrTail.append(chunk);
      return;
    }

    // The tracer's records are taken out, so the tail that errors quote holds only GStreamer's own messages.
    for (const line of this.stderrLines.push(chunk)) {
      if (!this.latency.handleLine(line) && !line.includes(' GST_TRACER ')) {
        this.stderrTail.append(`${line}\n`);
      }
    }
  }

  private handleStdout(chunk: Buffer): void {
    this.stdoutChunks++;

    if (this.failed) {
      return;
    }

    const receivedAtUs = monotonicMicroseconds();

    try {
      for (const packet of this.parser.push(chunk)) {
        this.handlePacket(packet, receivedAtUs);
      }
    } catch (error) {
      this.fail(error instanceof PipelineError ? error : wrapDecodeError(error, this.stderrTail.toString()));
      this.subprocess.kill('SIGKILL');
    }
  }

  private handlePacket(packet: GdpPacket, receivedAtUs: bigint): void {
    if (packet.type === 'event') {
      this.counters.events++;
      return;
    }

    if (packet.type === 'caps') {
      this.counters.capsPackets++;
      this.latestCaps = packet.caps;
      this.logger.debug('gst-pipeline.caps: caps changed', { pid: this.pid, caps: packet.caps });
      return;
    }

    const accessUnit = this.builder.build(packet, receivedAtUs);

    if (accessUnit === undefined) {
      return;
    }

    if (this.counters.accessUnits === 0) {
      this.resolveCaps(this.latestCaps);
    }

    this.counters.accessUnits++;
    this.counters.bytes += accessUnit.data.length;
    this.queue.push(accessUnit);
  }

  private handleExit(result: Result<Options>): PipelineExit {
    const exit: PipelineExit = { exitCode: result.exitCode, signal: result.signal };

    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.logger.debug('gst-pipeline.exit: gst-launch-1.0 is gone', { pid: this.pid, ...exit });

    if (this.failed) {
      return exit;
    }

    if (this.subprocess.pid === undefined && exit.exitCode === undefined && exit.signal === undefined) {
      this.fail(
        new PipelineError(
          'PIPELINE_ERR_GST_NOT_FOUND',
          `Could not start ${this.gstLaunchPath}: ${result.code ?? result.shortMessage}. Install the GStreamer command line tools (Debian: gstreamer1.0-tools) or set gstLaunchPath.`,
          { cause: result.cause ?? result },
        ),
      );
      return exit;
    }

    if (this.stopRequested) {
      this.rejectCaps(
        new PipelineError('PIPELINE_ERR_EXITED', 'gst-launch-1.0 was stopped before the first access unit, so no caps were negotiated.'),
      );
      this.queue.end();
      return exit;
    }

    if (exit.exitCode === 0 && this.parser.bufferedLength > 0) {
      this.fail(
        new PipelineError(
          'PIPELINE_ERR_INVALID_GDP',
          `gst-launch-1.0 exited with code 0 after ${this.counters.accessUnits} access units, but stdout ended inside a ` +
            `GDP packet (${this.parser.bufferedLength} bytes of it), so the output was cut off. Check that nothing else ` +
            'writes to stdout, for example a wrapper script in gstLaunchPath.',
          { stderrTail: this.stderrTail.toString(), exitCode: 0 },
        ),
      );
      return exit;
    }

    if (exit.exitCode === 0 && this.counters.accessUnits > 0) {
      this.queue.end();
      return exit;
    }

    this.fail(exitError(exit, this.stderrTail.toString(), this.counters.accessUnits));
    return exit;
  }

  private fail(error: PipelineError): void {
    this.failed = true;
    this.logger.debug('gst-pipeline.error: run failed', { pid: this.pid, code: error.code });
    this.rejectCaps(error);
    this.queue.fail(error);
  }
}

function wrapDecodeError(error: unknown, stderrTail: string): PipelineError {
  const reason = error instanceof Error ? error.message : String(error);

  return new PipelineError('PIPELINE_ERR_INVALID_GDP', `Could not decode the output of gst-launch-1.0: ${reason}`, {
    cause: error,
    stderrTail,
  });
}
