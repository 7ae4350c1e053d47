import type { Logger } from '../logger.js';
import { catchUpPlaybackRate, liveEdgeSeekTarget, playedRangeToRemove, type CatchUpOptions } from './live-edge.js';
import type { TimeRange } from './source-buffer-queue.js';

// A live-edge seek lands this many seconds before the newest buffered frame, so the video has a frame to show.
const SEEK_MARGIN_SECONDS = 0.05;

/**
 * Keeps a `<video>` fed through MSE near the newest buffered frame: seeks when it lags too far, speeds playback up
 * for a small lag, and picks the played media to remove, ending each range at a keyframe.
 */
export class LiveEdgeController {
  private readonly keyframeTimes: number[] = [];

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly catchUp: CatchUpOptions,
    private readonly logger: Logger,
  ) {}

  /** Seconds of media buffered ahead of the playhead. */
  get bufferedAheadSeconds(): number {
    const buffered = this.video.buffered;
    return buffered.length === 0 ? 0 : buffered.end(buffered.length - 1) - this.video.currentTime;
  }

  /** Records the start of a keyframe's segment, in seconds of media time. */
  addKeyframe(startSeconds: number): void {
    this.keyframeTimes.push(startSeconds);
  }

  /** Seeks close to the newest buffered frame when the playhead lags it by more than `toleranceSeconds`. */
  seekToLiveEdge(toleranceSeconds: number): void {
    const target = liveEdgeSeekTarget({
      buffered: this.video.buffered,
      currentTime: this.video.currentTime,
      toleranceSeconds,
      seekMarginSeconds: SEEK_MARGIN_SECONDS,
    });
    if (target === undefined) {
      return;
    }

    this.logger.debug('Seeking to the live edge', { from: this.video.currentTime, to: target });
    this.video.currentTime = target;
  }

  /** Sets the playback rate for the current lag: faster while catching up, else 1. Paused videos keep theirs. */
  adjustPlaybackRate(): void {
    if (this.video.paused) {
      return;
    }

    const lagSeconds = this.bufferedAheadSeconds;
    const rate = catchUpPlaybackRate(lagSeconds, this.video.playbackRate, this.catchUp);
    if (rate !== this.video.playbackRate) {
      this.logger.debug('Changing the playback rate to reach the live edge', { rate, lagSeconds });
      this.video.playbackRate = rate;
    }
  }

  /**
   * Returns the played media to remove so that at most `keepSeconds` stay behind the playhead, ending at a keyframe,
   * and drops the recorded keyframes inside it. Returns undefined when there is none.
   */
  takePlayedRange(keepSeconds: number): TimeRange | undefined {
    const range = playedRangeToRemove(this.video.buffered, this.keyframeTimes, this.video.currentTime, keepSeconds);
    if (range === undefined) {
      return undefined;
    }

    while (this.keyframeTimes.length > 1 && (this.keyframeTimes[0] ?? range.end) < range.end) {
      this.keyframeTimes.shift();
    }
    return range;
  }
}
