import { describe, expect, it } from '@jest/globals';

import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  it('doubles the ceiling per attempt', () => {
    const ceilings = [0, 1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, { random: () => 0.999_999 }));

    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999]);
  });

  it('caps the ceiling', () => {
    const delay = backoffDelayMs(20, { random: () => 0.999_999, maxDelayMs: 30_000 });

    expect(delay).toBe(29_999);
  });

  it('stays capped for huge attempts', () => {
    const delay = backoffDelayMs(5000, { random: () => 0.5, maxDelayMs: 10_000 });

    expect(delay).toBe(5000);
  });

  it('applies full jitter from 0', () => {
    const delay = backoffDelayMs(3, { random: () => 0 });

    expect(delay).toBe(0);
  });

  it('rejects a negative attempt', () => {
    expect(() => backoffDelayMs(-1)).toThrow(/Invalid reconnect attempt -1/);
  });
});
