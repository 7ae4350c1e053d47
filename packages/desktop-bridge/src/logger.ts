/** Structured fields attached to a log line; never put a token or other secret in them. */
export type LogFields = Record<string, unknown>;

/** The logger the bridge writes to; inject one to see what it does. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ignore = (): void => undefined;

/** A logger that drops everything: the default, so the library is silent unless asked. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
