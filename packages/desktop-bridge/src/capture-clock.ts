/**
 * Maps a source's presentation timestamps onto the Unix epoch in microseconds, so viewers can compare a video
 * timestamp with their own clock (corrected by the offset that ping and pong measure). Each pipeline run is anchored
 * once: its first access unit gets its arrival time, and later ones keep their distance in presentation time from it.
 *
 * NOTE: the result is later than the true capture time by the encoder latency of the first access unit of the run,
 * because gst-launch-1.0 does not report the pipeline's base time. Frames that arrive faster than that first one get
 * timestamps slightly after their arrival.
 */
export class CaptureClock {
  readonly #nowUs: () => bigint;
  #offsetUs: bigint | undefined;
  #lastUs = -1n;

  /** @param nowUs the wall clock in microseconds since the Unix epoch; default `Date.now() * 1000` */
  constructor(nowUs: () => bigint = () => BigInt(Date.now()) * 1000n) {
    this.#nowUs = nowUs;
  }

  /** Returns the epoch timestamp of a presentation timestamp; never less than or equal to the previous one. */
  map(presentationUs: bigint): bigint {
    this.#offsetUs ??= this.#nowUs() - presentationUs;

    const mapped = presentationUs + this.#offsetUs;

    this.#lastUs = mapped > this.#lastUs ? mapped : this.#lastUs + 1n;
    return this.#lastUs;
  }

  /** Forgets the anchor, so the next run starts from its own arrival time; order across runs is kept. */
  restart(): void {
    this.#offsetUs = undefined;
  }
}
