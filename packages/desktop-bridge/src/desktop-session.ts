import { MAX_FRAME_DIMENSION } from '@deskvm/gst-pipeline';
import { Capability, ErrorCode, MAX_CLIPBOARD_BYTES, encodeMessage } from '@deskvm/stream-protocol';

import { describeError } from './describe-error.js';
import type { DesktopControl } from './desktop-control.js';
import type { Logger } from './logger.js';
import type { StreamHub } from './stream-hub.js';
import type { Viewer } from './viewer.js';

/**
 * Smallest desktop width and height, in pixels, for `deskvm serve --size` and resize requests. The encoder takes 16,
 * but a desktop smaller than 64 pixels has no room for a window.
 */
export const MIN_DESKTOP_SIZE = 64;

/**
 * Largest desktop width and height, in pixels: the encoder's limit. A desktop may allow less (`DesktopControl.maxSize`),
 * and H.264 level 6.2 also bounds the area.
 */
export const MAX_DESKTOP_SIZE = MAX_FRAME_DIMENSION;

/**
 * The desktop side of the bridge shared by all viewers: capability bits, the clipboard watcher, resize, and the
 * mapping from stream pixels to desktop pixels.
 */
export class DesktopSession {
  readonly #desktop: DesktopControl | undefined;
  readonly #hub: StreamHub;
  readonly #logger: Logger;
  readonly #unwatch: (() => void) | undefined;
  #clipboard: string | undefined;
  #resizing = false;

  constructor(desktop: DesktopControl | undefined, hub: StreamHub, logger: Logger) {
    this.#desktop = desktop;
    this.#hub = hub;
    this.#logger = logger;
    this.#unwatch = desktop?.watchClipboard?.((change) => this.#clipboardChanged(change));
  }

  /** Returns the hello's capability bits. */
  capabilities(): number {
    const desktop = this.#desktop;
    let bits = 0;

    if (desktop?.pointerMove !== undefined || desktop?.key !== undefined) {
      bits |= Capability.Input;
    }

    if (desktop?.setClipboard !== undefined) {
      bits |= Capability.Clipboard;
    }

    if (desktop?.resize !== undefined) {
      bits |= Capability.Resize;
    }

    if (this.#hub.forcesKeyframes) {
      bits |= Capability.ForcedKeyframe;
    }

    return bits;
  }

  /** Sends a new version 2 viewer the desktop's clipboard text, when one is known. */
  welcome(viewer: Viewer): void {
    if (this.#clipboard !== undefined && viewer.version >= 2) {
      viewer.sendControl(encodeMessage({ type: 'server-clipboard', text: this.#clipboard }));
    }
  }

  /** Maps stream pixels onto desktop pixels, clamped to the desktop; the identity while either size is unknown. */
  toDesktop(x: number, y: number, stream: { width: number; height: number } | undefined): { x: number; y: number } {
    const desktopSize = this.#desktop?.size?.();

    if (desktopSize === undefined || stream === undefined) {
      return { x, y };
    }

    const mappedX = Math.round((x * desktopSize.width) / stream.width);
    const mappedY = Math.round((y * desktopSize.height) / stream.height);

    return {
      x: Math.min(Math.max(mappedX, 0), desktopSize.width - 1),
      y: Math.min(Math.max(mappedY, 0), desktopSize.height - 1),
    };
  }

  /**
   * Resizes the desktop and restarts the pipeline, so viewers get a Configuration with the new size. Problems go to
   * the requesting viewer as error 6.
   */
  resize(viewer: Viewer, width: number, height: number): void {
    const resize = this.#desktop?.resize?.bind(this.#desktop);
    const problem = resizeProblem(width, height, resize !== undefined, this.#resizing, this.#desktop?.maxSize?.());

    if (problem !== undefined || resize === undefined) {
      viewer.sendError(ErrorCode.ResizeFailed, problem ?? 'Resize is not supported.');
      return;
    }

    const current = this.#desktop?.size?.();
    const configuration = this.#hub.configuration;

    // The SPS would not change, so no Configuration would follow a restart; the viewer gets the current one instead.
    if (current?.width === width && current.height === height && configuration !== undefined) {
      viewer.sendConfiguration(configuration);
      return;
    }

    this.#resizing = true;
    this.#logger.info('desktop resize', { viewerId: viewer.id, width, height });
    resize(width, height)
      .then(() => this.#hub.restartPipeline())
      .catch((error: unknown) => {
        this.#logger.error('desktop resize failed', { viewerId: viewer.id, width, height, ...describeError(error) });
        viewer.sendError(ErrorCode.ResizeFailed, `Resize to ${width}x${height} failed: ${describeError(error).error}`);
      })
      .finally(() => {
        this.#resizing = false;
      });
  }

  /** Stops the clipboard watcher and releases the desktop connection. */
  async close(): Promise<void> {
    this.#unwatch?.();
    await this.#desktop?.close?.();
  }

  /**
   * Sends new desktop clipboard text to every version 2 viewer. Text that cannot be read or sent goes to them as
   * error 5 in its place, and new viewers then get no clipboard text, because the one known before is out of date.
   */
  #clipboardChanged(change: string | Error): void {
    if (change instanceof Error) {
      this.#clipboardFailed(`The desktop clipboard changed but could not be read: ${change.message}`);
      return;
    }

    let message: Uint8Array;

    try {
      message = encodeMessage({ type: 'server-clipboard', text: change });
    } catch (error) {
      this.#logger.warn('desktop clipboard not sent', { length: change.length, ...describeError(error) });
      this.#clipboardFailed(
        `The desktop clipboard changed but could not be sent: it has ${Buffer.byteLength(change, 'utf8')} bytes of ` +
          `UTF-8, over the protocol maximum of ${MAX_CLIPBOARD_BYTES}. Copy less text.`,
      );
      return;
    }

    this.#clipboard = change;

    for (const viewer of this.#hub.viewers) {
      if (viewer.version >= 2) {
        viewer.sendControl(message);
      }
    }
  }

  #clipboardFailed(text: string): void {
    this.#clipboard = undefined;

    for (const viewer of this.#hub.viewers) {
      viewer.sendError(ErrorCode.ClipboardFailed, text);
    }
  }
}

/**
 * Returns why a resize cannot start, or undefined when it can. The allowed range is {@link MIN_DESKTOP_SIZE} to the
 * smaller of {@link MAX_DESKTOP_SIZE} and the desktop's `maxSize`, in even numbers.
 */
function resizeProblem(
  width: number,
  height: number,
  supported: boolean,
  busy: boolean,
  desktopMax: { width: number; height: number } | undefined,
): string | undefined {
  if (!supported) {
    return 'Resize is not supported: this server has no desktop resize control.';
  }

  if (busy) {
    return `Resize to ${width}x${height} rejected: another resize is still running. Try again when it is done.`;
  }

  const maxWidth = Math.min(MAX_DESKTOP_SIZE, desktopMax?.width ?? MAX_DESKTOP_SIZE);
  const maxHeight = Math.min(MAX_DESKTOP_SIZE, desktopMax?.height ?? MAX_DESKTOP_SIZE);
  const valid = (value: number, max: number): boolean => value >= MIN_DESKTOP_SIZE && value <= max && value % 2 === 0;

  if (valid(width, maxWidth) && valid(height, maxHeight)) {
    return undefined;
  }

  const limit = desktopMax === undefined ? 'the limit of the H.264 encoder' : 'the largest size this desktop can take';

  return (
    `Invalid resize to ${width}x${height}: request an even width from ${MIN_DESKTOP_SIZE} to ${maxWidth} and an even ` +
    `height from ${MIN_DESKTOP_SIZE} to ${maxHeight}. ${maxWidth}x${maxHeight} is ${limit}, and sizes are even ` +
    'because the encoder takes 4:2:0 frames.'
  );
}
