/** Options of `backoffDelayMs`. */
export interface BackoffOptions {
  /** Upper bound of the first delay, in ms. Default 500. */
  initialDelayMs?: number;
  /** Cap of every delay, in ms. Default 30000. */
  maxDelayMs?: number;
  /** Growth of the upper bound per attempt. Default 2. */
  multiplier?: number;
  /** Source of uniform random numbers in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * Returns the delay before reconnect attempt `attempt` (0 for the first) with capped exponential backoff and full
 * jitter: a uniform random value between 0 and `min(maxDelayMs, initialDelayMs * multiplier ** attempt)`. Full
 * jitter spreads the reconnects of many viewers that lost the same server, so they do not return all at once.
 *
 * @throws RangeError when `attempt` is negative or not an integer
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`Invalid reconnect attempt ${attempt}: it must be an integer of 0 or more.`);
  }

  const initialDelayMs = options.initialDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const multiplier = options.multiplier ?? 2;
  const random = options.random ?? Math.random;

  // Past about 60 doublings the power overflows to Infinity, which the cap absorbs.
  const ceiling = Math.min(maxDelayMs, initialDelayMs * multiplier ** attempt);
  return Math.floor(random() * ceiling);
}
