import { describe, expect, it } from '@jest/globals';
import { streamErrorOf } from '../../test/errors.js';
import { codecString } from './codec-string.js';

describe('codecString', () => {
  it('pads each byte to two digits', () => {
    const codec = codecString({ profileIdc: 0x42, constraintFlags: 0x00, levelIdc: 12 });

    expect(codec).toBe('avc1.42000c');
  });

  it('writes lowercase hex', () => {
    const codec = codecString({ profileIdc: 244, constraintFlags: 0xc0, levelIdc: 51 });

    expect(codec).toBe('avc1.f4c033');
  });

  it('rejects value above 255', () => {
    const error = streamErrorOf(() => codecString({ profileIdc: 256, constraintFlags: 0, levelIdc: 30 }));

    expect(error.code).toBe('STREAM_ERR_INVALID_FIELD');
    expect(error.message).toContain('profileIdc 256');
  });
});
