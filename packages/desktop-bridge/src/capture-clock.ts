/**
 * Maps a source's presentation timestamps onto the Unix epoch in microseconds, so viewers can compare a video
 * timestamp with their own clock (corrected by the offset that ping and pong measure). Within a pipeline run, the
 * offset between presentation time and wall clock is the smallest `arrival - presentation` seen so far. So each
 * timestamp is the capture time plus the smallest encoder latency of the run, the best estimate available without
 * the pipeline's base time. A source that measures its encoder latency removes even that part.
 *
 * NOTE: the first access units of a run wait longest in the encoder, so early timestamps run late until a faster
 * access unit lowers the offset. The timestamps never go back, so such a correction can squeeze a few frame steps.
 */
export class CaptureClock {
  readonly #nowUs: () => bigint;
  #offsetUs: bigint | undefined;
  #lastUs = -1n;

  /** @param nowUs the wall clock in microseconds since the Unix epoch; default `Date.now() * 1000` */
  constructor(nowUs: () => bigint = () => BigInt(Date.now()) * 1000n) {
    this.#nowUs = nowUs;
  }

  /**
   * Returns the epoch timestamp of a presentation timestamp that arrives now; always above the previous one.
   *
   * @param encoderLatencyUs the source's measured time from capture to arrival, in microseconds; when given, the
   *   arrival time minus it is the capture time itself
   */
  map(presentationUs: bigint, encoderLatencyUs?: number): bigint {
    const captureUs = this.#nowUs() - BigInt(Math.max(0, Math.round(encoderLatencyUs ?? 0)));
    const offsetNow = captureUs - presentationUs;

    if (this.#offsetUs === undefined || offsetNow < this.#offsetUs) {
      this.#offsetUs = offsetNow;
    }

    const mapped = presentationUs + this.#offsetUs;

    this.#lastUs = mapped > this.#lastUs ? mapped : this.#lastUs + 1n;
    return this.#lastUs;
  }

  /** Forgets the offset, so the next run starts from its own arrival times; order across runs is kept. */
  restart(): void {
    this.#offsetUs = undefined;
  }
}
