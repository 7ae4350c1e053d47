import { readFileSync } from 'node:fs';

/** Converts a hex literal (spaces allowed) to bytes. */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, '');

  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

/** Converts bytes to a lowercase hex string without spaces. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Returns a seeded pseudo-random generator of floats in [0, 1) (mulberry32), so random tests repeat exactly.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;

    let mixed = Math.imul(state ^ (state >>> 15), state | 1);

    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * The H.264 case files, in the `shared/cases/h264` folder beside the repository root. The path is resolved from this
 * file, so it works wherever the repository is cloned.
 */
export const CASES_DIRECTORY = new URL('../../../../shared/cases/h264/', import.meta.url);

/** Reads one H.264 case file. */
export function readCase(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, CASES_DIRECTORY)));
}
