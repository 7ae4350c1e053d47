/** Options of `ResizeFollower`. */
export interface ResizeFollowerOptions {
  /** The element whose content box the desktop size follows. */
  element: HTMLElement;
  /** Sends a resize request for the new desktop size, in device pixels. */
  request: (width: number, height: number) => void;
  /** Time in ms without further size changes before a request goes out. Default 300. */
  debounceMs?: number;
  /** Multiply by `devicePixelRatio`, so the desktop matches the screen's pixels. Default true. */
  useDevicePixels?: boolean;
  /** Smallest width and height sent, in pixels. Default 64. */
  minSize?: number;
  /** Largest width and height sent, in pixels. Default 8192. */
  maxSize?: number;
}

/**
 * Returns the desktop size for an element size: scaled, rounded down to even numbers (4:2:0 H.264 encoders need
 * even sizes), and clamped to the minimum and maximum.
 */
export function desktopSizeFor(
  cssWidth: number,
  cssHeight: number,
  scale: number,
  minSize: number,
  maxSize: number,
): { width: number; height: number } {
  const even = (value: number): number => Math.min(Math.max(Math.floor((value * scale) / 2) * 2, minSize), maxSize);
  return { width: even(cssWidth), height: even(cssHeight) };
}

/**
 * Watches an element with a `ResizeObserver` and requests a matching desktop size once the size has been stable for
 * `debounceMs`. It sends nothing when the size equals the last one it sent.
 */
export class ResizeFollower {
  private readonly observer: ResizeObserver;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = '';

  constructor(private readonly options: ResizeFollowerOptions) {
    this.observer = new ResizeObserver(() => this.schedule());
    this.observer.observe(options.element);
  }

  /** Forgets the last size sent, so the next stable size is requested again (after a reconnect, for example). */
  reset(): void {
    this.lastSent = '';
    this.schedule();
  }

  /** Stops watching and cancels a pending request. */
  destroy(): void {
    this.observer.disconnect();
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
  }

  private schedule(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => this.requestCurrentSize(), this.options.debounceMs ?? 300);
  }

  private requestCurrentSize(): void {
    this.timer = undefined;
    const { clientWidth, clientHeight } = this.options.element;
    if (clientWidth === 0 || clientHeight === 0) {
      return;
    }

    const scale = this.options.useDevicePixels === false ? 1 : globalThis.devicePixelRatio || 1;
    const size = desktopSizeFor(clientWidth, clientHeight, scale, this.options.minSize ?? 64, this.options.maxSize ?? 8192);
    const key = `${size.width}x${size.height}`;
    if (key === this.lastSent) {
      return;
    }

    this.lastSent = key;
    this.options.request(size.width, size.height);
  }
}
