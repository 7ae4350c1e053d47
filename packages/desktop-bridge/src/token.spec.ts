import type { IncomingMessage } from 'node:http';

import { describe, expect, it } from '@jest/globals';

import { generateToken, presentedToken, tokenMatches, tokenProblem } from './token.js';

function request(headers: IncomingMessage['headers']): IncomingMessage {
  return { headers } as IncomingMessage;
}

describe('generateToken', () => {
  it('makes 43 base64url characters', () => {
    const token = generateToken();

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs between calls', () => {
    expect(generateToken()).not.toBe(generateToken());
  });
});

describe('tokenMatches', () => {
  it('accepts the same token', () => {
    expect(tokenMatches('0123456789abcdef', '0123456789abcdef')).toBe(true);
  });

  it('rejects a different token', () => {
    expect(tokenMatches('0123456789abcdef', '0123456789abcdeg')).toBe(false);
  });

  it('rejects a prefix', () => {
    expect(tokenMatches('0123456789abcdef', '0123456789abcde')).toBe(false);
  });

  it('rejects a missing token', () => {
    expect(tokenMatches('0123456789abcdef', undefined)).toBe(false);
  });
});

describe('presentedToken', () => {
  it('reads the token subprotocol', () => {
    const found = presentedToken(request({ 'sec-websocket-protocol': 'deskvm.v1, deskvm.token.abc_DEF-123' }));

    expect(found).toBe('abc_DEF-123');
  });

  it('reads a bearer header', () => {
    expect(presentedToken(request({ authorization: 'Bearer abc' }))).toBe('abc');
  });

  it('reads a lower-case bearer scheme', () => {
    expect(presentedToken(request({ authorization: 'bearer abc' }))).toBe('abc');
  });

  it('ignores other schemes', () => {
    expect(presentedToken(request({ authorization: 'Basic YWJjOmRlZg==' }))).toBeUndefined();
  });

  it('returns undefined without either', () => {
    expect(presentedToken(request({ 'sec-websocket-protocol': 'deskvm.v1' }))).toBeUndefined();
  });
});

describe('tokenProblem', () => {
  it('accepts base64url', () => {
    expect(tokenProblem('Vnoz6HP6V0T7Dcu97qkDN8T2K8U5gAqwGf5M7_3mK1w')).toBeUndefined();
  });

  it.each([
    ['short', 'abc'],
    ['spaces', ' '.repeat(16)],
    ['base64 padding', 'Zm9v+YmFy/YmF6cXV4cXV1eA=='],
    ['a newline', 'abcdefghijklmnop\n'],
  ])('rejects %s', (_name, token) => {
    expect(tokenProblem(token)).toMatch(/^The token is invalid/);
  });

  it.each([
    ['a short token', 'abc', /it has 3 characters/],
    ['a long token', 'a'.repeat(513), /it has 513 characters/],
    ['a space', 'abcdefgh ijklmnop', /character 9 is a space/],
    ['a newline', 'abcdefghijklmnop\n', /character 17 is a control character/],
    ['base64 padding', 'abcdefghijklmnop=', /character 17 is a punctuation mark/],
    ['an accent', 'abcdéfghijklmnop', /character 5 is a non-ASCII character/],
  ])('names %s', (_name, token, message) => {
    expect(tokenProblem(token)).toMatch(message);
  });

  it('never repeats the token', () => {
    const token = 'secret/secret/secret';

    expect(tokenProblem(token)).not.toContain('secret');
  });
});
