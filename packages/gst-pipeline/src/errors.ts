/**
 * Stable error codes of this package. Callers branch on these, never on the message text.
 *
 * - `PIPELINE_ERR_INVALID_DESCRIPTION`: a pipeline description value is out of range or could add elements to argv.
 * - `PIPELINE_ERR_INVALID_OPTION`: an option such as a timeout or `highWaterMark` is not an integer in its range.
 * - `PIPELINE_ERR_GST_NOT_FOUND`: the `gst-launch-1.0` executable could not be started.
 * - `PIPELINE_ERR_GST_TIMED_OUT`: `gst-inspect-1.0 --version` did not finish in time, so probing could not start.
 * - `PIPELINE_ERR_MISSING_ELEMENT`: gst-launch-1.0 reported `no element "NAME"`; the plugin is not installed.
 * - `PIPELINE_ERR_NOT_NEGOTIATED`: two elements could not agree on caps (`not-negotiated`, `could not link`).
 * - `PIPELINE_ERR_DEVICE`: a GPU device or its driver failed (libva, CUDA, NVENC or Media SDK errors on stderr).
 * - `PIPELINE_ERR_DISPLAY_UNAVAILABLE`: ximagesrc could not open its X display.
 * - `PIPELINE_ERR_EXITED`: gst-launch-1.0 exited before the first access unit, or failed later, for another reason.
 * - `PIPELINE_ERR_INVALID_GDP`: the GStreamer Data Protocol stream on stdout is malformed (version, CRC, length).
 * - `PIPELINE_ERR_ALREADY_CONSUMED`: `accessUnits()` was called a second time on the same run.
 * - `PIPELINE_ERR_CACHE_WRITE`: the probe cache file could not be written.
 * - `PIPELINE_ERR_START_TIMEOUT`: a pipeline delivered no access unit within its start timeout.
 * - `PIPELINE_ERR_NO_ENCODER`: no candidate encoder (or caps variant) worked; `rejections` lists why each failed.
 */
export type PipelineErrorCode =
  | 'PIPELINE_ERR_INVALID_DESCRIPTION'
  | 'PIPELINE_ERR_INVALID_OPTION'
  | 'PIPELINE_ERR_GST_NOT_FOUND'
  | 'PIPELINE_ERR_GST_TIMED_OUT'
  | 'PIPELINE_ERR_MISSING_ELEMENT'
  | 'PIPELINE_ERR_NOT_NEGOTIATED'
  | 'PIPELINE_ERR_DEVICE'
  | 'PIPELINE_ERR_DISPLAY_UNAVAILABLE'
  | 'PIPELINE_ERR_EXITED'
  | 'PIPELINE_ERR_INVALID_GDP'
  | 'PIPELINE_ERR_ALREADY_CONSUMED'
  | 'PIPELINE_ERR_CACHE_WRITE'
  | 'PIPELINE_ERR_NO_ENCODER'
  | 'PIPELINE_ERR_START_TIMEOUT';

/** Options of the `PipelineError` constructor. */
export interface PipelineErrorOptions {
  /** The error that caused this one, kept as `error.cause`. */
  cause?: unknown;
  /** The last bytes of gst-launch-1.0's stderr (at most 8 KiB), when a process was involved. */
  stderrTail?: string;
  /**
   * The element that is missing, for `PIPELINE_ERR_MISSING_ELEMENT`; otherwise the element that posted the error
   * (such as `videotestsrc0`), when gst-launch-1.0 named one.
   */
  element?: string;
  /** The exit code of gst-launch-1.0, when it exited normally. */
  exitCode?: number;
  /** The signal that ended gst-launch-1.0, such as `SIGKILL`. */
  signal?: string;
  /** For `PIPELINE_ERR_NO_ENCODER`, one line per failed attempt: the encoder and its error. */
  rejections?: readonly string[];
}

/** The one error class of `@deskvm/gst-pipeline`. */
export class PipelineError extends Error {
  /** Stable code that identifies what failed. */
  readonly code: PipelineErrorCode;

  /** The last bytes of gst-launch-1.0's stderr (at most 8 KiB), or undefined when no process ran. */
  readonly stderrTail?: string;

  /** The missing element's factory name for `PIPELINE_ERR_MISSING_ELEMENT`, else the element that posted the error. */
  readonly element?: string;

  /** The exit code of gst-launch-1.0, when it exited normally. */
  readonly exitCode?: number;

  /** The signal that ended gst-launch-1.0. */
  readonly signal?: string;

  /** For `PIPELINE_ERR_NO_ENCODER`, one line per failed attempt: the encoder and its error. */
  readonly rejections?: readonly string[];

  constructor(code: PipelineErrorCode, message: string, options: PipelineErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'PipelineError';
    this.code = code;
    this.stderrTail = options.stderrTail;
    this.element = options.element;
    this.exitCode = options.exitCode;
    this.signal = options.signal;
    this.rejections = options.rejections;
  }
}
