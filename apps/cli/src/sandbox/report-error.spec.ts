import { describe, expect, it } from '@jest/globals';

import { RootfsError } from '@deskvm/rootfs';
import { VmError } from '@deskvm/vm-core';
import { NativeError } from '@deskvm/vm-native';

import { CliError } from '../errors.js';
import { EXIT } from './exit-codes.js';
import { exitStatusOf, interruptedOr } from './report-error.js';

describe('exitStatusOf', () => {
  it.each([
    [new NativeError('NATIVE_ERR_ENGINE_UNREACHABLE', 'no engine'), EXIT.engine],
    [new NativeError('NATIVE_ERR_ENGINE_PERMISSION', 'denied'), EXIT.engine],
    [new NativeError('NATIVE_ERR_IMAGE', 'pull failed'), EXIT.image],
    [new RootfsError('ROOTFS_ERR_NOT_ROOT', 'not root'), EXIT.image],
    [new VmError('VM_ERR_STAGE_FAILED', 'stage', { stage: 'container' }), EXIT.stage],
    [new VmError('VM_ERR_LOCKED', 'locked'), EXIT.locked],
    [new CliError('CLI_ERR_NOT_RUNNING', 'down'), EXIT.notRunning],
    [new CliError('CLI_ERR_INTERRUPTED', 'ctrl+c'), EXIT.interrupted],
    [new VmError('VM_ERR_BACKEND', 'other'), EXIT.failure],
    [new Error('plain'), EXIT.failure],
    ['a string', EXIT.failure],
  ])('maps %p', (error, status) => {
    expect(exitStatusOf(error)).toBe(status);
  });
});

describe('interruptedOr', () => {
  it('turns an error after an abort into an interruption', () => {
    const controller = new AbortController();
    controller.abort();
    const error = interruptedOr(new Error('aborted inside'), controller.signal);

    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('CLI_ERR_INTERRUPTED');
  });

  it('keeps the error without an abort', () => {
    const original = new Error('real failure');

    expect(interruptedOr(original, new AbortController().signal)).toBe(original);
  });
});
