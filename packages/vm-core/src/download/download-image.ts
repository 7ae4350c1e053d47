import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readFile, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import { VmError } from '../errors.js';
import type { DownloadProgressEvent } from '../events.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { rejectNonRegularFile } from '../files/no-follow.js';
import { VmLock } from '../lock/vm-lock.js';
import { silentLogger, type Logger } from '../logger.js';
import { createProcessInspector, type ProcessInspector } from '../process/process-inspector.js';
import { checkDownloadOptions } from './check-options.js';
import { decompressedName, decompressFile, isCompressed } from './decompress.js';
import { downloadOverHttp } from './http-download.js';
import { copyLocalFile } from './local-copy.js';
import {
  DOWNLOAD_LOCK_NAME,
  IMAGE_RECORD_NAME,
  isLocalBaseUrl,
  parseManifest,
  resolveFileSource,
  type ImageManifest,
  type ManifestFile,
} from './manifest.js';
import { ProgressMeter } from './progress-meter.js';
import { createProxyDispatcher } from './proxy-dispatcher.js';
import { readResumeState } from './resume-state.js';

export { DOWNLOAD_LOCK_NAME, IMAGE_RECORD_NAME };

/** Free space that a download leaves on the file system by default: 1 GiB. */
const DEFAULT_RESERVE_BYTES = 1024 * 1024 * 1024;

/** Free space figures of a file system, as `fs.statfs` returns them. */
export interface FileSystemSpace {
  /** Blocks available to unprivileged users. */
  bavail: number | bigint;
  /** Block size in bytes. */
  bsize: number | bigint;
}

/** Options of `downloadImage`. */
export interface DownloadImageOptions {
  /** The folder that receives the files and, when all are verified, `image.json`. Created when missing. */
  directory: string;
  /** Aborting stops the download. Completed chunks stay for a later resume. */
  signal?: AbortSignal;
  /** Bytes per ranged request. Default 8 MiB. */
  chunkSizeBytes?: number;
  /** Parallel ranged requests per file. Default 4. */
  concurrency?: number;
  /** A request with no bytes for this many milliseconds is abandoned and retried. Default 30000. */
  stallTimeoutMs?: number;
  /** Attempts per chunk, the first included. Default 8. */
  maxAttempts?: number;
  /** Pause before the first retry in milliseconds, doubling up to `retryMaxDelayMs`. Default 500. */
  retryBaseDelayMs?: number;
  /** Upper bound on the pause between retries in milliseconds. Default 15000. */
  retryMaxDelayMs?: number;
  /** Free space to leave on the file system beyond the download, in bytes. Default 1 GiB. */
  reserveBytes?: number;
  /** Reads free space; default `fs.promises.statfs`. Tests inject their own. */
  statfs?: (path: string) => Promise<FileSystemSpace>;
  /** Environment for `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The undici dispatcher; default one made by `createProxyDispatcher(env)`. */
  dispatcher?: Dispatcher;
  /**
   * Lets a manifest whose `base_url` is a local path or a `file://` URL copy local files. Default false, because a
   * manifest from elsewhere could otherwise copy any readable file into the image folder, or learn whether a local
   * file has a given SHA-256. Set it only for a manifest that the caller loaded from a local file it trusts.
   */
  allowLocalFiles?: boolean;
  /** A relative local `base_url` is taken from this folder. Default the current directory. */
  relativeTo?: string;
  /** Receives progress events: bytes, speed and ETA per file. */
  onProgress?: (event: DownloadProgressEvent) => void;
  /** Receives resumes, retries and fallbacks. Default silent. */
  logger?: Logger;
  /** Reads process start times for the folder's download lock. Default `createProcessInspector()`. */
  inspector?: ProcessInspector;
}

/**
 * Downloads every file of the manifest into `options.directory`, verifies each SHA-256, decompresses gzip files,
 * and writes `image.json` last, so an image counts as installed only when every file is verified. Checks free space
 * first and raises `VM_ERR_NO_SPACE` with the figures. Files already present and verified are kept. A lock file in
 * the folder makes a second process that downloads into it at the same time fail with `VM_ERR_LOCKED`.
 */
export async function downloadImage(rawManifest: unknown, options: DownloadImageOptions): Promise<ImageManifest> {
  const manifest = parseManifest(rawManifest);

  checkDownloadOptions(options);

  if (isLocalBaseUrl(manifest.base_url) && options.allowLocalFiles !== true) {
    throw new VmError(
      'VM_ERR_INVALID_MANIFEST',
      `The manifest's base_url ${JSON.stringify(manifest.base_url)} names local files, which downloadImage copies only ` +
        'with the option allowLocalFiles: true. Pass that option only for a manifest loaded from a local file you ' +
        'trust, or use an http:// or https:// base_url.',
    );
  }

  await mkdir(options.directory, { recursive: true });

  const lock = new VmLock(join(options.directory, DOWNLOAD_LOCK_NAME), options.inspector ?? (await createProcessInspector()));

  await lock.acquire('download');

  try {
    return await downloadLocked(manifest, options);
  } finally {
    await lock.release();
  }
}

async function downloadLocked(manifest: ImageManifest, options: DownloadImageOptions): Promise<ImageManifest> {
  const signal = options.signal ?? new AbortController().signal;
  const logger = options.logger ?? silentLogger;
  const chunkSizeBytes = options.chunkSizeBytes ?? 8 * 1024 * 1024;
  const recordPath = join(options.directory, IMAGE_RECORD_NAME);

  await rejectPlantedFiles(manifest, options.directory);
  await unlink(recordPath).catch(() => undefined);
  await checkFreeSpace(manifest, options, chunkSizeBytes);

  const dispatcher = options.dispatcher ?? createProxyDispatcher(options.env);

  try {
    for (const file of manifest.files) {
      const finalPath = join(options.directory, file.name);
      const progress = new ProgressMeter(file.name, file.size, 0, options.onProgress ?? (() => undefined));

      if (await isVerified(finalPath, file, progress)) {
        logger.info('the file is already downloaded and verified', { file: file.name });
      } else {
        await fetchFile(manifest, file, finalPath, progress, { ...options, dispatcher, chunkSizeBytes, signal, logger });
      }

      if (isCompressed(file)) {
        // Without decompressed_size the free-space check counted only the compressed size, so the output is bounded
        // by the space that is free now, less the reserve.
        let freeBytes: number | undefined;

        if (file.decompressed_size === undefined) {
          freeBytes = Math.max(0, (await availableBytes(options)) - (options.reserveBytes ?? DEFAULT_RESERVE_BYTES));
        }

        progress.setStatus('verifying');
        await decompressFile(file, finalPath, join(options.directory, decompressedName(file)), signal, freeBytes);
      }

      progress.setStatus('complete');
    }
  } finally {
    if (options.dispatcher === undefined) {
      await dispatcher.close();
    }
  }

  await writeFileAtomic(recordPath, `${JSON.stringify(manifest, null, 2)}\n`);

  return manifest;
}

/** Returns the manifest of the verified image registered in `directory`, or undefined when none is complete. */
export async function readInstalledImage(directory: string): Promise<ImageManifest | undefined> {
  try {
    return parseManifest(JSON.parse(await readFile(join(directory, IMAGE_RECORD_NAME), 'utf8')));
  } catch {
    return undefined;
  }
}

type FetchOptions = DownloadImageOptions & { dispatcher: Dispatcher; chunkSizeBytes: number; signal: AbortSignal; logger: Logger };

async function fetchFile(
  manifest: ImageManifest,
  file: ManifestFile,
  finalPath: string,
  progress: ProgressMeter,
  options: FetchOptions,
): Promise<void> {
  const source = resolveFileSource(manifest, file, options.relativeTo);

  progress.setStatus('downloading');

  if (source.kind === 'local') {
    await copyLocalFile(source.path, file, finalPath, progress, options.signal);

    return;
  }

  await downloadOverHttp(source.url, file, finalPath, {
    dispatcher: options.dispatcher,
    signal: options.signal,
    chunkSizeBytes: options.chunkSizeBytes,
    concurrency: options.concurrency ?? 4,
    stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
    retry: {
      maxAttempts: options.maxAttempts ?? 8,
      baseDelayMs: options.retryBaseDelayMs ?? 500,
      maxDelayMs: options.retryMaxDelayMs ?? 15_000,
    },
    progress,
    logger: options.logger,
  });
}

/**
 * Raises `VM_ERR_IO` when a file that the download writes or renames into place already exists as a symbolic link or
 * another non-regular file, before anything in the folder changes. Opening files with O_NOFOLLOW or O_EXCL later
 * covers a link planted after this check.
 */
async function rejectPlantedFiles(manifest: ImageManifest, directory: string): Promise<void> {
  const names = [IMAGE_RECORD_NAME];

  for (const file of manifest.files) {
    names.push(file.name, `${file.name}.part`, `${file.name}.part.json`);

    if (isCompressed(file)) {
      names.push(decompressedName(file), `${decompressedName(file)}.part`);
    }
  }

  for (const name of names) {
    await rejectNonRegularFile(join(directory, name));
  }
}

async function isVerified(path: string, file: ManifestFile, progress: ProgressMeter): Promise<boolean> {
  const size = await lstat(path).then((info) => (info.isFile() ? info.size : -1), () => -1);

  if (size !== file.size) {
    return false;
  }

  progress.setStatus('verifying');

  const hash = createHash('sha256');

  for await (const piece of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(piece);
  }

  return hash.digest('hex') === file.sha256.toLowerCase();
}

async function checkFreeSpace(manifest: ImageManifest, options: DownloadImageOptions, chunkSizeBytes: number): Promise<void> {
  let needed = options.reserveBytes ?? DEFAULT_RESERVE_BYTES;

  for (const file of manifest.files) {
    const finalPath = join(options.directory, file.name);
    const present = await lstat(finalPath).then((info) => info.isFile() && info.size === file.size, () => false);
    const source = resolveFileSource(manifest, file, options.relativeTo);
    const sourceName = source.kind === 'http' ? source.url : source.path;
    const identity = { source: sourceName, size: file.size, sha256: file.sha256, chunkSize: chunkSizeBytes };
    const resumedChunks = present ? [] : await readResumeState(`${finalPath}.part.json`, identity);
    const resumedBytes = Math.min(file.size, resumedChunks.length * chunkSizeBytes);

    needed += present ? 0 : file.size - resumedBytes;
    needed += isCompressed(file) ? (file.decompressed_size ?? file.size) : 0;
  }

  const available = await availableBytes(options);

  if (available < needed) {
    const mib = (bytes: number): string => `${Math.ceil(bytes / (1024 * 1024))} MiB`;

    throw new VmError(
      'VM_ERR_NO_SPACE',
      `Downloading image ${manifest.version} needs ${mib(needed)} free in ${options.directory} (with ` +
        `${mib(options.reserveBytes ?? DEFAULT_RESERVE_BYTES)} to spare), but only ${mib(available)} is available. ` +
        'Free some space or choose another data directory.',
    );
  }
}

/** Returns the bytes available to unprivileged users on the file system of the download folder. */
async function availableBytes(options: DownloadImageOptions): Promise<number> {
  const space = await (options.statfs ?? statfs)(options.directory);

  return Number(space.bavail) * Number(space.bsize);
}
