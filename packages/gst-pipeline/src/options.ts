import { PipelineError } from './errors.js';

/** The maximum delay of Node's timers, in ms. Node runs a larger delay after 1 ms instead. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Returns `value`, or `fallback` when it is undefined, after checking that it is an integer from `min` to `max`.
 *
 * @throws PipelineError `PIPELINE_ERR_INVALID_OPTION` naming the option and its value
 */
export function integerOption(name: string, value: number | undefined, fallback: number, min: number, max = MAX_TIMER_MS): number {
  const resolved = value ?? fallback;

  if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved < min || resolved > max) {
    throw new PipelineError(
      'PIPELINE_ERR_INVALID_OPTION',
      `Invalid ${name} ${typeof resolved === 'string' ? JSON.stringify(resolved) : String(resolved)}: pass an integer from ${min} to ${max}.`,
    );
  }

  return resolved;
}
