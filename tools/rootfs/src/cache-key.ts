import { createHash } from 'node:crypto';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

import type { RootfsBase } from './rootfs-base.js';

/** Everything that changes the content of a desktop rootfs, and so its cache key. */
export interface RootfsInputs {
  /** The build recipe's version, `BUILDER_VERSION`. */
  builderVersion: number;
  /** The distribution, suite, mirror and components. */
  base: RootfsBase;
  /** The packages installed in the second step, in any order. */
  packages: readonly string[];
  /** The SHA-256 (hex) of the bundle folder, from `hashFolder`. */
  bundleSha256: string;
}

/** Returns the first 12 hex digits of the SHA-256 of the inputs, with the package list sorted and deduplicated. */
export function cacheKey(inputs: RootfsInputs): string {
  const canonical = JSON.stringify({
    builderVersion: inputs.builderVersion,
    base: {
      distribution: inputs.base.distribution,
      suite: inputs.base.suite,
      mirror: inputs.base.mirror,
      components: [...inputs.base.components].sort(),
    },
    packages: [...new Set(inputs.packages)].sort(),
    bundleSha256: inputs.bundleSha256,
  });

  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

/**
 * Returns the SHA-256 (hex) of a folder's files: each relative path, whether it is executable, and its content, in
 * sorted path order. Symbolic links are hashed by their target text. Empty folders do not count.
 */
export async function hashFolder(folder: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = (await readdir(folder, { recursive: true, withFileTypes: true }))
    .map((entry) => ({ entry, path: relative(folder, join(entry.parentPath, entry.name)) }))
    .sort((a, b) => compareText(a.path, b.path));

  for (const { entry, path } of entries) {
    const absolute = join(folder, path);

    if (entry.isFile()) {
      const executable = ((await stat(absolute)).mode & 0o111) !== 0;

      hash.update(`file ${path} ${executable ? 'x' : '-'}\n`);
      hash.update(await readFile(absolute));
      hash.update('\n');
    } else if (entry.isSymbolicLink()) {
      hash.update(`link ${path} ${await readlink(absolute)}\n`);
    }
  }

  return hash.digest('hex');
}

// Compares by UTF-16 code units, which unlike localeCompare gives the same order on every machine.
function compareText(a: string, b: string): number {
  if (a === b) {
    return 0;
  }

  return a < b ? -1 : 1;
}
