import type { Logger } from '../logger.js';

/**
 * Calls `video.play()` when the video is paused and the page is visible, one call at a time. A rejected call is
 * retried at the next `ensurePlaying()`; after a `NotAllowedError` the video is muted first, because browsers allow
 * autoplay of muted video.
 */
export class AutoplayController {
  private playPending = false;
  private failures = 0;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly logger: Logger,
  ) {}

  /** Starts playback unless the video plays, a `play()` call is pending or the page is hidden. */
  ensurePlaying(): void {
    if (!this.video.paused || this.playPending || this.video.ownerDocument.visibilityState === 'hidden') {
      return;
    }

    this.playPending = true;
    this.video.play().then(
      () => {
        this.playPending = false;
        this.failures = 0;
      },
      (error: unknown) => {
        this.playPending = false;
        this.handleRejection(error);
      },
    );
  }

  private handleRejection(error: unknown): void {
    this.failures += 1;

    if (error instanceof Error && error.name === 'NotAllowedError' && !this.video.muted) {
      this.video.muted = true;
    }

    // Rate-limited, because a page that never allows playback would log on every append.
    if (this.failures === 1 || this.failures % 100 === 0) {
      this.logger.warn('video.play() was rejected; retrying after the next append', {
        error: error instanceof Error ? error.message : String(error),
        failures: this.failures,
      });
    }
  }
}
