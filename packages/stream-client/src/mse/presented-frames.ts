import type { PresentedFrameDetail } from '../video-sink.js';

// Media times of recent segments mapped to their stream timestamps; older entries go first.
const MAX_TRACKED_SEGMENTS = 600;

/**
 * Reports each picture that a `<video>` presents, with the stream timestamp of the segment at its media time, through
 * `requestVideoFrameCallback`. Media times are matched to the millisecond.
 */
export class PresentedFrameWatcher {
  private readonly timestampsByMediaTime = new Map<number, number>();
  private callbackId: number | undefined;
  private stopped = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly onFrame: (frame: PresentedFrameDetail) => void,
  ) {
    this.callbackId = video.requestVideoFrameCallback((now, metadata) => this.handleFrame(metadata));
  }

  /** Records the stream timestamp of a segment that starts at `startSeconds` of media time. */
  track(startSeconds: number, timestampUs: bigint): void {
    this.timestampsByMediaTime.set(Math.round(startSeconds * 1000), Number(timestampUs));
    if (this.timestampsByMediaTime.size <= MAX_TRACKED_SEGMENTS) {
      return;
    }

    const oldest = this.timestampsByMediaTime.keys().next().value;
    if (oldest !== undefined) {
      this.timestampsByMediaTime.delete(oldest);
    }
  }

  /** Stops watching. */
  destroy(): void {
    this.stopped = true;
    if (this.callbackId !== undefined) {
      this.video.cancelVideoFrameCallback(this.callbackId);
    }
  }

  private handleFrame(metadata: VideoFrameCallbackMetadata): void {
    if (this.stopped) {
      return;
    }

    const timestampUs = this.timestampsByMediaTime.get(Math.round(metadata.mediaTime * 1000));
    if (timestampUs !== undefined) {
      this.onFrame({ timestampUs, presentedAtMs: metadata.presentationTime });
    }
    this.callbackId = this.video.requestVideoFrameCallback((now, next) => this.handleFrame(next));
  }
}
