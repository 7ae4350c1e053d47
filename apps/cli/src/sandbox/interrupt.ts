import { EXIT } from './exit-codes.js';

/**
 * Runs `body` with a signal that SIGINT, SIGTERM and SIGHUP abort, so a long command (building the image, waiting
 * for a stage) stops cleanly at its next step instead of dying in the middle of a write. A second signal ends the
 * process at once with status 130, for work that does not react to the abort.
 */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      process.stderr.write('deskvm: stopped at once by a second signal; the sandbox may be left part way, see deskvm status.\n');
      process.exit(EXIT.interrupted);
    }
    controller.abort(new Error('interrupted by a signal'));
  };

  for (const signal of signals) {
    process.on(signal, onSignal);
  }

  try {
    return await body(controller.signal);
  } finally {
    for (const signal of signals) {
      process.off(signal, onSignal);
    }
  }
}
