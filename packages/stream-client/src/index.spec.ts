import { describe, expect, it } from '@jest/globals';

describe('package index', () => {
  it('imports without a DOM', async () => {
    const module = await import('./index.js');

    expect(typeof module.defineDeskvmPlayer).toBe('function');
    expect(typeof module.DeskvmPlayerElement).toBe('function');
  });

  it('rejects define without a DOM', async () => {
    const { defineDeskvmPlayer } = await import('./index.js');

    expect(() => defineDeskvmPlayer()).toThrow(expect.objectContaining({ code: 'CLIENT_ERR_DOM_UNAVAILABLE' }));
  });
});
