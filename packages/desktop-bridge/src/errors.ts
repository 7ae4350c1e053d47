/** Stable codes of {@link BridgeError}; callers branch on these, never on the message text. */
export type BridgeErrorCode =
  | 'BRIDGE_ERR_INVALID_OPTION'
  | 'BRIDGE_ERR_LISTEN_FAILED'
  | 'BRIDGE_ERR_PIPELINE_FAILED'
  | 'BRIDGE_ERR_DESKTOP_FAILED'
  | 'BRIDGE_ERR_CLOSED';

/** The one error class of @deskvm/desktop-bridge: a stable `code`, a message naming the value, and the `cause`. */
export class BridgeError extends Error {
  /** Stable error code. */
  readonly code: BridgeErrorCode;

  constructor(code: BridgeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BridgeError';
    this.code = code;
  }
}
