import { SUPPORTED_PROTOCOL_VERSIONS } from './messages.js';

/** Prefix of the WebSocket subprotocols that name a wire format version: `deskvm.v1`, `deskvm.v2`. */
export const VERSION_SUBPROTOCOL_PREFIX = 'deskvm.v';

/** Returns the subprotocol that names `version`, such as `deskvm.v2`. */
export function versionSubprotocol(version: number): string {
  return `${VERSION_SUBPROTOCOL_PREFIX}${version}`;
}

/**
 * The subprotocols a client offers to ask for every version this package supports, newest first, such as
 * `['deskvm.v2', 'deskvm.v1']`. Add the token subprotocol after them.
 */
export function offeredVersionSubprotocols(): string[] {
  return SUPPORTED_PROTOCOL_VERSIONS.map(versionSubprotocol);
}

/**
 * Picks the highest version that both sides support from the subprotocols a client offered. Returns undefined when
 * none matches; other subprotocols, such as the token, are ignored.
 */
export function selectProtocolVersion(offered: Iterable<string>): number | undefined {
  let selected: number | undefined;

  for (const protocol of offered) {
    if (!protocol.startsWith(VERSION_SUBPROTOCOL_PREFIX)) {
      continue;
    }

    const version = Number(protocol.slice(VERSION_SUBPROTOCOL_PREFIX.length));
    const supported = SUPPORTED_PROTOCOL_VERSIONS.includes(version) && protocol === versionSubprotocol(version);

    if (supported && (selected === undefined || version > selected)) {
      selected = version;
    }
  }

  return selected;
}

/** WebSocket close codes of the stream. The 4000 to 4999 range is for applications (RFC 6455, section 7.4.2). */
export const CloseCode = {
  /** The bridge is shutting down (1001, "going away"). */
  ServerShutdown: 1001,
  /** A message was larger than the server's limit (1009, "message too big"). */
  MessageTooBig: 1009,
  /** The token was missing or wrong. Do not reconnect with the same token. */
  AuthFailed: 4001,
  /** The client offered no protocol version that the server supports. The close reason lists the server's versions. */
  VersionMismatch: 4002,
  /** A newer connection presented the same client id. Do not reconnect automatically. */
  Superseded: 4003,
  /**
   * The client stopped reading: control messages queued while its send buffer was full passed the server's limit.
   * Reconnect with backoff.
   */
  SendBufferFull: 4004,
} as const;

/** One of the `CloseCode` values. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
