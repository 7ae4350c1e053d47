import { setTimeout as sleep } from 'node:timers/promises';
import { VmError, type Diagnostics } from '../errors.js';
import { StageFailure } from './stage-failure.js';

/** Default pause between two checks of a stage: 1000 ms. */
export const DEFAULT_STAGE_INTERVAL_MS = 1000;

/** Default time limit for collecting diagnostics after a stage failed: 10000 ms. */
export const DEFAULT_DIAGNOSE_TIMEOUT_MS = 10_000;

/** One named readiness stage: a check repeated until it passes or the stage's time runs out. */
export interface ReadinessStage {
  /** A short name such as `ssh`, `engine` or `bridge`, used in events and errors. */
  name: string;
  /** How long the stage may take in milliseconds, from its first check. */
  timeoutMs: number;
  /** Pause between checks in milliseconds. Default 1000. */
  intervalMs?: number;
  /**
   * Returns true when the stage has passed, false to check again later. A thrown error also means "check again";
   * the last one is quoted if the stage times out. A thrown `StageFailure` fails the stage at once. `signal` is
   * aborted when the stage's time runs out.
   */
  check(signal: AbortSignal): Promise<boolean>;
  /** Collects what explains a failure of this stage: the tail of the relevant log, the container status. */
  diagnose?(signal: AbortSignal): Promise<Diagnostics>;
}

/** Options of `runStages`. */
export interface RunStagesOptions {
  /** Aborting stops the current stage and raises its reason. */
  signal?: AbortSignal;
  /** Called when a stage starts, passes or fails, with the milliseconds since it started. */
  onStage?: (stage: string, status: 'started' | 'passed' | 'failed', elapsedMs: number, message?: string) => void;
  /** Time limit for a stage's `diagnose` in milliseconds. Default 10000. */
  diagnoseTimeoutMs?: number;
}

/**
 * Runs the stages in order. Raises `VM_ERR_STAGE_FAILED` naming the first stage that did not pass in time, with the
 * last check error as the cause and the stage's diagnostics. A check that throws a `StageFailure` fails its stage at
 * once, with the failure's message and its diagnostics merged over the stage's own.
 */
export async function runStages(stages: readonly ReadinessStage[], options: RunStagesOptions = {}): Promise<void> {
  for (const stage of stages) {
    await runStage(stage, options);
  }
}

async function runStage(stage: ReadinessStage, options: RunStagesOptions): Promise<void> {
  const startedAt = performance.now();
  const elapsed = (): number => Math.round(performance.now() - startedAt);
  const deadline = AbortSignal.timeout(stage.timeoutMs);
  const signal = options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]);
  let lastError: unknown;

  options.onStage?.(stage.name, 'started', 0);

  while (!signal.aborted) {
    try {
      if (await stage.check(signal)) {
        options.onStage?.(stage.name, 'passed', elapsed());

        return;
      }
    } catch (error) {
      if (error instanceof StageFailure) {
        await failAtOnce(stage, error, options, elapsed);
      }

      lastError = error;
    }

    await sleep(stage.intervalMs ?? DEFAULT_STAGE_INTERVAL_MS, undefined, { signal }).catch(() => undefined);
  }

  if (options.signal?.aborted) {
    options.onStage?.(stage.name, 'failed', elapsed(), 'aborted');

    throw options.signal.reason;
  }

  const lastMessage = lastError instanceof Error ? ` The last check failed with: ${lastError.message}` : '';
  const message = `The readiness stage "${stage.name}" did not pass within ${stage.timeoutMs} ms.${lastMessage}`;
  const diagnostics = await collectDiagnostics(stage, options.diagnoseTimeoutMs ?? DEFAULT_DIAGNOSE_TIMEOUT_MS);

  options.onStage?.(stage.name, 'failed', elapsed(), message);

  throw new VmError('VM_ERR_STAGE_FAILED', message, { stage: stage.name, diagnostics, cause: lastError });
}

async function failAtOnce(
  stage: ReadinessStage,
  failure: StageFailure,
  options: RunStagesOptions,
  elapsed: () => number,
): Promise<never> {
  const message = `The readiness stage "${stage.name}" failed: ${failure.message}`;
  const collected = await collectDiagnostics(stage, options.diagnoseTimeoutMs ?? DEFAULT_DIAGNOSE_TIMEOUT_MS);

  options.onStage?.(stage.name, 'failed', elapsed(), message);

  throw new VmError('VM_ERR_STAGE_FAILED', message, {
    stage: stage.name,
    diagnostics: { ...collected, ...failure.diagnostics },
    cause: failure,
  });
}

async function collectDiagnostics(stage: ReadinessStage, timeoutMs: number): Promise<Diagnostics> {
  if (stage.diagnose === undefined) {
    return {};
  }

  try {
    return await stage.diagnose(AbortSignal.timeout(timeoutMs));
  } catch (error) {
    return { diagnoseError: `Collecting diagnostics failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
