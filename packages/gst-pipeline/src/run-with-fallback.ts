import type { PipelineDescription } from './description.js';
import { PipelineError, type PipelineErrorCode } from './errors.js';
import type { InspectedElement } from './probe/inspect-output.js';
import type { ProbeReport } from './probe/probe-report.js';
import { integerOption } from './options.js';
import { runPipeline, type PipelineRun, type RunPipelineOptions } from './run-pipeline.js';
import { VA_ENCODERS } from './validate.js';

/** One pipeline to try. */
export interface PipelineAttempt {
  description: PipelineDescription;
  /** Variables for this attempt's encoder, added to `options.env`. */
  env?: Record<string, string>;
  /** The encoder as gst-inspect-1.0 reported it, for the property names of the installed version. */
  inspectedEncoder?: InspectedElement;
}

/** An attempt that failed before its first access unit. */
export interface FailedAttempt {
  attempt: PipelineAttempt;
  error: PipelineError;
  /** The process id of the attempt's gst-launch-1.0, which has exited when `runWithFallback` returns. */
  pid: number | undefined;
}

/** Options of `runWithFallback`. */
export interface FallbackOptions extends RunPipelineOptions {
  /** How long an attempt may take to deliver its first access unit, in ms, 1 to 2147483647; default 10000. */
  startTimeoutMs?: number;
}

/** The run that started, the attempt it came from, and the attempts that failed before it. */
export interface FallbackResult {
  run: PipelineRun;
  attempt: PipelineAttempt;
  failed: FailedAttempt[];
}

/** Errors after which the next encoder or caps variant may work. A missing display or tool fails every attempt. */
const RETRYABLE: ReadonlySet<PipelineErrorCode> = new Set([
  'PIPELINE_ERR_NOT_NEGOTIATED',
  'PIPELINE_ERR_MISSING_ELEMENT',
  'PIPELINE_ERR_EXITED',
  'PIPELINE_ERR_DEVICE',
  'PIPELINE_ERR_START_TIMEOUT',
]);

const DEFAULT_START_TIMEOUT_MS = 10_000;

/**
 * Returns the caps variants of a description to try in order. A PipeWire stream for a VA encoder tries DMA-BUF first
 * and system memory second, because a DMA-BUF-only producer rejects caps without a modifier and a copy costs CPU.
 */
export function captureVariants(description: PipelineDescription): PipelineDescription[] {
  const { source, encoder } = description;

  if (source.kind !== 'pipewiresrc' || source.memory !== undefined || !VA_ENCODERS.has(encoder.kind)) {
    return [description];
  }

  return [
    { ...description, source: { ...source, memory: 'dmabuf' } },
    { ...description, source: { ...source, memory: 'system' } },
  ];
}

/** Builds the attempts from a probe report: each accepted encoder in order, with each of its caps variants. */
export function attemptsFromReport(report: ProbeReport, base: Omit<PipelineDescription, 'encoder'>): PipelineAttempt[] {
  return report.candidates
    .filter((verdict) => verdict.accepted)
    .flatMap((verdict) =>
      captureVariants({ ...base, encoder: { kind: verdict.encoder } as PipelineDescription['encoder'] }).map((description) => ({
        description,
        env: verdict.env,
        inspectedEncoder: verdict.inspected,
      })),
    );
}

async function firstAccessUnit(run: PipelineRun, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new PipelineError('PIPELINE_ERR_START_TIMEOUT', `gst-launch-1.0 pid ${run.pid} delivered no access unit within ${timeoutMs} ms.`)),
      timeoutMs,
    );
  });

  try {
    await Promise.race([run.caps, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the attempts in order until one delivers its first access unit, and returns that run. An attempt that fails
 * with a negotiation error, a missing element, an early exit or no output within `startTimeoutMs` is stopped and the
 * next one starts.
 *
 * @throws PipelineError `PIPELINE_ERR_NO_ENCODER` when every attempt failed, with each failure in `rejections`
 * @throws PipelineError the first non-retryable error, such as `PIPELINE_ERR_DISPLAY_UNAVAILABLE`
 */
export async function runWithFallback(attempts: readonly PipelineAttempt[], options: FallbackOptions = {}): Promise<FallbackResult> {
  const failed: FailedAttempt[] = [];
  const startTimeoutMs = integerOption('startTimeoutMs', options.startTimeoutMs, DEFAULT_START_TIMEOUT_MS, 1);

  for (const attempt of attempts) {
    const run = runPipeline(attempt.description, {
      ...options,
      env: { ...options.env, ...attempt.env },
      inspectedEncoder: attempt.inspectedEncoder,
    });

    try {
      await firstAccessUnit(run, startTimeoutMs);
      return { run, attempt, failed };
    } catch (error) {
      await run.stop();

      if (!(error instanceof PipelineError) || !RETRYABLE.has(error.code)) {
        throw error;
      }

      options.logger?.warn('gst-pipeline.fallback: attempt failed, trying the next one', { encoder: attempt.description.encoder.kind, code: error.code });
      failed.push({ attempt, error, pid: run.pid });
    }
  }

  const rejections = failed.map(({ attempt, error }) => `${attempt.description.encoder.kind}: ${error.message}`);

  throw new PipelineError(
    'PIPELINE_ERR_NO_ENCODER',
    attempts.length === 0
      ? 'No pipeline to try: the probe accepted no encoder. Run the probe and read each candidate\'s reason.'
      : `All ${attempts.length} pipelines failed before their first access unit: ${rejections.join(' | ')}`,
    { rejections },
  );
}
