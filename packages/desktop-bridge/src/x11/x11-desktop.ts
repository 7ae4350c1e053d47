import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import type { DesktopControl } from '../desktop-control.js';
import { BridgeError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { X11Clipboard } from './x11-clipboard.js';
import { openX11, request } from './x11-connection.js';
import { X11Input } from './x11-input.js';

const run = promisify(execFile);

/** Maximum time for each X11 round trip of close(), in milliseconds. */
const CLOSE_STEP_TIMEOUT_MS = 1000;

/** Resolves when `promise` settles or after `timeoutMs`, whichever comes first. */
async function withTimeout(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;

  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}

/** Settings of {@link x11Desktop}. */
export interface X11DesktopOptions {
  /** The X display, such as ':99'. */
  readonly display: string;
  /** The Xauthority file of the display. Default: XAUTHORITY or ~/.Xauthority. */
  readonly xauthorityPath?: string;
  /** The xrandr executable for resizing. Default 'xrandr' from PATH. */
  readonly xrandrPath?: string;
  /** Receives clipboard read failures. Default: silent. */
  readonly logger?: Logger;
}

/**
 * Connects to an X display and returns the desktop control of the bridge: input through XTEST, the clipboard through
 * X selections with an XFixes watch (both on one long-lived connection), and resize through RandR with
 * `xrandr --fb WIDTHxHEIGHT`. The screen size is read back after a resize, so a server that ignores the request
 * fails with a clear error. Xvfb (xorg-server 21.1) resizes only up to the size it started with. Without `-noreset`
 * it also resets the size when its last client leaves, so start it with `-noreset` and the largest size viewers may
 * request.
 *
 * @throws BridgeError `BRIDGE_ERR_DESKTOP_FAILED` when the display cannot be reached or lacks XTEST or XFIXES
 */
export async function x11Desktop(options: X11DesktopOptions): Promise<DesktopControl & { clipboardText(): Promise<string | undefined> }> {
  const logger = options.logger ?? silentLogger;
  const connection = await openX11(options.display, options.xauthorityPath);
  const { client, root } = connection;

  // Once the X server is gone, requests get no reply, so close() must not wait for one.
  let connected = true;

  connection.client.on('error', (error: Error) => {
    connected = false;
    logger.warn('X11 connection error', { display: options.display, error: error.message });
  });
  connection.client.on('end', () => {
    connected = false;
  });

  const input = await X11Input.create(connection);
  const clipboard = await X11Clipboard.create(connection, logger);
  const readSize = async (): Promise<{ width: number; height: number }> => {
    const geometry = await request<{ width: number; height: number }>((callback) => client.GetGeometry(root, callback));

    return { width: geometry.width, height: geometry.height };
  };
  let size = await readSize();
  const env = {
    ...process.env,
    DISPLAY: options.display,
    ...(options.xauthorityPath === undefined ? {} : { XAUTHORITY: options.xauthorityPath }),
  };

  const resize = async (width: number, height: number): Promise<void> => {
    const argv = ['--fb', `${width}x${height}`];

    try {
      await run(options.xrandrPath ?? 'xrandr', argv, { env, timeout: 10_000 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';

      logger.debug('xrandr failed', { argv, stderr });
    }

    size = await readSize();

    if (size.width !== width || size.height !== height) {
      throw new BridgeError(
        'BRIDGE_ERR_DESKTOP_FAILED',
        `The X server kept its screen at ${size.width}x${size.height} instead of ${width}x${height}: it does not ` +
          'support RandR resizing to that size. Xvfb cannot grow past the screen size it started with.',
      );
    }
  };

  let closed = false;

  return {
    pointerMove: (x, y) => input.pointerMove(x, y),
    pointerRelative: (dx, dy) => input.pointerRelative(dx, dy),
    pointerButton: (button, pressed) => input.pointerButton(button, pressed),
    wheel: (notchesX, notchesY) => input.wheel(notchesX, notchesY),
    key: (event) => input.key(event),
    setClipboard: (text) => clipboard.set(text),
    watchClipboard: (listener) => clipboard.watch(listener),
    clipboardText: () => clipboard.read(),
    resize,
    size: () => size,
    close: async () => {
      if (closed) {
        return;
      }

      closed = true;

      // Releasing held keys and the polite close are round trips. A server that hangs or has just exited may never
      // reply to them, so each gets CLOSE_STEP_TIMEOUT_MS, and the socket is destroyed in any case.
      if (connected) {
        await withTimeout(input.releaseAll().catch(() => undefined), CLOSE_STEP_TIMEOUT_MS);
      }

      clipboard.close();

      if (connected) {
        await withTimeout(new Promise<void>((resolve) => client.close(() => resolve())), CLOSE_STEP_TIMEOUT_MS);
      }

      client.stream.destroy();
    },
  };
}
