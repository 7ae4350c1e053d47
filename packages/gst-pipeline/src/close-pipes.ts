import type { Readable } from 'node:stream';

/** How long stdout and stderr may stay idle after gst-launch-1.0 exited, in ms, before they are closed. */
const PIPE_CLOSE_GRACE_MS = 1000;

/**
 * Closes a process's stdout and stderr when they stay open after it exited. That happens when `gstLaunchPath` is a
 * wrapper that forks gst-launch-1.0 or another child instead of exec'ing it: the child keeps the pipes open, and the
 * run's `exited` and `stop()` would wait for it. Pipes are closed only when no data arrived for `PIPE_CLOSE_GRACE_MS`
 * while reading was not paused, so output that a slow consumer has not read yet is not lost.
 *
 * @param stdoutChunks - returns how many stdout chunks have arrived so far
 * @param onClose - called once just before the pipes are closed
 */
export function closePipesWhenIdle(
  pipes: { stdout?: Readable | null; stderr?: Readable | null },
  stdoutChunks: () => number,
  onClose: () => void,
): void {
  let chunksSeen = stdoutChunks();

  const check = (): void => {
    const { stdout, stderr } = pipes;
    const open = stdout?.readableEnded === false || stderr?.readableEnded === false;

    if (!open) {
      return;
    }

    if (stdout?.isPaused() === true || stdoutChunks() !== chunksSeen) {
      chunksSeen = stdoutChunks();
      setTimeout(check, PIPE_CLOSE_GRACE_MS).unref();
      return;
    }

    onClose();
    stdout?.destroy();
    stderr?.destroy();
  };

  setTimeout(check, PIPE_CLOSE_GRACE_MS).unref();
}
