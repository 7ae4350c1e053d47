/** Stable codes of {@link CliError}. */
export type CliErrorCode =
  | 'CLI_ERR_USAGE'
  | 'CLI_ERR_X_SERVER'
  | 'CLI_ERR_ASSET_MISSING'
  | 'CLI_ERR_NOT_RUNNING'
  | 'CLI_ERR_INTERRUPTED'
  | 'CLI_ERR_DOCTOR'
  | 'CLI_ERR_FOREIGN_CONTAINER';

/** The error class of the deskvm command: a stable `code`, a message naming the value and the fix, and the `cause`. */
export class CliError extends Error {
  /** Stable error code. */
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
  }
}
