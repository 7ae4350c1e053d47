import { describe, expect, it } from '@jest/globals';

import { requestPath } from './request-path.js';

describe('requestPath', () => {
  it.each([
    ['/stream', '/stream'],
    ['/stream?token=x', '/stream'],
    ['http://127.0.0.1:8080/health', '/health'],
    // The WHATWG URL parser resolves encoded dot segments, so nothing can climb above the root.
    ['/%2e%2e/etc/passwd', '/etc/passwd'],
  ])('reads %s as %s', (target, path) => {
    expect(requestPath(target)).toBe(path);
  });

  it.each(['//[', 'http://[/stream'])('rejects %s', (target) => {
    expect(requestPath(target)).toBeUndefined();
  });

  it('rejects a missing target', () => {
    expect(requestPath(undefined)).toBeUndefined();
  });
});
