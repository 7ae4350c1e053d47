import { isVmError, type VmError } from '@deskvm/vm-core';

/** Arguments that a shell would change: each must reach the command byte for byte. */
export const HOSTILE_ARGUMENTS = [
  'single \' quote',
  'double " quote',
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  'line one\nline two',
  'naïve 日本語 🙂',
  '',
  '; rm -rf / #',
  '$HOME ${PATH} *',
  '-n',
];

/** Returns the VmError that `promise` rejects with; raises when it resolves or rejects with something else. */
export async function vmRejection(promise: Promise<unknown>): Promise<VmError> {
  const outcome = await promise.then(() => new Error('The promise resolved, but a VmError was expected.'), (error: unknown) => error);

  if (!isVmError(outcome)) {
    throw outcome;
  }

  return outcome;
}
