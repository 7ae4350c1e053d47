import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';

import type { RootfsProgress } from './progress.js';
import { runStep } from './run-step.js';

/** Bytes hashed between two `checksum` progress reports: 64 MiB. */
const CHECKSUM_REPORT_BYTES = 64 * 1024 * 1024;

/**
 * Writes the rootfs at `target` to the tar file `tarPath`. tar runs from inside the target, so member names have no
 * leading `/` or `./`. Owners are numeric (the image's users are not the host's), names sorted, and tar does not
 * cross into other file systems. Raises `ROOTFS_ERR_IO` with tar's output when tar fails.
 */
export async function archiveRootfs(target: string, tarPath: string, signal?: AbortSignal): Promise<void> {
  const members = (await readdir(target)).sort();

  await runStep(['tar', '--create', `--file=${tarPath}`, '--numeric-owner', '--one-file-system', '--sort=name', '-C', target, '--', ...members], {
    what: `tar of ${target}`,
    code: 'ROOTFS_ERR_IO',
    fix: 'Check the free space of the cache folder, and read the log tail.',
    ...(signal === undefined ? {} : { signal }),
  });
}

/** Returns the SHA-256 (hex) and size of a file, reporting `checksum` progress in bytes every 64 MiB. */
export async function hashFile(
  path: string,
  onProgress?: (progress: RootfsProgress) => void,
  signal?: AbortSignal,
): Promise<{ sha256: string; size: number }> {
  const { size } = await stat(path);
  const hash = createHash('sha256');
  let done = 0;
  let reported = 0;

  for await (const chunk of createReadStream(path, signal === undefined ? {} : { signal })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;

    if (done - reported >= CHECKSUM_REPORT_BYTES) {
      reported = done;
      onProgress?.({ phase: 'checksum', done, total: size });
    }
  }

  onProgress?.({ phase: 'checksum', done, total: size });

  return { sha256: hash.digest('hex'), size: done };
}
