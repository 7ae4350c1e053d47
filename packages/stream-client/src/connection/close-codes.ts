/**
 * WebSocket close codes after which the player does not reconnect, because a new connection would fail the same way.
 *
 * TODO: import these from stream-protocol once it exports its close codes, and keep the two lists the same.
 */
export const TerminalCloseCode = {
  /** The server rejected the token. */
  AuthFailed: 4001,
  /** The server supports none of the protocol versions the client offered. */
  VersionMismatch: 4002,
  /** A newer connection with the same client id took this viewer's place. */
  Superseded: 4003,
} as const;

/** Returns whether a close with `code` ends the session for good, so no reconnect follows. */
export function isTerminalCloseCode(code: number): boolean {
  return Object.values(TerminalCloseCode).includes(code as (typeof TerminalCloseCode)[keyof typeof TerminalCloseCode]);
}
