import { PipelineError } from './errors.js';

/** The exit status of gst-launch-1.0: an exit code or a signal. Neither field is set when the process never started. */
export interface PipelineExit {
  /** The exit code, when the process exited by itself. */
  exitCode?: number;
  /** The signal that ended the process, such as `'SIGKILL'`. */
  signal?: string;
}

const MISSING_ELEMENT = /no element "([^"]+)"/;
const NOT_NEGOTIATED = /not-negotiated|could not link/;
const DISPLAY_UNAVAILABLE = /Could not open X display/;
/** The element that posted the first error: `ERROR: from element /GstPipeline:pipeline0/GstVideoTestSrc:videotestsrc0:`. */
const ERROR_SOURCE = /ERROR: from element \/(?:[^/\s]+\/)*[A-Za-z0-9_]+:([A-Za-z0-9_-]+):/;
/**
 * Messages of GPU drivers and their GStreamer elements when the device cannot be opened or used: libva's
 * `libva error: ... init failed`, gstreamer-vaapi's missing VA display, CUDA and NVENC session errors, and Intel
 * Media SDK status codes.
 */
const DEVICE_FAILURE = /libva error:|vaInitialize failed|Failed to open the VA|Could not initialize supporting library|CUDA_ERROR_|cuInit|NvEncOpenEncodeSession|NV_ENC_ERR_|MFX_ERR_/;

function describeExit(exit: PipelineExit): string {
  if (exit.signal !== undefined) {
    return `was killed by ${exit.signal}`;
  }

  return `exited with code ${exit.exitCode ?? 'unknown'}`;
}

function lastLine(stderrTail: string): string {
  const lines = stderrTail.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);

  return lines.at(-1) ?? 'no output on stderr';
}

/**
 * Builds the error for a gst-launch-1.0 process that ended unexpectedly, choosing the code from its stderr: a missing
 * element, a GPU device or driver failure, failed caps negotiation, an X display that cannot be opened, or else `PIPELINE_ERR_EXITED`.
 *
 * @param exit - how the process ended
 * @param stderrTail - the last bytes of its stderr
 * @param accessUnits - how many access units it had delivered, for the message
 */
export function exitError(exit: PipelineExit, stderrTail: string, accessUnits: number): PipelineError {
  const when = accessUnits === 0 ? 'before the first access unit' : `after ${accessUnits} access units`;
  const prefix = `gst-launch-1.0 ${describeExit(exit)} ${when}`;
  const details = { stderrTail, exitCode: exit.exitCode, signal: exit.signal };
  const missing = MISSING_ELEMENT.exec(stderrTail);
  const erroredElement = ERROR_SOURCE.exec(stderrTail)?.[1];

  if (missing) {
    const element = missing[1];

    return new PipelineError(
      'PIPELINE_ERR_MISSING_ELEMENT',
      `${prefix}: no element "${element}". Install the GStreamer plugin that provides it (check with gst-inspect-1.0 ${element}) or choose another encoder or source.`,
      { ...details, element },
    );
  }

  const device = DEVICE_FAILURE.exec(stderrTail);

  if (device) {
    const line = stderrTail.split('\n').find((candidate) => candidate.includes(device[0]))?.trim() ?? device[0];

    return new PipelineError(
      'PIPELINE_ERR_DEVICE',
      `${prefix}: the GPU device or its driver failed (${line}). Check the driver and device permissions, or use another encoder.`,
      { ...details, element: erroredElement },
    );
  }

  if (NOT_NEGOTIATED.test(stderrTail)) {
    return new PipelineError(
      'PIPELINE_ERR_NOT_NEGOTIATED',
      `${prefix}: caps negotiation failed (${lastLine(stderrTail)}). Check that the encoder accepts the size, frame rate and I420 format.`,
      { ...details, element: erroredElement },
    );
  }

  if (DISPLAY_UNAVAILABLE.test(stderrTail)) {
    return new PipelineError(
      'PIPELINE_ERR_DISPLAY_UNAVAILABLE',
      `${prefix}: ximagesrc could not open the X display. Check that the X server runs and that DISPLAY access is allowed.`,
      details,
    );
  }

  return new PipelineError('PIPELINE_ERR_EXITED', `${prefix}: ${lastLine(stderrTail)}.`, { ...details, element: erroredElement });
}
