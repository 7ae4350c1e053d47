import type { Diagnostics } from '@deskvm/vm-core';

/**
 * Stable error codes of this package. Callers branch on these, never on the message text.
 *
 * - `NATIVE_ERR_ENGINE_UNREACHABLE`: no Docker engine responded at any address tried, and the message lists each address
 *   with its error and how to start an engine.
 * - `NATIVE_ERR_ENGINE_PERMISSION`: the engine's socket exists but this user may not open it (EACCES).
 * - `NATIVE_ERR_ENGINE_ADDRESS`: a `DOCKER_HOST` value or its TLS files are invalid or not supported.
 * - `NATIVE_ERR_IMAGE`: pulling, importing, inspecting or removing an image failed.
 * - `NATIVE_ERR_CONTAINER`: creating, starting, stopping, inspecting or removing the desktop container failed.
 * - `NATIVE_ERR_EXEC`: the Docker API failed to create, start or inspect an exec instance.
 * - `NATIVE_ERR_INVALID_ARGUMENT`: a value passed to an API is invalid; the message names it.
 */
export type NativeErrorCode =
  | 'NATIVE_ERR_ENGINE_UNREACHABLE'
  | 'NATIVE_ERR_ENGINE_PERMISSION'
  | 'NATIVE_ERR_ENGINE_ADDRESS'
  | 'NATIVE_ERR_IMAGE'
  | 'NATIVE_ERR_CONTAINER'
  | 'NATIVE_ERR_EXEC'
  | 'NATIVE_ERR_INVALID_ARGUMENT';

/** Options of the `NativeError` constructor. */
export interface NativeErrorOptions {
  /** The error that caused this one, kept as `error.cause`. */
  cause?: unknown;
  /** Collected facts, such as the addresses tried or the engine's message. */
  diagnostics?: Diagnostics;
}

/** The one error class of `@deskvm/vm-native`. Lifecycle and command errors are vm-core's `VmError`. */
export class NativeError extends Error {
  /** Stable code that identifies what failed. */
  readonly code: NativeErrorCode;

  /** Collected diagnostics, empty when there was nothing to collect. */
  readonly diagnostics: Diagnostics;

  constructor(code: NativeErrorCode, message: string, options: NativeErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'NativeError';
    this.code = code;
    this.diagnostics = options.diagnostics ?? {};
  }

  /** Returns a plain object for JSON output: name, code, message and the diagnostics when there are any. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(Object.keys(this.diagnostics).length === 0 ? {} : { diagnostics: this.diagnostics }),
    };
  }
}

/** Returns true when `error` is a `NativeError`, with the given code when one is passed. */
export function isNativeError(error: unknown, code?: NativeErrorCode): error is NativeError {
  return error instanceof NativeError && (code === undefined || error.code === code);
}

/** Returns the engine's own message of a dockerode error (`json.message`), else the error's message. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: unknown } | undefined)?.json;

  if (typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message;
  }

  return error instanceof Error ? error.message : String(error);
}

/** Returns the HTTP status of a dockerode error, or undefined for a transport error. */
export function engineStatusCode(error: unknown): number | undefined {
  const statusCode = (error as { statusCode?: unknown } | undefined)?.statusCode;

  return typeof statusCode === 'number' ? statusCode : undefined;
}
