/** Options of `DecodeTimeline`. */
export interface DecodeTimelineOptions {
  /** Ticks per second of the decode times it returns. Default 90000. */
  timescale?: number;
  /** Frame interval in microseconds, used as the duration when no earlier timestamp gives one. Default 33333 (30 fps). */
  frameIntervalUs?: number;
  /**
   * Largest forward step between two timestamps, in microseconds, that is taken as real time. A larger step, or any
   * step that does not go forward, is a discontinuity (encoder restart, reconnect) and the timeline is rebased.
   * Default 1000000 (1 s).
   */
  maxGapUs?: number;
}

/** Decode time and duration of one sample, in timescale ticks. */
export interface SampleTiming {
  decodeTime: number;
  duration: number;
  /** Whether this sample started a new mapping from timestamps to decode times. */
  rebased: boolean;
}

/**
 * Maps the sender's timestamps (microseconds, in decode order) to decode times that never go back.
 *
 * Decode times count from an origin, so rounding does not accumulate. After a discontinuity the new origin places
 * the sample right where the previous sample ends.
 */
export class DecodeTimeline {
  private readonly timescale: number;
  private frameIntervalUs: number;
  private readonly maxGapUs: number;

  private originTimestampUs: bigint | undefined;
  private originTicks = 0;
  private lastTimestampUs: bigint | undefined;
  private lastDecodeTime = 0;
  private lastDuration = 0;

  constructor(options: DecodeTimelineOptions = {}) {
    this.timescale = options.timescale ?? 90_000;
    this.frameIntervalUs = options.frameIntervalUs ?? 33_333;
    this.maxGapUs = options.maxGapUs ?? 1_000_000;
  }

  /** Sets the frame interval in microseconds, for example from a new ServerHello. */
  setFrameIntervalUs(frameIntervalUs: number): void {
    if (!(frameIntervalUs > 0)) {
      throw new RangeError(`Invalid frame interval ${frameIntervalUs} us: pass a positive number.`);
    }

    this.frameIntervalUs = frameIntervalUs;
  }

  /** Returns the decode time and duration of the sample with timestamp `timestampUs`. */
  next(timestampUs: bigint): SampleTiming {
    const frameTicks = this.toTicks(BigInt(Math.round(this.frameIntervalUs)));

    if (this.lastTimestampUs === undefined || this.originTimestampUs === undefined) {
      this.originTimestampUs = timestampUs;
      this.originTicks = 0;
      return this.remember(timestampUs, 0, frameTicks, false);
    }

    const stepUs = timestampUs - this.lastTimestampUs;
    const continuous = stepUs > 0n && stepUs <= BigInt(this.maxGapUs);

    if (!continuous) {
      this.originTimestampUs = timestampUs;
      this.originTicks = this.lastDecodeTime + this.lastDuration;
      return this.remember(timestampUs, this.originTicks, frameTicks, true);
    }

    const decodeTime = this.originTicks + this.toTicks(timestampUs - this.originTimestampUs);
    const duration = Math.max(1, decodeTime - this.lastDecodeTime);

    // Rounding can make two close timestamps land on the same tick; keep decode times strictly increasing.
    const safeDecodeTime = Math.max(decodeTime, this.lastDecodeTime + 1);
    return this.remember(timestampUs, safeDecodeTime, duration, false);
  }

  private remember(timestampUs: bigint, decodeTime: number, duration: number, rebased: boolean): SampleTiming {
    this.lastTimestampUs = timestampUs;
    this.lastDecodeTime = decodeTime;
    this.lastDuration = duration;
    return { decodeTime, duration, rebased };
  }

  private toTicks(microseconds: bigint): number {
    const scaled = microseconds * BigInt(this.timescale);
    return Number((scaled + 500_000n) / 1_000_000n);
  }
}
