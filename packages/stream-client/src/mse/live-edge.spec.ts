import { describe, expect, it } from '@jest/globals';

import { catchUpPlaybackRate, liveEdgeSeekTarget, playedRangeToRemove, type BufferedRanges } from './live-edge.js';

function ranges(...pairs: [number, number][]): BufferedRanges {
  return {
    length: pairs.length,
    start: (index) => pairs[index]![0],
    end: (index) => pairs[index]![1],
  };
}

describe('liveEdgeSeekTarget', () => {
  const options = { toleranceSeconds: 0.3, seekMarginSeconds: 0.05 };

  it('stays within tolerance', () => {
    const target = liveEdgeSeekTarget({ ...options, buffered: ranges([0, 10]), currentTime: 9.8 });

    expect(target).toBeUndefined();
  });

  it('seeks when behind', () => {
    const target = liveEdgeSeekTarget({ ...options, buffered: ranges([0, 10]), currentTime: 8 });

    expect(target).toBeCloseTo(9.95);
  });

  it('seeks out of an old range', () => {
    const target = liveEdgeSeekTarget({ ...options, buffered: ranges([0, 5], [5.5, 5.52]), currentTime: 4.9 });

    expect(target).toBe(5.5);
  });

  it('ignores an empty buffer', () => {
    const target = liveEdgeSeekTarget({ ...options, buffered: ranges(), currentTime: 0 });

    expect(target).toBeUndefined();
  });
});

describe('playedRangeToRemove', () => {
  it('ends at a keyframe', () => {
    const range = playedRangeToRemove(ranges([0, 30]), [0, 8, 16, 24], 27, 10);

    expect(range).toEqual({ start: 0, end: 16 });
  });

  it('keeps a lone keyframe', () => {
    const range = playedRangeToRemove(ranges([0, 30]), [0], 27, 10);

    expect(range).toBeUndefined();
  });

  it('keeps recent media', () => {
    const range = playedRangeToRemove(ranges([0, 5]), [0, 2, 4], 5, 10);

    expect(range).toBeUndefined();
  });
});

describe('catchUpPlaybackRate', () => {
  const options = { startLagSeconds: 0.1, stopLagSeconds: 0.05, rate: 1.25 };

  it('keeps normal speed at a small lag', () => {
    expect(catchUpPlaybackRate(0.08, 1, options)).toBe(1);
  });

  it('speeds up above the start lag', () => {
    expect(catchUpPlaybackRate(0.15, 1, options)).toBe(1.25);
  });

  it('keeps catching up above the stop lag', () => {
    expect(catchUpPlaybackRate(0.08, 1.25, options)).toBe(1.25);
  });

  it('stops below the stop lag', () => {
    expect(catchUpPlaybackRate(0.04, 1.25, options)).toBe(1);
  });
});
