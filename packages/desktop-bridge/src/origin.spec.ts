import type { IncomingMessage } from 'node:http';

import { describe, expect, it } from '@jest/globals';

import { RequestGuard } from './origin.js';

function request(headers: IncomingMessage['headers']): IncomingMessage {
  return { headers } as IncomingMessage;
}

describe('RequestGuard.hostAllowed', () => {
  const guard = new RequestGuard('127.0.0.1', 8080, []);

  it.each(['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST:8080', '[::1]:8080'])('accepts %s', (host) => {
    expect(guard.hostAllowed(request({ host }))).toBe(true);
  });

  it.each(['evil.example:8080', '127.0.0.1:8081', '127.0.0.1', 'localhost.:8080', '', 'a b:8080'])('rejects %j', (host) => {
    expect(guard.hostAllowed(request({ host }))).toBe(false);
  });

  it('rejects a missing Host', () => {
    expect(guard.hostAllowed(request({}))).toBe(false);
  });

  it('accepts the canonical form of an IPv6 listen address', () => {
    const ipv6 = new RequestGuard('2001:DB8:0:0::1', 8080, []);

    expect(ipv6.hostAllowed(request({ host: '[2001:db8::1]:8080' }))).toBe(true);
  });

  it('accepts the form browsers send for an IPv4-mapped address', () => {
    const mapped = new RequestGuard('::ffff:127.0.0.1', 8080, []);

    expect(mapped.hostAllowed(request({ host: '[::ffff:7f00:1]:8080' }))).toBe(true);
  });

  it('accepts a host without port on port 80', () => {
    const port80 = new RequestGuard('127.0.0.1', 80, []);

    expect(port80.hostAllowed(request({ host: '127.0.0.1' }))).toBe(true);
  });

  it('accepts the host of an allowed origin', () => {
    const forwarded = new RequestGuard('127.0.0.1', 8080, ['http://127.0.0.1:9000']);

    expect(forwarded.hostAllowed(request({ host: '127.0.0.1:9000' }))).toBe(true);
  });

  it('accepts IP literals but no names on a wildcard address', () => {
    const wildcard = new RequestGuard('0.0.0.0', 8080, []);

    expect(wildcard.hostAllowed(request({ host: '192.0.2.7:8080' }))).toBe(true);
    expect(wildcard.hostAllowed(request({ host: 'evil.example:8080' }))).toBe(false);
  });
});

describe('RequestGuard.originAllowed', () => {
  const guard = new RequestGuard('127.0.0.1', 8080, ['https://app.example']);

  it.each(['http://127.0.0.1:8080', 'http://LOCALHOST:8080', 'https://app.example', 'https://app.example:443'])(
    'accepts %s',
    (origin) => {
      expect(guard.originAllowed(request({ origin }))).toBe(true);
    },
  );

  it.each(['http://evil.example:8080', 'null', 'https://127.0.0.1:8080', 'not a url'])('rejects %s', (origin) => {
    expect(guard.originAllowed(request({ origin }))).toBe(false);
  });

  it('accepts a request without Origin', () => {
    expect(guard.originAllowed(request({}))).toBe(true);
  });

  it('rejects a rebound name on a wildcard address', () => {
    const wildcard = new RequestGuard('0.0.0.0', 8080, []);

    expect(wildcard.originAllowed(request({ origin: 'http://evil.example:8080', host: 'evil.example:8080' }))).toBe(false);
    expect(wildcard.originAllowed(request({ origin: 'http://192.0.2.7:8080' }))).toBe(true);
  });
});
