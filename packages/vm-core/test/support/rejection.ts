import { VmError } from '../../src/index.js';

/** Resolves with the `VmError` that `promise` rejects with; fails when it resolves or rejects with something else. */
export async function rejection(promise: Promise<unknown>): Promise<VmError> {
  const outcome = await promise.then(
    () => new Error('The promise resolved, but a VmError was expected.'),
    (error: unknown) => error,
  );

  if (!(outcome instanceof VmError)) {
    throw outcome instanceof Error ? outcome : new Error(String(outcome));
  }

  return outcome;
}
