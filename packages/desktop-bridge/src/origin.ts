import type { IncomingMessage } from 'node:http';

/** Addresses that mean "every interface": a Host header check cannot know which name clients use for them. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/**
 * Checks the Host and Origin headers against the address the bridge listens on. This stops DNS rebinding: a page
 * served from another site whose name was made to resolve to 127.0.0.1 sends its own name in Host and Origin, and
 * is rejected even though it reaches the port.
 */
export class RequestGuard {
  readonly #hosts: Set<string>;
  readonly #origins: Set<string>;
  readonly #checkHost: boolean;
  readonly #allowAnyOrigin: boolean;

  /**
   * @param host the address the server listens on
   * @param port the port the server listens on
   * @param allowedOrigins more origins allowed to open the stream, as `scheme://host:port`, or `*` for any
   */
  constructor(host: string, port: number, allowedOrigins: readonly string[]) {
    const names = ['127.0.0.1', 'localhost', '[::1]', host.includes(':') ? `[${host}]` : host];
    this.#hosts = new Set(names.map((name) => `${name}:${port}`));
    this.#origins = new Set([...[...this.#hosts].map((name) => `http://${name}`), ...allowedOrigins]);
    this.#checkHost = !WILDCARD_HOSTS.has(host);
    this.#allowAnyOrigin = allowedOrigins.includes('*');
  }

  /** True when the Host header names this server, or when the server listens on every interface. */
  hostAllowed(request: IncomingMessage): boolean {
    if (!this.#checkHost) {
      return true;
    }
    return request.headers.host !== undefined && this.#hosts.has(request.headers.host.toLowerCase());
  }

  /**
   * True when the request has no Origin header (clients that are not browsers, which still need the token), or when
   * its origin is this server's own or an allowed one.
   */
  originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined || this.#allowAnyOrigin) {
      return true;
    }
    if (!this.#checkHost) {
      return sameHost(origin, request.headers.host);
    }
    return this.#origins.has(origin.toLowerCase());
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
