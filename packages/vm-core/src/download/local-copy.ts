import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { VmError } from '../errors.js';
import { createNewFile } from '../files/no-follow.js';
import type { ManifestFile } from './manifest.js';
import { writeFully } from './prefix-hasher.js';
import type { ProgressMeter } from './progress-meter.js';

/**
 * Copies a local file named by the manifest into `finalPath`, hashing it on the way, and renames it into place only
 * when size and SHA-256 match. On a mismatch the copy is removed and `VM_ERR_DOWNLOAD_SIZE` or
 * `VM_ERR_CHECKSUM_MISMATCH` raised, naming the path.
 */
export async function copyLocalFile(
  sourcePath: string,
  file: ManifestFile,
  finalPath: string,
  progress: ProgressMeter,
  signal: AbortSignal,
): Promise<void> {
  const info = await stat(sourcePath).catch((error: unknown) => {
    throw new VmError('VM_ERR_IO', `The image file ${sourcePath} could not be read. Check the manifest's base_url.`, {
      url: sourcePath,
      cause: error,
    });
  });

  if (info.size !== file.size) {
    throw new VmError(
      'VM_ERR_DOWNLOAD_SIZE',
      `The file ${sourcePath} has ${info.size} bytes, but the manifest says ${file.size}. Use the manifest of the same release.`,
      { url: sourcePath },
    );
  }

  const partPath = `${finalPath}.part`;
  const hash = createHash('sha256');
  const handle = await createNewFile(partPath);
  let position = 0;

  progress.reset(0);

  try {
    for await (const piece of createReadStream(sourcePath, { signal, highWaterMark: 4 * 1024 * 1024 }) as AsyncIterable<Buffer>) {
      hash.update(piece);
      await writeFully(handle, piece, position);
      position += piece.length;
      progress.add(piece.length);
    }

    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(partPath).catch(() => undefined);

    throw error;
  }

  await handle.close();

  const digest = hash.digest('hex');

  if (digest !== file.sha256.toLowerCase()) {
    await unlink(partPath).catch(() => undefined);

    throw new VmError(
      'VM_ERR_CHECKSUM_MISMATCH',
      `The SHA-256 of ${sourcePath} is ${digest}, but the manifest expects ${file.sha256.toLowerCase()}. Nothing was ` +
        'copied. Check that the manifest belongs to these files.',
      { url: sourcePath, diagnostics: { expectedSha256: file.sha256.toLowerCase(), actualSha256: digest } },
    );
  }

  await rename(partPath, finalPath);
}
