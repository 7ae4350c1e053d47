import type { PipelineDescription } from './description.js';
import type { EncoderLatencyStats } from './encoder-latency.js';
import type { EncodedAccessUnit } from './encoded-access-unit.js';
import type { PipelineExit } from './exit-error.js';
import type { Logger } from './logger.js';
import { GstPipelineRun } from './pipeline-run.js';
import { checkPipeWireFd } from './pipewire-fd.js';
import { renderArgv, type RenderOptions } from './render-argv.js';
import { resolveDescription } from './validate.js';

/** Options of `runPipeline`. */
export interface RunPipelineOptions {
  /** Aborting it stops the pipeline like `stop()`: the iterator ends without an error. */
  signal?: AbortSignal;
  /** Receives debug messages about start, caps and exit, and warnings about odd buffers; default silent. */
  logger?: Logger;
  /** Variables added to the environment of gst-launch-1.0 (for example `DISPLAY` or `GST_DEBUG`). */
  env?: Record<string, string>;
  /**
   * The gst-launch-1.0 executable, a name looked up in PATH or a path; default `'gst-launch-1.0'`. A wrapper script
   * should `exec` gst-launch-1.0, because signals reach only the process started here.
   * NOTE: a child that a wrapper forks is not killed. The runner only closes the pipes that the child keeps open.
   */
  gstLaunchPath?: string;
  /**
   * How long `stop()` waits after SIGINT for the end of stream before it sends SIGKILL, in ms, 0 to 2147483647;
   * default 3000.
   */
  stopTimeoutMs?: number;
  /**
   * Access units queued for a slow consumer before the runner stops reading stdout, at least 1; default 16.
   * gst-launch-1.0 then blocks on the full pipe and the leaky queue in front of the encoder drops frames.
   */
  highWaterMark?: number;
  /**
   * Whether to measure the encoder's per-frame encode time with GStreamer's latency tracer, reported as
   * `stats().encoderLatency`; default true. It sets `GST_TRACERS` and adds `GST_TRACER:7` to `GST_DEBUG`.
   */
  measureEncoderLatency?: boolean;
  /** The encoder as `gst-inspect-1.0` reported it, so that its property names match the installed version. */
  inspectedEncoder?: RenderOptions['inspectedEncoder'];
}

/** Counters of one run. */
export interface PipelineStats {
  /** Access units delivered to the queue. */
  accessUnits: number;
  /** Annex-B bytes in those access units. */
  bytes: number;
  /** GDP event packets (stream-start, segment, tags, EOS, ...), which are otherwise ignored. */
  events: number;
  /** GDP caps packets. */
  capsPackets: number;
  /** Buffers whose DELTA_UNIT flag disagreed with the presence of an IDR slice; these are not keyframes. */
  keyframeMismatches: number;
  /** Buffers dropped because they had neither PTS nor DTS. */
  skippedBuffers: number;
  /** Encode time per frame over the last 4096 frames; undefined before the first frame or when not measured. */
  encoderLatency?: EncoderLatencyStats;
}

/** A running gst-launch-1.0 process and the access units it produces. Iterating the run iterates `accessUnits()`. */
export interface PipelineRun extends AsyncIterable<EncodedAccessUnit> {
  /** The arguments passed to gst-launch-1.0. */
  readonly argv: readonly string[];
  /** The process id, or undefined when the process could not be started. */
  readonly pid: number | undefined;
  /**
   * The negotiated caps in force for the first access unit, such as `video/x-h264, stream-format=(string)byte-stream,
   * ..., width=(int)320, height=(int)240, framerate=(fraction)30/1`. Rejects with the run's error, or with
   * `PIPELINE_ERR_EXITED` when the run is stopped before the first access unit.
   */
  readonly caps: Promise<string>;
  /** Resolves when the process is gone (never rejects). */
  readonly exited: Promise<PipelineExit>;
  /**
   * Returns the access units in decoding order. It may be called once. The iterator ends after `stop()`, an abort or
   * a normal end of stream, and throws a `PipelineError` when the process fails, including an exit before the first
   * access unit. Leaving a `for await` loop early stops the pipeline.
   *
   * @throws PipelineError `PIPELINE_ERR_ALREADY_CONSUMED` on a second call
   */
  accessUnits(): AsyncIterableIterator<EncodedAccessUnit>;
  /**
   * Sends SIGINT, so that gst-launch-1.0 (started with `-e`) sends end-of-stream through the pipeline, and SIGKILL
   * after `stopTimeoutMs`. Resolves when the process is gone. Safe to call more than once.
   */
  stop(): Promise<void>;
  /** Returns a snapshot of the counters. */
  stats(): PipelineStats;
}

/**
 * Starts gst-launch-1.0 with the rendered pipeline and decodes the GDP stream on its stdout into access units.
 *
 * @example
 * const run = runPipeline({ source: { kind: 'videotestsrc' }, encoder: { kind: 'x264enc' }, width: 320, height: 240, frameRate: 30 });
 * for await (const accessUnit of run) {
 *   send(accessUnit.data);
 * }
 * @throws PipelineError `PIPELINE_ERR_INVALID_DESCRIPTION` synchronously for an invalid description, or for a
 *   pipewiresrc `fd` that is closed or not a socket. A missing executable and process failures arrive through
 *   `accessUnits()` and `caps` instead.
 * @throws PipelineError `PIPELINE_ERR_INVALID_OPTION` synchronously for an out-of-range `stopTimeoutMs` or `highWaterMark`
 * @throws the signal's reason when `options.signal` is already aborted
 */
export function runPipeline(description: PipelineDescription, options: RunPipelineOptions = {}): PipelineRun {
  const argv = renderArgv(description, { inspectedEncoder: options.inspectedEncoder });
  const resolved = resolveDescription(description);

  options.signal?.throwIfAborted();

  if (resolved.source.kind === 'pipewiresrc') {
    checkPipeWireFd(resolved.source.fd);
  }

  return new GstPipelineRun(argv, options, {
    // gst-launch-1.0 names the only element of each factory FACTORY0.
    encoderElement: `${resolved.encoder.kind}0`,
    inheritedFd: resolved.source.kind === 'pipewiresrc' ? resolved.source.fd : undefined,
  });
}
