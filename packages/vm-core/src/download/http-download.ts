import { createHash } from 'node:crypto';
import { lstat, rename, unlink, type FileHandle } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { VmError, type VmErrorCode } from '../errors.js';
import { createNewFile, openExistingFile } from '../files/no-follow.js';
import type { Logger } from '../logger.js';
import { fetchRange, RangeIgnoredError } from './fetch-range.js';
import type { ManifestFile } from './manifest.js';
import { PrefixHasher, writePiecesFully } from './prefix-hasher.js';
import type { ProgressMeter } from './progress-meter.js';
import { readResumeState, removeResumeState, writeResumeState, type ResumeState } from './resume-state.js';
import { withRetries, type RetryPolicy } from './retry.js';

/**
 * Errors after which the partial file cannot be completed: the server's file differs from the manifest's in size or
 * content, so a later run must start over.
 */
const NON_RESUMABLE_CODES: ReadonlySet<VmErrorCode> = new Set(['VM_ERR_DOWNLOAD_SIZE', 'VM_ERR_CHECKSUM_MISMATCH']);

/** Settings of one file's HTTP download. */
export interface HttpDownloadOptions {
  dispatcher: Dispatcher;
  signal: AbortSignal;
  chunkSizeBytes: number;
  concurrency: number;
  stallTimeoutMs: number;
  retry: RetryPolicy;
  progress: ProgressMeter;
  logger: Logger;
}

/**
 * Downloads `url` into `finalPath` in parallel ranged chunks, resuming from `finalPath.part` and its resume state,
 * hashing while it downloads, then renames the verified file into place. A checksum mismatch removes the partial
 * file and its state and raises `VM_ERR_CHECKSUM_MISMATCH`. A server that ignores Range gets one plain GET instead.
 */
export async function downloadOverHttp(
  url: string,
  file: ManifestFile,
  finalPath: string,
  options: HttpDownloadOptions,
): Promise<void> {
  const partPath = `${finalPath}.part`;
  const statePath = `${finalPath}.part.json`;
  const identity = { source: url, size: file.size, sha256: file.sha256, chunkSize: options.chunkSizeBytes };
  const chunkCount = Math.max(1, Math.ceil(file.size / options.chunkSizeBytes));
  const partSize = await lstat(partPath).then((info) => info.size, () => -1);
  const resumed = partSize === file.size ? await readResumeState(statePath, identity) : [];
  const completed = new Set(resumed.filter((index) => index < chunkCount));
  // Neither call follows a symbolic link, so the download cannot write outside the folder through NAME.part.
  const handle = completed.size > 0 ? await openExistingFile(partPath) : await createNewFile(partPath);
  let wholeFile = false;
  let digest: string;

  try {
    await handle.truncate(file.size);
    options.progress.reset(chunkBytes(completed, file.size, options.chunkSizeBytes));

    if (completed.size > 0) {
      options.logger.info('resuming a download', { url, completedChunks: completed.size, chunkCount });
    }

    digest = await downloadChunks(url, file, partPath, handle, completed, chunkCount, statePath, identity, options).catch(
      async (error: unknown) => {
        if (!(error instanceof RangeIgnoredError)) {
          throw error;
        }

        options.logger.warn('the server ignores Range requests, downloading the whole file in one request', { url });
        wholeFile = true;
        await removeResumeState(statePath);

        return downloadWhole(url, file, handle, options);
      },
    );
    await handle.sync();
  } catch (error) {
    // A later run reuses only the completed chunks of a ranged download, and only while the server's file can still
    // match the manifest. In every other case the partial file is removed rather than left behind as stale state.
    const nonResumable = error instanceof VmError && NON_RESUMABLE_CODES.has(error.code);

    if (wholeFile || completed.size === 0 || nonResumable) {
      await handle.close();
      await unlink(partPath).catch(() => undefined);
      await removeResumeState(statePath);
    }

    throw error;
  } finally {
    await handle.close();
  }

  if (digest !== file.sha256.toLowerCase()) {
    await unlink(partPath).catch(() => undefined);
    await removeResumeState(statePath);

    throw new VmError(
      'VM_ERR_CHECKSUM_MISMATCH',
      `The SHA-256 of ${url} is ${digest}, but the manifest expects ${file.sha256.toLowerCase()}. The download was ` +
        'deleted. Check that the manifest belongs to the files on the server, then download again.',
      { url, diagnostics: { expectedSha256: file.sha256.toLowerCase(), actualSha256: digest } },
    );
  }

  await rename(partPath, finalPath);
  await removeResumeState(statePath);
}

async function downloadChunks(
  url: string,
  file: ManifestFile,
  partPath: string,
  handle: FileHandle,
  completed: Set<number>,
  chunkCount: number,
  statePath: string,
  identity: Omit<ResumeState, 'version' | 'completed'>,
  options: HttpDownloadOptions,
): Promise<string> {
  const hasher = new PrefixHasher(partPath);
  const pending = Array.from({ length: chunkCount }, (_, index) => index).filter((index) => !completed.has(index));
  const workers = new AbortController();
  const signal = AbortSignal.any([options.signal, workers.signal]);
  let stateWrites: Promise<void> = Promise.resolve();

  hasher.advanceTo(prefixEnd(completed, chunkCount, file.size, options.chunkSizeBytes));

  let failure: { error: unknown } | undefined;

  const worker = async (): Promise<void> => {
    try {
      for (let index = pending.shift(); index !== undefined; index = pending.shift()) {
        await fetchChunk(url, file, handle, index, signal, options);
        completed.add(index);

        const state: ResumeState = { version: 1, ...identity, completed: [...completed].sort((a, b) => a - b) };

        stateWrites = stateWrites.then(() => writeResumeState(statePath, state));
        hasher.advanceTo(prefixEnd(completed, chunkCount, file.size, options.chunkSizeBytes));
      }
    } catch (error) {
      // The first failure stops the other workers; their abort errors are not what the caller needs to see.
      failure ??= { error };
      workers.abort();
    }
  };

  await Promise.all(Array.from({ length: Math.min(options.concurrency, pending.length) }, worker));
  await stateWrites;

  if (failure !== undefined) {
    await hasher.close();

    throw failure.error;
  }

  return hasher.digest(file.size);
}

async function fetchChunk(
  url: string,
  file: ManifestFile,
  handle: FileHandle,
  index: number,
  signal: AbortSignal,
  options: HttpDownloadOptions,
): Promise<void> {
  const start = index * options.chunkSizeBytes;
  const end = Math.min(file.size, start + options.chunkSizeBytes) - 1;
  let next = start;

  if (end < start) {
    return;
  }

  await withRetries(
    url,
    options.retry,
    signal,
    () =>
      fetchRange(url, next, end, {
        dispatcher: options.dispatcher,
        signal,
        stallTimeoutMs: options.stallTimeoutMs,
        fileSize: file.size,
        write: async (pieces, position) => {
          const length = byteLength(pieces);

          await writePiecesFully(handle, pieces, position);
          next = position + length;
          options.progress.add(length);
        },
      }),
    (error, attempt, delayMs) => {
      options.logger.warn('retrying a chunk', { url, chunk: index, attempt, delayMs, error: error.message });
      options.progress.setStatus('retrying');
      options.progress.setStatus('downloading');
    },
  );
}

async function downloadWhole(url: string, file: ManifestFile, handle: FileHandle, options: HttpDownloadOptions): Promise<string> {
  let hash = createHash('sha256');
  let expected = 0;

  await withRetries(
    url,
    options.retry,
    options.signal,
    () => {
      // The server cannot resume, so every attempt starts from the first byte.
      hash = createHash('sha256');
      expected = 0;
      options.progress.reset(0);

      return fetchRange(url, 0, file.size - 1, {
        dispatcher: options.dispatcher,
        signal: options.signal,
        stallTimeoutMs: options.stallTimeoutMs,
        fileSize: file.size,
        write: async (pieces, position) => {
          if (position !== expected) {
            throw new Error(`Out-of-order body piece at ${position}, expected ${expected}.`);
          }

          const length = byteLength(pieces);

          await writePiecesFully(handle, pieces, position);
          pieces.forEach((piece) => hash.update(piece));
          expected += length;
          options.progress.add(length);
        },
      });
    },
    (error, attempt, delayMs) => {
      options.logger.warn('retrying a download from the start', { url, attempt, delayMs, error: error.message });
      options.progress.setStatus('retrying');
    },
  );

  return hash.digest('hex');
}

function byteLength(pieces: readonly Buffer[]): number {
  return pieces.reduce((sum, piece) => sum + piece.length, 0);
}

function prefixEnd(completed: Set<number>, chunkCount: number, size: number, chunkSize: number): number {
  let index = 0;

  while (index < chunkCount && completed.has(index)) {
    index += 1;
  }

  return Math.min(size, index * chunkSize);
}

function chunkBytes(completed: Set<number>, size: number, chunkSize: number): number {
  let bytes = 0;

  for (const index of completed) {
    bytes += Math.max(0, Math.min(size, (index + 1) * chunkSize) - index * chunkSize);
  }

  return bytes;
}
