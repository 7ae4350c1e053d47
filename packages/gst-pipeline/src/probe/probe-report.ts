import type { EncoderDescription } from '../description.js';
import type { PipelineErrorCode } from '../errors.js';
import type { InspectedElement } from './inspect-output.js';
import type { GpuVendor, Platform } from '../platform/profiles.js';

/**
 * Why a candidate was rejected:
 * - `missing-file`: a device or library it needs does not exist (`/dev/dxg`, ...).
 * - `element-not-found`: gst-inspect-1.0 does not know the element; its plugin is missing or found no device.
 * - `inspect-timed-out`: `gst-inspect-1.0 ELEMENT` did not finish in time, as when loading the plugin hangs.
 * - `format-not-supported`: the element's sink pad accepts neither I420 nor NV12 as this package feeds it.
 * - `encode-failed`: the test encode exited with an error; `errorCode` classifies the output.
 * - `encode-timed-out`: the test encode did not finish in time, as with a hung driver.
 */
export type RejectionKind =
  | 'missing-file'
  | 'element-not-found'
  | 'inspect-timed-out'
  | 'format-not-supported'
  | 'encode-failed'
  | 'encode-timed-out';

/** The verdict on one candidate encoder. */
export interface CandidateVerdict {
  encoder: EncoderDescription['kind'];
  /** Variables the encoder runs with. */
  env: Record<string, string>;
  accepted: boolean;
  /** The kind of failure that rejected the candidate. */
  rejection?: RejectionKind;
  /** For `encode-failed`, the classified GStreamer error. */
  errorCode?: PipelineErrorCode;
  /** A sentence for people (`deskvm doctor`), naming the element, what failed and what to do. */
  reason?: string;
  /** The last lines of the failing tool's stderr. */
  stderrTail?: string;
  /** The parsed gst-inspect-1.0 output; absent when the element was not found. */
  inspected?: InspectedElement;
}

/** The result of probing one machine. */
export interface ProbeReport {
  /** The GStreamer version gst-inspect-1.0 reported, such as `1.22.0`. */
  gstVersion: string;
  platform: Platform;
  vendor: GpuVendor;
  /** The GPU device nodes the probe saw. */
  devices: string[];
  /** Every candidate in order of preference, with its verdict. */
  candidates: CandidateVerdict[];
  /** When the probe ran, ISO 8601. */
  probedAt: string;
}

/** Returns the first accepted candidate of a report, or undefined when none works. */
export function chosenCandidate(report: ProbeReport): CandidateVerdict | undefined {
  return report.candidates.find((verdict) => verdict.accepted);
}

/**
 * Formats a report as lines for people, one per candidate in order of preference, such as
 * `vah264enc: rejected (element-not-found): gst-inspect-1.0 does not know vah264enc: ...` or `x264enc: works`.
 */
export function formatProbeReport(report: ProbeReport): string[] {
  const header = `GStreamer ${report.gstVersion}, platform ${report.platform}, GPU vendor ${report.vendor}, devices: ${report.devices.join(' ') || 'none'}`;
  const lines = report.candidates.map((verdict) =>
    verdict.accepted ? `${verdict.encoder}: works` : `${verdict.encoder}: rejected (${verdict.rejection}): ${verdict.reason}`,
  );

  return [header, ...lines];
}
