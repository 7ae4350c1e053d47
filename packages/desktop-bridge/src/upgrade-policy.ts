import type { IncomingMessage } from 'node:http';

import { CloseCode, SUPPORTED_PROTOCOL_VERSIONS, VERSION_SUBPROTOCOL_PREFIX, selectProtocolVersion } from '@deskvm/stream-protocol';

import type { RequestGuard } from './origin.js';
import { requestPath } from './request-path.js';
import { presentedToken, tokenMatches } from './token.js';

/** Path of the WebSocket stream endpoint. */
export const STREAM_PATH = '/stream';

/** The decision on a WebSocket upgrade request. */
export type UpgradeDecision =
  /** Reject with an HTTP error and no upgrade. */
  | { readonly kind: 'reject'; readonly status: number; readonly reason: string }
  /** Upgrade with the negotiated version; `protocol` is the subprotocol to select, if the client offered any. */
  | { readonly kind: 'accept'; readonly version: number; readonly protocol: string | undefined }
  /**
   * Upgrade and close at once with `code`. Browsers cannot read the HTTP status of a failed handshake, so this is
   * how a browser client learns that its token or version was rejected.
   */
  | { readonly kind: 'close'; readonly protocol: string; readonly code: number; readonly reason: string };

/**
 * Decides an upgrade request: path, Host and Origin first (HTTP errors), then the token and the version. A client
 * that offers `deskvm.v*` subprotocols gets a close code for a wrong token (4001) or an unsupported version (4002).
 * Other clients get HTTP 401. Clients that offer no subprotocol (bearer token) get version 1.
 */
export function decideUpgrade(request: IncomingMessage, token: string, guard: RequestGuard): UpgradeDecision {
  const path = requestPath(request.url);

  if (path === undefined) {
    return { kind: 'reject', status: 400, reason: 'Bad Request' };
  }

  if (path !== STREAM_PATH) {
    return { kind: 'reject', status: 404, reason: 'Not Found' };
  }

  if (!guard.hostAllowed(request) || !guard.originAllowed(request)) {
    return { kind: 'reject', status: 403, reason: 'Forbidden' };
  }

  const header = request.headers['sec-websocket-protocol'];
  const offered = (header ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
  const versionOffers = offered.filter((item) => item.startsWith(VERSION_SUBPROTOCOL_PREFIX));
  const firstVersionOffer = versionOffers[0];

  if (!tokenMatches(token, presentedToken(request))) {
    return firstVersionOffer === undefined
      ? { kind: 'reject', status: 401, reason: 'Unauthorized' }
      : { kind: 'close', protocol: firstVersionOffer, code: CloseCode.AuthFailed, reason: 'authentication failed' };
  }

  if (offered.length === 0) {
    return { kind: 'accept', version: 1, protocol: undefined };
  }

  const version = selectProtocolVersion(offered);

  if (version !== undefined) {
    return { kind: 'accept', version, protocol: `${VERSION_SUBPROTOCOL_PREFIX}${version}` };
  }

  if (firstVersionOffer !== undefined) {
    return {
      kind: 'close',
      protocol: firstVersionOffer,
      code: CloseCode.VersionMismatch,
      reason: `supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`,
    };
  }

  // A client that offers subprotocols must offer a version, or it would fail only after the 101 response.
  return { kind: 'reject', status: 400, reason: 'Bad Request' };
}
