import { StreamError } from '../src/errors.js';

/** Runs `action` and returns the StreamError it throws; fails when it throws nothing or another error. */
export function streamErrorOf(action: () => unknown): StreamError {
  try {
    action();
  } catch (error) {
    if (error instanceof StreamError) {
      return error;
    }

    throw error;
  }

  throw new Error('expected a StreamError, but nothing was thrown');
}
