import { CloseCode } from '@deskvm/stream-protocol';

import type { StreamClientErrorCode } from '../errors.js';

// A new connection after these would fail the same way, or take the place of the newer viewer that replaced this one.
const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.AuthFailed, CloseCode.VersionMismatch, CloseCode.Superseded]);

/** Returns whether a close with `code` ends the session for good, so no reconnect follows. */
export function isTerminalCloseCode(code: number): boolean {
  return TERMINAL_CLOSE_CODES.has(code);
}

/** Returns the error code and message for a close code other than 1000. The message names the next step. */
export function describeClose(code: number, reason: string): { code: StreamClientErrorCode; message: string } {
  const detail = reason === '' ? `close code ${code}` : `close code ${code}, reason "${reason}"`;

  if (code === CloseCode.AuthFailed) {
    return {
      code: 'CLIENT_ERR_AUTH_FAILED',
      message: `The bridge rejected the token (${detail}). Open the URL with the current session token.`,
    };
  }
  if (code === CloseCode.VersionMismatch) {
    return {
      code: 'CLIENT_ERR_UNSUPPORTED_VERSION',
      message: `The bridge supports none of this client's protocol versions (${detail}). Update the client or the bridge.`,
    };
  }
  if (code === CloseCode.Superseded) {
    return {
      code: 'CLIENT_ERR_SUPERSEDED',
      message: `A newer viewer with the same client id took over (${detail}), so this one does not reconnect.`,
    };
  }

  return {
    code: 'CLIENT_ERR_CONNECTION_CLOSED',
    message: `The stream WebSocket closed (${detail}). Check that the bridge runs and the token is valid.`,
  };
}
