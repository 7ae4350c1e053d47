import type { Logger as BridgeLogger, LogFields } from '@deskvm/desktop-bridge';

/** The logger shape every deskvm library takes. */
export type Logger = BridgeLogger;

/**
 * Creates a logger that writes one JSON object per line to stderr, with a time, a level and a component label.
 * Levels below `minimumLevel` are dropped.
 */
export function createJsonLogger(component: string, minimumLevel: 'debug' | 'info' | 'warn' | 'error'): Logger {
  // A closed stderr (a pipe whose reader is gone, a closed terminal) must not turn a log line into a crash.
  if (process.stderr.listenerCount('error') === 0) {
    process.stderr.on('error', () => undefined);
  }

  const order = ['debug', 'info', 'warn', 'error'] as const;
  const threshold = order.indexOf(minimumLevel);
  const write = (level: (typeof order)[number]) => (message: string, fields?: LogFields) => {
    if (order.indexOf(level) < threshold) {
      return;
    }
    try {
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component, message, ...fields })}\n`);
    } catch {
      // The line is lost, as it would be on a terminal that no longer exists.
    }
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
