import { setTimeout as sleep } from 'node:timers/promises';
import { VmError } from '../errors.js';
import { RetryableError } from './fetch-range.js';

/** Retry settings of a download. */
export interface RetryPolicy {
  /** Attempts per chunk, the first included. */
  maxAttempts: number;
  /** Pause before the second attempt in milliseconds; it doubles with each attempt. */
  baseDelayMs: number;
  /** Upper bound on the pause in milliseconds. */
  maxDelayMs: number;
}

/**
 * Returns the pause in milliseconds after failed attempt number `attemptNumber` (1 for the first attempt). The pause
 * is `baseDelayMs * 2 ** (attemptNumber - 1)` capped at `maxDelayMs`. Jitter then scales it by a factor from 0.5
 * (inclusive) to 1 (exclusive) taken from `random`, so parallel chunks that failed together do not retry together.
 *
 * @param random - returns a number from 0 (inclusive) to 1 (exclusive), as `Math.random` does
 */
export function retryDelayMs(policy: RetryPolicy, attemptNumber: number, random: () => number = Math.random): number {
  const exponential = policy.baseDelayMs * 2 ** (attemptNumber - 1);

  return Math.round(Math.min(policy.maxDelayMs, exponential) * (0.5 + random() / 2));
}

/**
 * Runs `attempt` until it resolves, retrying after a `RetryableError` with capped exponential backoff and jitter.
 * Other errors pass through at once. When attempts run out it raises `VM_ERR_DOWNLOAD_STALLED` (the last failure was
 * a stall) or `VM_ERR_DOWNLOAD_HTTP`, naming the URL and the last failure.
 */
export async function withRetries(
  url: string,
  policy: RetryPolicy,
  signal: AbortSignal,
  attempt: () => Promise<void>,
  onRetry: (error: RetryableError, attemptNumber: number, delayMs: number) => void,
): Promise<void> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      await attempt();

      return;
    } catch (error) {
      if (!(error instanceof RetryableError)) {
        throw error;
      }

      if (attemptNumber >= policy.maxAttempts) {
        throw new VmError(
          error.stalled ? 'VM_ERR_DOWNLOAD_STALLED' : 'VM_ERR_DOWNLOAD_HTTP',
          `Downloading ${url} failed after ${attemptNumber} attempts. ${error.message} Check the network or the ` +
            'proxy settings, then run the download again; it resumes where it stopped.',
          { url, cause: error },
        );
      }

      const delayMs = retryDelayMs(policy, attemptNumber);

      onRetry(error, attemptNumber, delayMs);
      await sleep(delayMs, undefined, { signal });
    }
  }
}
