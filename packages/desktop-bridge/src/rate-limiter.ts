/**
 * A token bucket: `ratePerSecond` tokens flow in per second up to `burst`, and each allowed event takes one. The clock
 * is injectable so tests need no waiting.
 */
export class RateLimiter {
  readonly #ratePerSecond: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  /**
   * @param ratePerSecond tokens added per second
   * @param burst bucket size: how many events may pass at once after a quiet period
   * @param now clock in milliseconds; default `performance.now`
   */
  constructor(ratePerSecond: number, burst: number, now: () => number = () => performance.now()) {
    this.#ratePerSecond = ratePerSecond;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#updatedAt = now();
  }

  /** Takes a token and returns true, or returns false when the bucket is empty. */
  tryTake(): boolean {
    const now = this.#now();

    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#ratePerSecond);
    this.#updatedAt = now;

    if (this.#tokens < 1) {
      return false;
    }

    this.#tokens -= 1;
    return true;
  }
}
