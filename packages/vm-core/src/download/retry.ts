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
          `Downloading ${url} failed after ${attemptNumber} attempts: ${error.message} Check the network or the ` +
            'proxy settings, then run the download again; it resumes where it stopped.',
          { url, cause: error },
        );
      }

      const exponential = policy.baseDelayMs * 2 ** (attemptNumber - 1);
      const delayMs = Math.round(Math.min(policy.maxDelayMs, exponential) * (0.5 + Math.random() / 2));

      onRetry(error, attemptNumber, delayMs);
      await sleep(delayMs, undefined, { signal });
    }
  }
}
