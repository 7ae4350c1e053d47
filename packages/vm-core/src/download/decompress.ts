import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import { VmError } from '../errors.js';
import type { ManifestFile } from './manifest.js';
import { createZstdDecompressor } from './zstd-decompressor.js';

export { decompressedName } from './manifest.js';

/** The compressions that {@link decompressFile} reads. */
export type Compression = 'gzip' | 'zstd';

/** Whether a manifest file is compressed, so that the download also writes its decompressed copy. */
export function isCompressed(file: Pick<ManifestFile, 'compression'>): file is { compression: Compression } {
  return file.compression === 'gzip' || file.compression === 'zstd';
}

/**
 * Decompresses a verified gzip or zstd file into `targetPath` through a temporary file and a rename, and checks
 * `decompressed_size` when the manifest gives it. Raises `VM_ERR_DOWNLOAD_SIZE` on a size mismatch and `VM_ERR_IO`
 * on corrupt or truncated input, and leaves no partial file behind.
 */
export async function decompressFile(
  file: ManifestFile & { compression: Compression },
  sourcePath: string,
  targetPath: string,
  signal: AbortSignal,
): Promise<void> {
  const partPath = `${targetPath}.part`;
  const decompressor = file.compression === 'gzip' ? createGunzip() : createZstdDecompressor();

  try {
    await pipeline(createReadStream(sourcePath), decompressor, createWriteStream(partPath, { mode: 0o600 }), { signal });

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
