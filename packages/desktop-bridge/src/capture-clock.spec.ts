import { describe, expect, it } from '@jest/globals';

import { CaptureClock } from './capture-clock.js';

describe('CaptureClock', () => {
  it('anchors first frame at arrival', () => {
    let now = 1_764_892_800_000_000n;
    const clock = new CaptureClock(() => now);

    const first = clock.map(3_600_000_000n);
    now += 50_000n;
    const second = clock.map(3_600_033_333n);

    expect(first).toBe(1_764_892_800_000_000n);
    expect(second).toBe(1_764_892_800_033_333n);
  });

  it('lowers offset for faster frame', () => {
    let now = 10_000_000n;
    const clock = new CaptureClock(() => now);
    clock.map(0n);

    now = 10_020_000n;
    const faster = clock.map(33_333n);
    now = 10_070_000n;
    const next = clock.map(66_666n);

    expect(faster).toBe(10_020_000n);
    expect(next).toBe(10_053_333n);
  });

  it('subtracts reported encoder latency', () => {
    let now = 10_000_000n;
    const clock = new CaptureClock(() => now);

    const first = clock.map(0n, 40_000);
    now = 10_033_333n;
    const second = clock.map(33_333n, 40_000);

    expect(first).toBe(9_960_000n);
    expect(second).toBe(9_993_333n);
  });

  it('re-anchors after restart', () => {
    let now = 1_000_000n;
    const clock = new CaptureClock(() => now);
    clock.map(500n);

    clock.restart();
    now = 9_000_000n;

    expect(clock.map(0n)).toBe(9_000_000n);
  });

  it('never goes back', () => {
    let now = 5_000_000n;
    const clock = new CaptureClock(() => now);
    const first = clock.map(1_000_000n);

    clock.restart();
    now = 1_000n;

    expect(clock.map(0n)).toBe(first + 1n);
  });
});
