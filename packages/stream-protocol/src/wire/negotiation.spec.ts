import { describe, expect, it } from '@jest/globals';
import { offeredVersionSubprotocols, selectProtocolVersion, versionSubprotocol } from './negotiation.js';

describe('selectProtocolVersion', () => {
  it('picks highest common version', () => {
    expect(selectProtocolVersion(['deskvm.v1', 'deskvm.v2', 'deskvm.token.abc'])).toBe(2);
  });

  it('picks version 1 for old clients', () => {
    expect(selectProtocolVersion(['deskvm.v1', 'deskvm.token.abc'])).toBe(1);
  });

  it('ignores unsupported versions', () => {
    expect(selectProtocolVersion(['deskvm.v9', 'deskvm.v1'])).toBe(1);
  });

  it('returns undefined without match', () => {
    expect(selectProtocolVersion(['deskvm.v9', 'deskvm.token.v2'])).toBeUndefined();
  });

  it('rejects padded version numbers', () => {
    expect(selectProtocolVersion(['deskvm.v02', 'deskvm.v2.0', 'deskvm.v+2'])).toBeUndefined();
  });
});

describe('offeredVersionSubprotocols', () => {
  it('lists newest first', () => {
    expect(offeredVersionSubprotocols()).toEqual(['deskvm.v2', 'deskvm.v1']);
  });

  it('round-trips through selection', () => {
    expect(selectProtocolVersion(offeredVersionSubprotocols())).toBe(2);
    expect(versionSubprotocol(2)).toBe('deskvm.v2');
  });
});
