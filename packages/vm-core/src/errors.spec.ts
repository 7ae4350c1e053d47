import { describe, expect, it } from '@jest/globals';
import { isVmError, VmError } from './errors.js';

describe('VmError', () => {
  it('keeps the code, cause and fields', () => {
    const cause = new Error('connection refused');
    const error = new VmError('VM_ERR_STAGE_FAILED', 'The readiness stage "engine" did not pass.', {
      cause,
      stage: 'engine',
      diagnostics: { logTail: 'dockerd: starting' },
    });

    expect(error.name).toBe('VmError');
    expect(error.code).toBe('VM_ERR_STAGE_FAILED');
    expect(error.cause).toBe(cause);
    expect(error.stage).toBe('engine');
    expect(isVmError(error, 'VM_ERR_STAGE_FAILED')).toBe(true);
    expect(isVmError(error, 'VM_ERR_LOCKED')).toBe(false);
    expect(isVmError(cause)).toBe(false);
  });

  it('serialises only the fields that are set', () => {
    const error = new VmError('VM_ERR_CHECKSUM_MISMATCH', 'The SHA-256 differs.', { url: 'http://127.0.0.1:1/a' });

    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'VmError',
      code: 'VM_ERR_CHECKSUM_MISMATCH',
      message: 'The SHA-256 differs.',
      url: 'http://127.0.0.1:1/a',
    });
  });
});
