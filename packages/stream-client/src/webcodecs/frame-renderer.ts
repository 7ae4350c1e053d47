/** Counters of `FrameRenderer`. */
export interface RendererCounters {
  /** Frames drawn on the canvas. */
  presented: number;
  /** Decoded frames closed without being drawn, because a newer frame arrived before the next animation frame. */
  dropped: number;
}

/** Detail of a presented frame, passed to `onPresent`. */
export interface PresentedFrame {
  /** `VideoFrame.timestamp`: the stream timestamp in microseconds. */
  timestampUs: number;
  /** Displayed width in pixels. */
  width: number;
  /** Displayed height in pixels. */
  height: number;
  /** `performance.now()` when it was drawn, in ms; the compositor shows it at the next display refresh. */
  presentedAtMs: number;
}

/**
 * Draws decoded `VideoFrame`s on a canvas, newest only: a frame that is replaced before the next animation frame is
 * closed and counted as dropped, so a burst of output or a hidden tab (no animation frames) keeps one frame at most.
 * The canvas takes the frame's display size, which the decoder derives from the SPS with cropping applied.
 */
export class FrameRenderer {
  readonly counters: RendererCounters = { presented: 0, dropped: 0 };

  private readonly context: CanvasRenderingContext2D;
  private pendingFrame: VideoFrame | undefined;
  private animationFrame: number | undefined;
  private stopped = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onPresent: (frame: PresentedFrame) => void,
  ) {
    const context = canvas.getContext('2d', { alpha: false, desynchronized: true });
    if (context === null) {
      throw new Error('The canvas has no 2d context; it may already have a WebGL context.');
    }
    this.context = context;
  }

  /** Takes ownership of `frame` and draws it at the next animation frame unless a newer one replaces it. */
  present(frame: VideoFrame): void {
    if (this.stopped) {
      frame.close();
      return;
    }

    if (this.pendingFrame !== undefined) {
      this.pendingFrame.close();
      this.counters.dropped += 1;
    }

    this.pendingFrame = frame;
    this.animationFrame ??= requestAnimationFrame(() => this.draw());
  }

  /** Closes the pending frame and cancels the animation frame. The renderer draws nothing afterwards. */
  destroy(): void {
    this.stopped = true;

    if (this.animationFrame !== undefined) {
      cancelAnimationFrame(this.animationFrame);
      this.animationFrame = undefined;
    }

    this.pendingFrame?.close();
    this.pendingFrame = undefined;
  }

  // Uses performance.now() rather than the animation frame's timestamp, which marks the start of the frame and can be
  // earlier than the arrival of the picture being drawn.
  private draw(): void {
    this.animationFrame = undefined;
    const frame = this.pendingFrame;
    if (frame === undefined) {
      return;
    }

    this.pendingFrame = undefined;
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }

    this.context.drawImage(frame, 0, 0, width, height);
    const timestampUs = frame.timestamp;
    frame.close();
    this.counters.presented += 1;

    this.onPresent({ timestampUs, width, height, presentedAtMs: performance.now() });
  }
}
