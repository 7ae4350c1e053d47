import { createReadStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import { VmError } from '../errors.js';
import { createNewFile } from '../files/no-follow.js';
import type { ManifestFile } from './manifest.js';
import { createZstdDecompressor, OutputLimitError } from './zstd-decompressor.js';

export { decompressedName } from './manifest.js';

/** The compressions that {@link decompressFile} reads. */
export type Compression = 'gzip' | 'zstd';

/** Whether a manifest file is compressed, so that the download also writes its decompressed copy. */
export function isCompressed(file: Pick<ManifestFile, 'compression'>): file is { compression: Compression } {
  return file.compression === 'gzip' || file.compression === 'zstd';
}

/**
 * Decompresses a verified gzip or zstd file into `targetPath` through a temporary file and a rename. Decompressing
 * stops as soon as the output passes `decompressed_size`, or `freeBytes` when the manifest does not give that size,
 * so a small file cannot expand without bound. Raises `VM_ERR_DOWNLOAD_SIZE` when the output size differs from
 * `decompressed_size`, `VM_ERR_NO_SPACE` when it passes `freeBytes`, and `VM_ERR_IO` on corrupt or truncated input.
 * Leaves no partial file behind.
 */
export async function decompressFile(
  file: ManifestFile & { compression: Compression },
  sourcePath: string,
  targetPath: string,
  signal: AbortSignal,
  freeBytes = Number.MAX_SAFE_INTEGER,
): Promise<void> {
  const partPath = `${targetPath}.part`;
  const limit = file.decompressed_size ?? freeBytes;
  const decompressor = file.compression === 'gzip' ? createGunzip() : createZstdDecompressor(limit);
  let size = 0;

  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;

      if (size > limit) {
        callback(outputTooLarge(file, sourcePath, targetPath, limit));
      } else {
        callback(null, chunk);
      }
    },
  });

  const output = await createNewFile(partPath);

  try {
    // The write stream closes the handle when it finishes or fails.
    await pipeline(createReadStream(sourcePath), decompressor, limiter, output.createWriteStream(), { signal });

    if (file.decompressed_size !== undefined && size !== file.decompressed_size) {
      throw new VmError(
        'VM_ERR_DOWNLOAD_SIZE',
        `${file.name} decompresses to ${size} bytes, but the manifest says ${file.decompressed_size}.`,
        { url: sourcePath },
      );
    }
  } catch (error) {
    await unlink(partPath).catch(() => undefined);

    if (error instanceof OutputLimitError) {
      throw outputTooLarge(file, sourcePath, targetPath, limit);
    }

    throw error instanceof VmError
      ? error
      : new VmError('VM_ERR_IO', `Decompressing ${sourcePath} failed: ${(error as Error).message}.`, { cause: error });
  }

  await rename(partPath, targetPath);
}

function outputTooLarge(file: ManifestFile, sourcePath: string, targetPath: string, limit: number): VmError {
  if (file.decompressed_size !== undefined) {
    return new VmError(
      'VM_ERR_DOWNLOAD_SIZE',
      `${file.name} decompresses to more than ${limit} bytes, but the manifest's decompressed_size is ${limit}. ` +
        'Decompressing stopped there and the copy was removed. Check that the manifest belongs to this file.',
      { url: sourcePath },
    );
  }

  return new VmError(
    'VM_ERR_NO_SPACE',
    `${file.name} decompresses to more than the ${limit} bytes that are free for ${targetPath}. Decompressing ` +
      'stopped there and the copy was removed. Free some space, or give decompressed_size in the manifest so that ' +
      'the space is checked before the download.',
    { url: sourcePath },
  );
}
