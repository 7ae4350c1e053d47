import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Addresses that mean "every interface": clients may then use any of the machine's addresses. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);

/**
 * Checks the Host and Origin headers of requests against the addresses the bridge is reached at. This stops DNS
 * rebinding: a page from another site, whose name was made to resolve to this machine, sends that name in Host and
 * Origin and is rejected even though it reaches the port.
 *
 * Allowed are the loopback names with the port, the listen address, and the hosts of `allowedOrigins` (for a port
 * forwarded from elsewhere, for example). On a wildcard listen address any IP literal is allowed too, because a
 * rebinding attack always uses a DNS name.
 */
export class RequestGuard {
  readonly #hosts: Set<string>;
  readonly #origins: Set<string>;
  readonly #anyIpLiteral: boolean;
  readonly #allowAnyOrigin: boolean;

  /**
   * @param host the address the server listens on
   * @param port the port the server listens on
   * @param allowedOrigins more origins allowed to open the stream, as `scheme://host:port`, or `*` for any
   */
  constructor(host: string, port: number, allowedOrigins: readonly string[]) {
    const ownOrigins = ['127.0.0.1', 'localhost', '::1', host].map((name) => `http://${bracket(name)}:${port}`);
    const extraOrigins = allowedOrigins.filter((origin) => origin !== '*');
    this.#origins = new Set([...ownOrigins, ...extraOrigins].flatMap((origin) => canonicalOrigin(origin) ?? []));
    this.#hosts = new Set([...this.#origins].map((origin) => new URL(origin).host));
    this.#anyIpLiteral = WILDCARD_HOSTS.has(host);
    this.#allowAnyOrigin = allowedOrigins.includes('*');
  }

  /** True when the Host header names this server. */
  hostAllowed(request: IncomingMessage): boolean {
    const host = canonicalHost(request.headers.host);
    if (host === undefined) {
      return false;
    }
    return this.#hosts.has(host) || (this.#anyIpLiteral && isIpLiteralHost(host));
  }

  /**
   * True when the request has no Origin header (clients that are not browsers, which still need the token), or when
   * its origin is one this guard allows.
   */
  originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined || this.#allowAnyOrigin) {
      return true;
    }

    const canonical = canonicalOrigin(origin);
    if (canonical === undefined) {
      return false;
    }
    return this.#origins.has(canonical) || (this.#anyIpLiteral && isIpLiteralHost(new URL(canonical).host));
  }
}

/** Returns the origin as browsers serialize it (lower case, compressed IPv6, no default port), or undefined. */
function canonicalOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/** Returns the Host header value in the form `URL.host` gives, or undefined when it is not a valid host. */
function canonicalHost(host: string | undefined): string | undefined {
  if (host === undefined || host === '' || /[/?#@\s]/.test(host)) {
    return undefined;
  }
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return undefined;
  }
}

function isIpLiteralHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return isIP(name) !== 0;
}

function bracket(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
