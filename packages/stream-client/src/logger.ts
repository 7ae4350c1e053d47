/** Structured fields that go with a log message. */
export type LogFields = Record<string, unknown>;

/**
 * The logger that the player classes accept. Pass `silentLogger` (the default) to log nothing. This package never
 * puts a token in a message or field.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function ignore(): void {
  // Silent by default.
}

/** A logger that discards everything; the default of every class here. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
