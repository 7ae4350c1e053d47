/**
 * Stable error codes of this package. Callers branch on these, never on the message text.
 *
 * - `ROOTFS_ERR_NOT_ROOT`: the build needs root (debootstrap, chroot and mount do), and this process is not root.
 * - `ROOTFS_ERR_NO_MIRROR`: no Debian or Ubuntu package mirror is configured, and none was passed.
 * - `ROOTFS_ERR_TOOL_MISSING`: a program the build runs (debootstrap) is not installed.
 * - `ROOTFS_ERR_BOOTSTRAP`: debootstrap failed.
 * - `ROOTFS_ERR_PACKAGES`: apt-get or another step inside the chroot failed.
 * - `ROOTFS_ERR_BUNDLE_MISSING`: the in-sandbox bundle folder or its entry file is missing.
 * - `ROOTFS_ERR_IO`: reading or writing a local file failed, or the manifest is malformed.
 * - `ROOTFS_ERR_INVALID_ARGUMENT`: an option has an invalid value.
 */
export type RootfsErrorCode =
  | 'ROOTFS_ERR_NOT_ROOT'
  | 'ROOTFS_ERR_NO_MIRROR'
  | 'ROOTFS_ERR_TOOL_MISSING'
  | 'ROOTFS_ERR_BOOTSTRAP'
  | 'ROOTFS_ERR_PACKAGES'
  | 'ROOTFS_ERR_BUNDLE_MISSING'
  | 'ROOTFS_ERR_IO'
  | 'ROOTFS_ERR_INVALID_ARGUMENT';

/** Output collected when a build step failed. */
export interface RootfsDiagnostics {
  /** The last lines of the failed command's output. */
  logTail?: string;
}

/** The one error class of `@deskvm/rootfs`. */
export class RootfsError extends Error {
  /** Stable code that identifies what failed. */
  readonly code: RootfsErrorCode;

  /** Collected diagnostics, undefined when there was nothing to collect. */
  readonly diagnostics?: RootfsDiagnostics;

  constructor(code: RootfsErrorCode, message: string, options: { cause?: unknown; diagnostics?: RootfsDiagnostics } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'RootfsError';
    this.code = code;
    this.diagnostics = options.diagnostics;
  }

  /** Returns a plain object for JSON output: name, code, message and, when set, the diagnostics. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.diagnostics === undefined ? {} : { diagnostics: this.diagnostics }),
    };
  }
}

/** Returns true when `error` is a `RootfsError`, with the given code when one is passed. */
export function isRootfsError(error: unknown, code?: RootfsErrorCode): error is RootfsError {
  return error instanceof RootfsError && (code === undefined || error.code === code);
}
