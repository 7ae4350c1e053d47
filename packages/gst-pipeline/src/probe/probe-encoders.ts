import { existsSync } from 'node:fs';
import type { PipelineDescription } from '../description.js';
import { PipelineError } from '../errors.js';
import { exitError } from '../exit-error.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { EncoderCandidate, PlatformProfile } from '../platform/profiles.js';
import { integerOption } from '../options.js';
import { encoderInputFormat } from '../render/encoder-settings.js';
import { execaToolRunner, type GstToolRunner } from './gst-tool-runner.js';
import { parseGstVersion, parseInspectOutput } from './inspect-output.js';
import { renderProbeArgv } from './probe-argv.js';
import { probeCacheKey, type ProbeCache } from './probe-cache.js';
import type { CandidateVerdict, ProbeReport } from './probe-report.js';

/** Options of `probeEncoders`. */
export interface ProbeOptions {
  /** The platform's candidates, from `platformProfile`. */
  profile: PlatformProfile;
  /** The GPU device nodes of the machine, from `listGpuDevices()`; part of the cache key. */
  devices: string[];
  /** Size and frame rate of the test encodes, which are also part of the cache key; default 1280x720 at 30 fps. */
  size?: Pick<PipelineDescription, 'width' | 'height' | 'frameRate'>;
  /** Runs gst-inspect-1.0 and gst-launch-1.0; default the real tools from PATH. */
  runner?: GstToolRunner;
  /** Checks the candidates' required files; default `fs.existsSync`. */
  fileExists?: (path: string) => boolean;
  /** The report store; without one, every call probes. */
  cache?: ProbeCache;
  /** How long one test encode may take, in ms, 1 to 2147483647; default 15000. A hung driver is rejected after this. */
  encodeTimeoutMs?: number;
  /** How long one gst-inspect-1.0 run may take, in ms, 1 to 2147483647; default 15000. */
  inspectTimeoutMs?: number;
  /** Receives debug messages about each candidate; default silent. */
  logger?: Logger;
  /** The current time, for `probedAt`; default `new Date()`. */
  now?: () => Date;
}

/** A probe report, where it came from, and why it could not be stored. */
export type ProbeResult = ProbeReport & {
  /** Whether the report was read from the cache instead of probed. */
  fromCache: boolean;
  /** `PIPELINE_ERR_CACHE_WRITE` when the cache could not store a new report; the report is valid all the same. */
  cacheWriteError?: PipelineError;
};

const DEFAULT_SIZE = { width: 1280, height: 720, frameRate: 30 };
const DEFAULT_ENCODE_TIMEOUT_MS = 15_000;
const DEFAULT_INSPECT_TIMEOUT_MS = 15_000;

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

async function judge(candidate: EncoderCandidate, options: Required<Omit<ProbeOptions, 'cache' | 'now'>>): Promise<CandidateVerdict> {
  const kind = candidate.encoder.kind;
  const verdict = { encoder: kind, env: candidate.env, accepted: false };

  const missing = candidate.requiredPaths.find((path) => !options.fileExists(path));

  if (missing !== undefined) {
    return { ...verdict, rejection: 'missing-file', reason: `${kind} needs ${missing}, which does not exist on this machine.` };
  }

  // Not `gst-inspect-1.0 --exists`: it also requires the plugin's version to be at least GStreamer's own, which
  // fails for plugins versioned apart, such as PipeWire's pipewiresrc (0.3.65 on Debian 12).
  const inspect = await options.runner('gst-inspect-1.0', [kind], { env: candidate.env, timeoutMs: options.inspectTimeoutMs });

  if (inspect.timedOut) {
    return {
      ...verdict,
      rejection: 'inspect-timed-out',
      reason:
        `gst-inspect-1.0 ${kind} did not finish within ${options.inspectTimeoutMs} ms, so loading its plugin may hang: ` +
        `run GST_DEBUG=2 gst-inspect-1.0 ${kind} to see where it stops.`,
      stderrTail: lastLines(inspect.stderr),
    };
  }

  if (inspect.exitCode !== 0) {
    return {
      ...verdict,
      rejection: 'element-not-found',
      reason: `gst-inspect-1.0 does not know ${kind}: install its GStreamer plugin, or check that the plugin found a device (GST_DEBUG=2 gst-inspect-1.0 ${kind}).`,
      stderrTail: lastLines(inspect.stderr || inspect.stdout),
    };
  }

  const inspected = parseInspectOutput(kind, inspect.stdout);
  const format = encoderInputFormat(kind);

  if (inspected.sinkFormats.length > 0 && !inspected.sinkFormats.includes(format)) {
    return {
      ...verdict,
      rejection: 'format-not-supported',
      reason: `${kind} accepts ${inspected.sinkFormats.join(', ')} but not ${format}, which this package feeds it.`,
      inspected,
    };
  }

  const argv = renderProbeArgv({ source: { kind: 'videotestsrc' }, encoder: candidate.encoder, ...options.size }, { inspectedEncoder: inspected });
  const encode = await options.runner('gst-launch-1.0', argv, { env: candidate.env, timeoutMs: options.encodeTimeoutMs });

  if (encode.timedOut) {
    return {
      ...verdict,
      rejection: 'encode-timed-out',
      reason: `A test encode through ${kind} did not finish within ${options.encodeTimeoutMs} ms; the driver may hang.`,
      stderrTail: lastLines(encode.stderr),
      inspected,
    };
  }

  if (encode.exitCode !== 0) {
    const error = exitError({ exitCode: encode.exitCode }, encode.stderr, 0);

    return {
      ...verdict,
      rejection: 'encode-failed',
      errorCode: error.code,
      reason: `Test encode through ${kind} failed: ${error.message}`,
      stderrTail: lastLines(encode.stderr),
      inspected,
    };
  }

  return { ...verdict, accepted: true, inspected };
}

/**
 * Finds which of a profile's encoders work on this machine. For each candidate in order it checks the required files,
 * runs gst-inspect-1.0 for the element and its properties, and encodes 10 frames through it. Every candidate is
 * probed, so that the report gives the reason for each rejected one. With a cache, a report for the same GStreamer
 * version, devices, candidates and size is returned without running anything but `gst-inspect-1.0 --version`.
 * A report in which a candidate timed out is not cached.
 *
 * @throws PipelineError `PIPELINE_ERR_GST_NOT_FOUND` when gst-inspect-1.0 cannot be started
 * @throws PipelineError `PIPELINE_ERR_GST_TIMED_OUT` when `gst-inspect-1.0 --version` does not finish in time
 * @throws PipelineError `PIPELINE_ERR_INVALID_OPTION` for an out-of-range `inspectTimeoutMs` or `encodeTimeoutMs`
 */
export async function probeEncoders(options: ProbeOptions): Promise<ProbeResult> {
  const runner = options.runner ?? execaToolRunner;
  const size = options.size ?? DEFAULT_SIZE;
  const logger = options.logger ?? silentLogger;

  const inspectTimeoutMs = integerOption('inspectTimeoutMs', options.inspectTimeoutMs, DEFAULT_INSPECT_TIMEOUT_MS, 1);
  const encodeTimeoutMs = integerOption('encodeTimeoutMs', options.encodeTimeoutMs, DEFAULT_ENCODE_TIMEOUT_MS, 1);
  const versionResult = await runner('gst-inspect-1.0', ['--version'], { env: {}, timeoutMs: inspectTimeoutMs });

  if (versionResult.timedOut) {
    // Without this, every candidate would wait for the same hang and then be reported as an element not found.
    throw new PipelineError(
      'PIPELINE_ERR_GST_TIMED_OUT',
      `gst-inspect-1.0 --version did not finish within ${inspectTimeoutMs} ms, so no encoder was probed. GStreamer may ` +
        'hang while it scans plugins: run GST_DEBUG=2 gst-inspect-1.0 --version to find the plugin, or raise inspectTimeoutMs.',
    );
  }

  if (versionResult.exitCode === undefined && !versionResult.timedOut) {
    throw new PipelineError(
      'PIPELINE_ERR_GST_NOT_FOUND',
      `Could not start gst-inspect-1.0: ${lastLines(versionResult.stderr, 1)}. Install the GStreamer command line tools (Debian: gstreamer1.0-tools).`,
    );
  }

  const gstVersion = parseGstVersion(versionResult.stdout) ?? 'unknown';
  const { profile } = options;
  const frameRate = typeof size.frameRate === 'number' ? `${size.frameRate}` : `${size.frameRate.numerator}/${size.frameRate.denominator}`;
  const key = probeCacheKey({
    gstVersion,
    devices: options.devices,
    platform: profile.platform,
    vendor: profile.vendor,
    candidates: profile.candidates.map((candidate) => `${candidate.encoder.kind} ${JSON.stringify(candidate.env)}`),
    size: `${size.width}x${size.height}@${frameRate}`,
  });

  const cached = gstVersion === 'unknown' ? undefined : await options.cache?.get(key);

  if (cached !== undefined) {
    logger.debug('gst-pipeline.probe: using the cached report', { key, path: options.cache?.path });
    return { ...cached, fromCache: true };
  }

  const settings = {
    profile,
    devices: options.devices,
    size,
    runner,
    fileExists: options.fileExists ?? existsSync,
    encodeTimeoutMs,
    inspectTimeoutMs,
    logger,
  };
  const candidates: CandidateVerdict[] = [];

  for (const candidate of profile.candidates) {
    const verdict = await judge(candidate, settings);
    logger.debug('gst-pipeline.probe: candidate judged', { encoder: verdict.encoder, accepted: verdict.accepted, rejection: verdict.rejection });
    candidates.push(verdict);
  }

  const report: ProbeReport = {
    gstVersion,
    platform: profile.platform,
    vendor: profile.vendor,
    devices: [...options.devices].sort(),
    candidates,
    probedAt: (options.now?.() ?? new Date()).toISOString(),
  };

  // A timeout may come from a machine that was busy for a moment, so a report with one is probed again next time.
  const timedOut = candidates.some((verdict) => verdict.rejection === 'inspect-timed-out' || verdict.rejection === 'encode-timed-out');
  const cacheWriteError = gstVersion === 'unknown' || timedOut ? undefined : await storeReport(options.cache, key, report, logger);

  return cacheWriteError === undefined ? { ...report, fromCache: false } : { ...report, fromCache: false, cacheWriteError };
}

/** Stores a report, returning the error instead of raising it, so that a read-only cache loses no probe result. */
async function storeReport(
  cache: ProbeCache | undefined,
  key: string,
  report: ProbeReport,
  logger: Logger,
): Promise<PipelineError | undefined> {
  try {
    await cache?.set(key, report);
    return undefined;
  } catch (error) {
    if (!(error instanceof PipelineError)) {
      throw error;
    }

    logger.warn('gst-pipeline.probe: could not store the report, so the next probe runs the encoders again', {
      path: cache?.path,
      error,
    });
    return error;
  }
}
