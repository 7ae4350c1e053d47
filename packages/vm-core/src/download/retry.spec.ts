import { retryDelayMs, type RetryPolicy } from './retry.js';
import { describe, expect, it } from '@jest/globals';

const POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 1000 };

// The largest double below 1, so the jitter factor is as close to 1 as `random` may make it.
const MAX_RANDOM = 1 - Number.EPSILON / 2;

describe('retryDelayMs', () => {
  it('doubles from the base up to the maximum', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attemptNumber) => retryDelayMs(POLICY, attemptNumber, () => MAX_RANDOM));

    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('halves the delay at the lowest jitter', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attemptNumber) => retryDelayMs(POLICY, attemptNumber, () => 0));

    expect(delays).toEqual([50, 100, 200, 400, 500, 500, 500]);
  });

  it('keeps jitter between half and full delay', () => {
    for (let attemptNumber = 1; attemptNumber <= 8; attemptNumber += 1) {
      const capped = Math.min(POLICY.maxDelayMs, POLICY.baseDelayMs * 2 ** (attemptNumber - 1));

      for (let sample = 0; sample < 200; sample += 1) {
        const delayMs = retryDelayMs(POLICY, attemptNumber);

        expect(delayMs).toBeGreaterThanOrEqual(capped / 2);
        expect(delayMs).toBeLessThanOrEqual(capped);
      }
    }
  });

  it('stays at the maximum after many attempts', () => {
    expect(retryDelayMs(POLICY, 60, () => MAX_RANDOM)).toBe(1000);
  });
});
