import { VmError } from '../errors.js';

/** The numeric options of `downloadImage`, with the smallest value each accepts. */
const LOWER_BOUNDS = {
  chunkSizeBytes: 1,
  concurrency: 1,
  stallTimeoutMs: 1,
  maxAttempts: 1,
  retryBaseDelayMs: 0,
  retryMaxDelayMs: 0,
  reserveBytes: 0,
} as const;

/**
 * Raises `VM_ERR_INVALID_ARGUMENT` naming the option and its value when a numeric option of `downloadImage` is not a
 * safe integer at or above its lower bound. Unchecked, concurrency 0 would download nothing and then report a checksum
 * mismatch, and chunkSizeBytes 0 would fail with a bare RangeError.
 */
export function checkDownloadOptions(options: Partial<Record<keyof typeof LOWER_BOUNDS, number>>): void {
  for (const [name, minimum] of Object.entries(LOWER_BOUNDS)) {
    const value = options[name as keyof typeof LOWER_BOUNDS];

    if (value === undefined || (Number.isSafeInteger(value) && value >= minimum)) {
      continue;
    }

    throw new VmError(
      'VM_ERR_INVALID_ARGUMENT',
      `Invalid download option ${name} ${String(value)}: pass an integer of at least ${minimum}, or leave it out.`,
    );
  }
}
