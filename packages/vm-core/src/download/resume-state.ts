import { readFile, unlink } from 'node:fs/promises';
import { writeFileAtomic } from '../files/atomic-write.js';

/**
 * The record of a partial download beside its `.part` file, so that a later process continues where it stopped.
 * Only chunks whose bytes were all written are listed.
 */
export interface ResumeState {
  version: 1;
  /** The URL or path of the bytes. A different source starts over. */
  source: string;
  /** The expected file size and SHA-256; a different file starts over. */
  size: number;
  sha256: string;
  /** The chunk size the `completed` indices refer to. */
  chunkSize: number;
  /** Indices of the chunks whose bytes are all in the `.part` file. */
  completed: number[];
}

/**
 * Reads the resume state at `path` and returns its completed chunks when it matches `expected`, or an empty list
 * when it is missing, unreadable or for another file.
 */
export async function readResumeState(path: string, expected: Omit<ResumeState, 'completed' | 'version'>): Promise<number[]> {
  let state: ResumeState;

  try {
    state = JSON.parse(await readFile(path, 'utf8')) as ResumeState;
  } catch {
    return [];
  }

  const matches =
    state.version === 1 &&
    state.source === expected.source &&
    state.size === expected.size &&
    state.sha256.toLowerCase() === expected.sha256.toLowerCase() &&
    state.chunkSize === expected.chunkSize &&
    Array.isArray(state.completed);

  return matches ? state.completed.filter((index) => Number.isInteger(index) && index >= 0) : [];
}

/**
 * Writes the resume state atomically, without flushing it to disk: the state survives the end of the process (also
 * kill -9), and after a power loss the SHA-256 check catches any chunk it lists that did not reach the disk.
 */
export async function writeResumeState(path: string, state: ResumeState): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(state), 0o600, false);
}

/** Removes the resume state; a missing file is fine. */
export async function removeResumeState(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
