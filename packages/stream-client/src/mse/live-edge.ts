import type { TimeRange } from './source-buffer-queue.js';

/** The part of `TimeRanges` that these functions read. */
export interface BufferedRanges {
  readonly length: number;
  start(index: number): number;
  end(index: number): number;
}

/** Inputs of `liveEdgeSeekTarget`, all in seconds. */
export interface LiveEdgeState {
  buffered: BufferedRanges;
  currentTime: number;
  /** Lag behind the buffered end that triggers a seek. */
  toleranceSeconds: number;
  /** How far before the buffered end a seek lands. */
  seekMarginSeconds: number;
}

/**
 * Returns where to seek so that playback is at the live edge, or `undefined` when it already is. It seeks when the
 * playhead lags the end of the last buffered range by more than the tolerance, or sits outside that range (before a
 * gap that a timestamp jump left).
 */
export function liveEdgeSeekTarget(state: LiveEdgeState): number | undefined {
  const last = state.buffered.length - 1;
  if (last < 0) {
    return undefined;
  }

  const start = state.buffered.start(last);
  const end = state.buffered.end(last);
  const behindRange = state.currentTime < start;
  const lagSeconds = end - state.currentTime;

  if (!behindRange && lagSeconds <= state.toleranceSeconds) {
    return undefined;
  }

  return Math.max(start, end - state.seekMarginSeconds);
}

/**
 * Returns the range of played media to remove so that at most `keepSeconds` stay behind the playhead, or `undefined`
 * when there is none. The range ends at a keyframe, because a browser that removes part of a group of pictures also
 * drops the frames that depend on it, up to the next keyframe.
 */
export function playedRangeToRemove(
  buffered: BufferedRanges,
  keyframeTimes: readonly number[],
  currentTime: number,
  keepSeconds: number,
): TimeRange | undefined {
  if (buffered.length === 0) {
    return undefined;
  }

  const limit = currentTime - keepSeconds;
  let end: number | undefined;
  for (const time of keyframeTimes) {
    if (time <= limit) {
      end = time;
    }
  }

  const start = buffered.start(0);
  if (end === undefined || end <= start) {
    return undefined;
  }

  return { start, end };
}

/** Settings of `catchUpPlaybackRate`, in seconds of lag behind the newest buffered frame. */
export interface CatchUpOptions {
  /** Lag above which playback speeds up. */
  startLagSeconds: number;
  /** Lag below which playback returns to normal speed; lower than `startLagSeconds`, so the rate does not flap. */
  stopLagSeconds: number;
  /** Playback rate while catching up. */
  rate: number;
}

/**
 * Returns the playback rate for a lag that is too small for a live-edge seek: `options.rate` from
 * `startLagSeconds` on, until the lag drops under `stopLagSeconds`, else 1. A seek decodes again from the previous
 * keyframe and skips frames, while a slightly faster rate removes a small lag without a visible jump.
 */
export function catchUpPlaybackRate(lagSeconds: number, currentRate: number, options: CatchUpOptions): number {
  const catchingUp = currentRate !== 1;
  if (lagSeconds > options.startLagSeconds || (catchingUp && lagSeconds > options.stopLagSeconds)) {
    return options.rate;
  }
  return 1;
}
