/**
 * Runs `body` with a signal that SIGINT, SIGTERM and SIGHUP abort, so a long command (building the image, waiting
 * for a stage) stops cleanly at its next step instead of dying in the middle of a write.
 */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (): void => controller.abort(new Error('interrupted by a signal'));

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
