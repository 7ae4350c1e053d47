import { readFile } from 'node:fs/promises';

import { writeFileAtomic } from '@deskvm/vm-core';

import { RootfsError } from './errors.js';
import type { RootfsBase } from './rootfs-base.js';

/** The manifest's format version. */
export const MANIFEST_VERSION = 1;

/** The manifest file's name in the cache folder. */
export const MANIFEST_NAME = 'manifest.json';

/** One built file in the manifest. */
export interface RootfsManifestEntry {
  /** The file name in the cache folder, such as `desktop-bookworm-0123456789ab.tar`. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** SHA-256 of the file, 64 lowercase hex digits. */
  sha256: string;
  /** The distribution, suite and mirror the rootfs was bootstrapped from. */
  base: RootfsBase;
  /** When the file was built, as an ISO 8601 time. */
  createdAt: string;
}

/** The cache folder's manifest.json. */
export interface RootfsManifest {
  /** `MANIFEST_VERSION`. */
  version: number;
  /** The built files, one entry per name. */
  files: RootfsManifestEntry[];
}

/** Returns the manifest with `entry` added, replacing an entry of the same name; other entries stay in order. */
export function mergeManifestEntry(manifest: RootfsManifest, entry: RootfsManifestEntry): RootfsManifest {
  return { version: MANIFEST_VERSION, files: [...manifest.files.filter((file) => file.name !== entry.name), entry] };
}

/**
 * Reads a manifest file. A missing file gives an empty manifest. Raises `ROOTFS_ERR_IO` for a file that cannot be
 * read or is not a manifest, naming the file and the fix (delete it, and the cached tarballs are built again).
 */
export async function readManifest(path: string): Promise<RootfsManifest> {
  let text: string;

  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { version: MANIFEST_VERSION, files: [] };
    }

    throw new RootfsError('ROOTFS_ERR_IO', `Could not read the manifest ${path}.`, { cause: error });
  }

  let parsed: unknown;

  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidManifest(path, 'it is not valid JSON', error);
  }

  const record = parsed as Partial<RootfsManifest> | null;

  if (typeof record !== 'object' || record === null || !Array.isArray(record.files) || !record.files.every(isEntry)) {
    throw invalidManifest(path, 'it has no "files" list of {name, size, sha256, base, createdAt}');
  }

  return { version: MANIFEST_VERSION, files: record.files };
}

/** Writes the manifest atomically (a temporary file renamed over the old one), readable by everyone (mode 0644). */
export async function writeManifest(path: string, manifest: RootfsManifest): Promise<void> {
  try {
    await writeFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`, 0o644);
  } catch (error) {
    throw new RootfsError('ROOTFS_ERR_IO', `Could not write the manifest ${path}.`, { cause: error });
  }
}

function isEntry(value: unknown): value is RootfsManifestEntry {
  const entry = value as Partial<RootfsManifestEntry> | null;

  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.name === 'string' &&
    typeof entry.size === 'number' &&
    typeof entry.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(entry.sha256) &&
    typeof entry.base === 'object' &&
    typeof entry.createdAt === 'string'
  );
}

function invalidManifest(path: string, reason: string, cause?: unknown): RootfsError {
  return new RootfsError(
    'ROOTFS_ERR_IO',
    `The manifest ${path} is invalid: ${reason}. Delete it; the next build writes a new one.`,
    cause === undefined ? {} : { cause },
  );
}
