/**
 * Stable error codes of this package. Callers branch on these, never on the message text.
 *
 * - `VM_ERR_INVALID_ARGUMENT`: a value passed to an API is out of range or of the wrong kind.
 * - `VM_ERR_COMMAND_NOT_STARTED`: `run` could not start the command (executable not found, VM not reachable).
 * - `VM_ERR_COMMAND_TIMED_OUT`: the command ran longer than its `timeoutMs` and was killed.
 * - `VM_ERR_COMMAND_ABORTED`: the caller's AbortSignal ended the command.
 * - `VM_ERR_COMMAND_NO_EXIT_STATUS`: the command ended without an exit code or signal (the transport to the VM broke).
 * - `VM_ERR_COMMAND_FAILED`: the command exited with a non-zero code or a signal, when the caller asked to reject.
 * - `VM_ERR_LOCKED`: another live process manages this VM.
 * - `VM_ERR_INVALID_STATE`: the operation is not possible in the VM's current state.
 * - `VM_ERR_STAGE_FAILED`: a readiness stage failed or timed out; `stage` names it.
 * - `VM_ERR_BACKEND`: the backend reported a failure of its own (VM process died, distro missing).
 * - `VM_ERR_DOWNLOAD_HTTP`: a download received an HTTP status that cannot be retried, or retries ran out.
 * - `VM_ERR_DOWNLOAD_STALLED`: no bytes arrived for `stallTimeoutMs`, and retries ran out.
 * - `VM_ERR_DOWNLOAD_SIZE`: the server's file size differs from the manifest's (for example HTTP 416).
 * - `VM_ERR_DOWNLOAD_TLS`: the server's TLS certificate failed verification; not retried.
 * - `VM_ERR_CHECKSUM_MISMATCH`: the SHA-256 of a downloaded file differs from the manifest's.
 * - `VM_ERR_NO_SPACE`: the file system has less free space than the download needs.
 * - `VM_ERR_INVALID_MANIFEST`: the image manifest is malformed.
 * - `VM_ERR_INVALID_SETTINGS`: a settings value is invalid; `key` names it.
 * - `VM_ERR_IO`: reading or writing a local file failed.
 */
export type VmErrorCode =
  | 'VM_ERR_INVALID_ARGUMENT'
  | 'VM_ERR_COMMAND_NOT_STARTED'
  | 'VM_ERR_COMMAND_TIMED_OUT'
  | 'VM_ERR_COMMAND_ABORTED'
  | 'VM_ERR_COMMAND_NO_EXIT_STATUS'
  | 'VM_ERR_COMMAND_FAILED'
  | 'VM_ERR_LOCKED'
  | 'VM_ERR_INVALID_STATE'
  | 'VM_ERR_STAGE_FAILED'
  | 'VM_ERR_BACKEND'
  | 'VM_ERR_DOWNLOAD_HTTP'
  | 'VM_ERR_DOWNLOAD_STALLED'
  | 'VM_ERR_DOWNLOAD_SIZE'
  | 'VM_ERR_DOWNLOAD_TLS'
  | 'VM_ERR_CHECKSUM_MISMATCH'
  | 'VM_ERR_NO_SPACE'
  | 'VM_ERR_INVALID_MANIFEST'
  | 'VM_ERR_INVALID_SETTINGS'
  | 'VM_ERR_IO';

/** What was collected when something failed, for a person or a bug report. */
export interface Diagnostics {
  /** The last lines of the log that matters for this failure (console, command output, container log). */
  logTail?: string;
  /** The state of the desktop stack's containers, as the container engine reported it. */
  containerStatus?: string;
  /** Other named facts, such as the command's stderr or the backend's own status output. */
  [key: string]: string | undefined;
}

/** Options of the `VmError` constructor. */
export interface VmErrorOptions {
  /** The error that caused this one, kept as `error.cause`. */
  cause?: unknown;
  /** The readiness stage that failed, for `VM_ERR_STAGE_FAILED`. */
  stage?: string;
  /** The settings key that is invalid, for `VM_ERR_INVALID_SETTINGS`. */
  key?: string;
  /** The URL or path involved, for download errors. */
  url?: string;
  /** Collected diagnostics: log tails, container status. */
  diagnostics?: Diagnostics;
}

/** The one error class of `@deskvm/vm-core`. */
export class VmError extends Error {
  /** Stable code that identifies what failed. */
  readonly code: VmErrorCode;

  /** The readiness stage that failed, for `VM_ERR_STAGE_FAILED`. */
  readonly stage?: string;

  /** The settings key that is invalid, for `VM_ERR_INVALID_SETTINGS`. */
  readonly key?: string;

  /** The URL or path involved, for download errors. */
  readonly url?: string;

  /** Collected diagnostics, empty when there was nothing to collect. */
  readonly diagnostics: Diagnostics;

  constructor(code: VmErrorCode, message: string, options: VmErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'VmError';
    this.code = code;
    this.stage = options.stage;
    this.key = options.key;
    this.url = options.url;
    this.diagnostics = options.diagnostics ?? {};
  }

  /** Returns a plain object for JSON output: name, code, message and the optional fields that are set. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.stage === undefined ? {} : { stage: this.stage }),
      ...(this.key === undefined ? {} : { key: this.key }),
      ...(this.url === undefined ? {} : { url: this.url }),
      ...(Object.keys(this.diagnostics).length === 0 ? {} : { diagnostics: this.diagnostics }),
    };
  }
}

/** Returns true when `error` is a `VmError` with the given code. */
export function isVmError(error: unknown, code?: VmErrorCode): error is VmError {
  return error instanceof VmError && (code === undefined || error.code === code);
}
