/** A structured logger. This package is silent unless the caller passes one. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function discard(): void {
  // Silent by default: a library prints nothing unless a logger is injected.
}

/** A logger that drops every message. */
export const silentLogger: Logger = { debug: discard, info: discard, warn: discard, error: discard };
