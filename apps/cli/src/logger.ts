import type { Logger as BridgeLogger, LogFields } from '@deskvm/desktop-bridge';

/** The logger shape every deskvm library takes. */
export type Logger = BridgeLogger;

/**
 * Creates a logger that writes one JSON object per line to stderr, with a time, a level and a component label.
 * Levels below `minimumLevel` are dropped.
 */
export function createJsonLogger(component: string, minimumLevel: 'debug' | 'info' | 'warn' | 'error'): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const threshold = order.indexOf(minimumLevel);
  const write = (level: (typeof order)[number]) => (message: string, fields?: LogFields) => {
    if (order.indexOf(level) < threshold) {
      return;
    }
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component, message, ...fields })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
