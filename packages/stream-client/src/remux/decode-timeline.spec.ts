import { describe, expect, it } from '@jest/globals';

import { DecodeTimeline } from './decode-timeline.js';

describe('DecodeTimeline', () => {
  it('starts at zero', () => {
    const timeline = new DecodeTimeline();

    const first = timeline.next(5_000_000n);

    expect(first.decodeTime).toBe(0);
    expect(first.duration).toBe(3000);
  });

  it('maps steps to ticks', () => {
    const timeline = new DecodeTimeline();
    timeline.next(1_000_000n);

    const second = timeline.next(1_040_000n);

    expect(second.decodeTime).toBe(3600);
    expect(second.duration).toBe(3600);
    expect(second.rebased).toBe(false);
  });

  it('stays monotonic across a backward jump', () => {
    const timeline = new DecodeTimeline({ frameIntervalUs: 16_667 });
    const timestamps = [10_000_000n, 10_033_333n, 10_066_667n, 200n, 33_533n, 66_867n];

    const decodeTimes = timestamps.map((timestamp) => timeline.next(timestamp).decodeTime);

    for (let index = 1; index < decodeTimes.length; index += 1) {
      expect(decodeTimes[index]).toBeGreaterThan(decodeTimes[index - 1]!);
    }
  });

  it('continues where the last sample ended', () => {
    const timeline = new DecodeTimeline();
    timeline.next(10_000_000n);
    timeline.next(10_040_000n);

    const rebased = timeline.next(500n);

    expect(rebased.rebased).toBe(true);
    expect(rebased.decodeTime).toBe(3600 + 3600);
    expect(rebased.duration).toBe(3000);
  });

  it('rebases a forward jump past the gap', () => {
    const timeline = new DecodeTimeline({ maxGapUs: 1_000_000 });
    timeline.next(0n);

    const jumped = timeline.next(60_000_000n);

    expect(jumped.rebased).toBe(true);
    expect(jumped.decodeTime).toBe(3000);
  });

  it('keeps equal timestamps apart', () => {
    const timeline = new DecodeTimeline();
    timeline.next(0n);
    const second = timeline.next(33_333n);

    const repeated = timeline.next(33_333n);

    expect(repeated.decodeTime).toBeGreaterThan(second.decodeTime);
  });

  it('uses the frame interval after a hello', () => {
    const timeline = new DecodeTimeline();
    timeline.setFrameIntervalUs(1_000_000 / 60);

    const first = timeline.next(0n);

    expect(first.duration).toBe(1500);
  });
});
