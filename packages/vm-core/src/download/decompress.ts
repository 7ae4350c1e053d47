import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { VmError } from '../errors.js';
import type { ManifestFile } from './manifest.js';

export { decompressedName } from './manifest.js';

/**
 * Decompresses a verified gzip file into `targetPath` through a temporary file and a rename, and checks
 * `decompressed_size` when the manifest gives it. Raises `VM_ERR_DOWNLOAD_SIZE` on a size mismatch.
 */
export async function gunzipFile(file: ManifestFile, sourcePath: string, targetPath: string, signal: AbortSignal): Promise<void> {
  const partPath = `${targetPath}.part`;

  try {
    await pipeline(createReadStream(sourcePath), createGunzip(), createWriteStream(partPath, { mode: 0o600 }), { signal });

    const size = (await stat(partPath)).size;

    if (file.decompressed_size !== undefined && size !== file.decompressed_size) {
      throw new VmError(
        'VM_ERR_DOWNLOAD_SIZE',
        `${file.name} decompresses to ${size} bytes, but the manifest says ${file.decompressed_size}.`,
        { url: sourcePath },
      );
    }
  } catch (error) {
    await unlink(partPath).catch(() => undefined);

    throw error instanceof VmError
      ? error
      : new VmError('VM_ERR_IO', `Decompressing ${sourcePath} failed: ${(error as Error).message}.`, { cause: error });
  }

  await rename(partPath, targetPath);
}
