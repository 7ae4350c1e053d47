// Programmatic entry of the deskvm command, for the desktop app and for scripts; the executable is dist/main.js.
export { CliError, type CliErrorCode } from './errors.js';
export { createJsonLogger, type Logger } from './logger.js';
export { createServeCommand } from './serve/serve-command.js';
export { runServe, type ServeSettings } from './serve/run-serve.js';
