import { describe, expect, it } from '@jest/globals';

import { describeClose, isTerminalCloseCode } from './close-codes.js';

describe('describeClose', () => {
  it.each([
    [4001, 'CLIENT_ERR_AUTH_FAILED', /session token/],
    [4002, 'CLIENT_ERR_UNSUPPORTED_VERSION', /Update the client or the bridge/],
    [4003, 'CLIENT_ERR_SUPERSEDED', /same client id/],
    [1006, 'CLIENT_ERR_CONNECTION_CLOSED', /Check that the bridge runs/],
    [1001, 'CLIENT_ERR_CONNECTION_CLOSED', /code 1001/],
  ])('maps close code %i', (code, errorCode, message) => {
    const described = describeClose(code, '');

    expect(described.code).toBe(errorCode);
    expect(described.message).toMatch(message);
  });

  it('quotes the close reason', () => {
    expect(describeClose(4002, 'server speaks 2').message).toContain('(close code 4002, reason "server speaks 2")');
  });
});

describe('isTerminalCloseCode', () => {
  it.each([
    [4001, true],
    [4002, true],
    [4003, true],
    [1000, false],
    [1001, false],
    [1006, false],
    [1009, false],
  ])('classifies %i', (code, terminal) => {
    expect(isTerminalCloseCode(code)).toBe(terminal);
  });
});
