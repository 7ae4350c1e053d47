/** Wheel units per notch: the Wheel message counts in 1/120 notch. */
export const WHEEL_UNITS_PER_NOTCH = 120;

/**
 * Turns wheel deltas in 1/120 notch into whole notches, keeping the remainder, so that a trackpad's many small
 * deltas still scroll. X11 scrolls only by whole button clicks.
 */
export class WheelAccumulator {
  #x = 0;
  #y = 0;

  /** Adds a delta and returns the whole notches to scroll now on each axis. */
  add(deltaX: number, deltaY: number): { x: number; y: number } {
    this.#x += deltaX;
    this.#y += deltaY;

    const x = Math.trunc(this.#x / WHEEL_UNITS_PER_NOTCH);
    const y = Math.trunc(this.#y / WHEEL_UNITS_PER_NOTCH);

    this.#x -= x * WHEEL_UNITS_PER_NOTCH;
    this.#y -= y * WHEEL_UNITS_PER_NOTCH;
    return { x, y };
  }
}
