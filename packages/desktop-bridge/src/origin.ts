import type { IncomingMessage } from 'node:http';

/**
 * Decides whether a WebSocket upgrade may proceed given its Origin header. Clients that are not browsers send none
 * and are allowed (the token still applies). A browser page must come from the bridge's own origin or from one of
 * `allowedOrigins` (exact `scheme://host:port` strings, or `*` for any).
 */
export function originAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) {
    return true;
  }
  if (allowedOrigins.includes('*') || allowedOrigins.includes(origin)) {
    return true;
  }

  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  return originHost === request.headers.host;
}
