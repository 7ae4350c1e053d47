import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

import { silentLogger, type Logger } from '@deskvm/vm-core';

import { archiveRootfs, hashFile } from './archive.js';
import { readAptSources, type AptSource } from './apt-sources.js';
import { findProgram, requireRoot, runDebootstrap } from './bootstrap.js';
import { acquireBuildLock } from './build-lock.js';
import { cacheKey, hashFolder } from './cache-key.js';
import { renderChrootSources } from './chroot-sources.js';
import { BUILDER_VERSION, DESKTOP_ENTRY_NAME, DESKTOP_PACKAGES, desktopImageChanges } from './desktop-image.js';
import { RootfsError } from './errors.js';
import { finishImage } from './finish-image.js';
import { installPackages } from './install-packages.js';
import { MANIFEST_NAME, mergeManifestEntry, readManifest, writeManifest, type RootfsManifestEntry } from './manifest.js';
import { removeBuildFolder } from './mounts.js';
import type { RootfsProgress } from './progress.js';
import { chooseRootfsBase, type RootfsBase } from './rootfs-base.js';

/** The lock file's name in the cache folder. */
export const BUILD_LOCK_NAME = 'desktop-rootfs.lock';

/** Options of `buildDesktopRootfs`. */
export interface BuildDesktopRootfsOptions {
  /** The folder of the tarballs and manifest.json; created when missing. */
  cacheDirectory: string;
  /** The in-sandbox bundle folder (apps/cli/dist/desktop), copied to /opt/deskvm in the image. */
  bundleDirectory: string;
  /** The distribution, suite and mirror to bootstrap from. Default `chooseRootfsBase(await readAptSources())`. */
  base?: RootfsBase;
  /** Packages installed besides `DESKTOP_PACKAGES`. Default none. */
  extraPackages?: readonly string[];
  /** Build a new tarball even when one with the same inputs is cached. Default false. */
  rebuild?: boolean;
  /** Aborting stops the build, unmounts and deletes the build folder, and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Receives progress reports of every phase. */
  onProgress?: (progress: RootfsProgress) => void;
  /** Receives the build's starts, reuses and cleanups. Default silent. */
  logger?: Logger;
}

/** The result of `buildDesktopRootfs`. */
export interface RootfsBuild {
  /** Absolute path of the tarball. */
  tarPath: string;
  /** The tarball's file name, `desktop-<suite>-<key>.tar`, which is also its manifest entry's name. */
  name: string;
  /** Size of the tarball in bytes. */
  size: number;
  /** SHA-256 of the tarball, 64 lowercase hex digits. */
  sha256: string;
  /** Absolute path of manifest.json. */
  manifestPath: string;
  /** True when a cached tarball with the same inputs was returned instead of building one. */
  reused: boolean;
  /** Dockerfile instructions for `docker import --change`: USER, WORKDIR, ENV, EXPOSE, CMD (serve on 0.0.0.0:8080). */
  imageChanges: string[];
}

/** Options of {@link desktopRootfsKey}: the inputs of `buildDesktopRootfs` that decide its output. */
export type DesktopRootfsKeyOptions = Pick<BuildDesktopRootfsOptions, 'bundleDirectory' | 'extraPackages'> & { base: RootfsBase };

/**
 * Returns the short hash that `buildDesktopRootfs` names its tarball with, without building anything and without
 * root. It changes whenever the base, the package list, the bundle's content or the builder version changes, so a
 * caller can tag the image with it and skip the build when the engine already has that tag.
 */
export async function desktopRootfsKey(options: DesktopRootfsKeyOptions): Promise<string> {
  const bundleDirectory = checkFolderOption(options.bundleDirectory, 'bundleDirectory');

  return inputsKey(options.base, packageList(options.extraPackages ?? []), bundleDirectory);
}

async function inputsKey(base: RootfsBase, packages: readonly string[], bundleDirectory: string): Promise<string> {
  const bundleSha256 = await hashBundle(bundleDirectory);

  return cacheKey({ builderVersion: BUILDER_VERSION, base, packages, bundleSha256 });
}

/**
 * Builds the desktop image's rootfs tarball into the cache folder, or returns the cached one built from the same
 * inputs (base, package list, bundle content, builder version). The build runs debootstrap (minimal base), then
 * apt-get in a chroot for the desktop packages, adds the user and the bundle, and writes the tarball and its
 * manifest.json entry (size, SHA-256). A lock in the cache folder makes concurrent builds wait for each other.
 * On failure or abort, everything mounted below the build folder is unmounted and the folder and temporary files are
 * deleted. Raises `RootfsError`: `ROOTFS_ERR_NOT_ROOT`, `ROOTFS_ERR_TOOL_MISSING`, `ROOTFS_ERR_NO_MIRROR`,
 * `ROOTFS_ERR_BUNDLE_MISSING`, `ROOTFS_ERR_BOOTSTRAP`, `ROOTFS_ERR_PACKAGES`, `ROOTFS_ERR_IO` or
 * `ROOTFS_ERR_INVALID_ARGUMENT`.
 */
export async function buildDesktopRootfs(options: BuildDesktopRootfsOptions): Promise<RootfsBuild> {
  const logger = options.logger ?? silentLogger;
  const cacheDirectory = checkFolderOption(options.cacheDirectory, 'cacheDirectory');
  const bundleDirectory = checkFolderOption(options.bundleDirectory, 'bundleDirectory');
  const packages = packageList(options.extraPackages ?? []);
  const hostSources = await readAptSources();
  const base = options.base ?? chooseRootfsBase(hostSources);
  const key = await inputsKey(base, packages, bundleDirectory);
  const name = `desktop-${base.suite}-${key}.tar`;
  const manifestPath = join(cacheDirectory, MANIFEST_NAME);
  const request: BuildRequest = { cacheDirectory, bundleDirectory, base, packages, hostSources, name, manifestPath };

  await makeFolder(cacheDirectory);

  if (options.rebuild !== true) {
    const cached = await findCached(request);

    if (cached !== undefined) {
      logger.info('rootfs.reuse', { name, sha256: cached.sha256 });

      return cached;
    }
  }

  requireRoot();

  const debootstrap = await findProgram('debootstrap', 'debootstrap');
  const lock = await acquireBuildLock(join(cacheDirectory, BUILD_LOCK_NAME), `build ${name}`, {
    logger,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });

  try {
    // Another process may have built the same tarball while this one waited for the lock.
    const cached = options.rebuild === true ? undefined : await findCached(request);

    if (cached !== undefined) {
      logger.info('rootfs.reuse', { name, sha256: cached.sha256 });

      return cached;
    }

    await removeLeftovers(cacheDirectory, logger);

    return await buildAndRecord(request, debootstrap, options, logger);
  } finally {
    await lock.release();
  }
}

interface BuildRequest {
  cacheDirectory: string;
  bundleDirectory: string;
  base: RootfsBase;
  packages: readonly string[];
  hostSources: readonly AptSource[];
  name: string;
  manifestPath: string;
}

async function buildAndRecord(
  request: BuildRequest,
  debootstrap: string,
  options: BuildDesktopRootfsOptions,
  logger: Logger,
): Promise<RootfsBuild> {
  const { cacheDirectory, base, name } = request;
  const target = join(cacheDirectory, `build-${name.replace(/\.tar$/, '')}-${process.pid}`);
  const temporary = join(cacheDirectory, `${name}.${process.pid}.tmp`);
  const signal = options.signal;
  const onProgress = options.onProgress;
  const withSignal = signal === undefined ? {} : { signal };

  logger.info('rootfs.build.start', { name, target, suite: base.suite, mirror: base.mirror });

  try {
    await makeFolder(target);
    await runDebootstrap(base, target, { debootstrap, ...withSignal, ...(onProgress === undefined ? {} : { onProgress }) });
    await installPackages(target, renderChrootSources(base, request.hostSources), request.packages, {
      ...withSignal,
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    await finishImage(target, {
      bundleDirectory: request.bundleDirectory,
      base,
      packages: request.packages,
      ...withSignal,
      ...(onProgress === undefined ? {} : { onProgress }),
    });

    onProgress?.({ phase: 'archive', done: 0, item: name });
    await archiveRootfs(target, temporary, signal);

    const { sha256, size } = await hashFile(temporary, onProgress, signal);

    onProgress?.({ phase: 'archive', done: size, total: size, item: name });
    await removeBuildFolder(target);
    await rename(temporary, join(cacheDirectory, name));

    const entry: RootfsManifestEntry = { name, size, sha256, base, createdAt: new Date().toISOString() };

    await writeManifest(request.manifestPath, mergeManifestEntry(await readManifest(request.manifestPath), entry));
    logger.info('rootfs.build.done', { name, size, sha256 });

    return result(request, entry, false);
  } catch (error) {
    logger.error('rootfs.build.failed', { name, error: error instanceof Error ? error.message : String(error) });
    await removeBuildFolder(target).catch((cleanupError: unknown) => {
      logger.error('rootfs.cleanup.failed', { target, error: String(cleanupError) });
    });
    await unlink(temporary).catch(() => undefined);

    throw error;
  }
}

/** Returns the cached build when the manifest has an entry for the name and the file has the recorded size. */
async function findCached(request: BuildRequest): Promise<RootfsBuild | undefined> {
  const manifest = await readManifest(request.manifestPath);
  const entry = manifest.files.find((file) => file.name === request.name);

  if (entry === undefined) {
    return undefined;
  }

  const size = await stat(join(request.cacheDirectory, request.name)).then((info) => (info.isFile() ? info.size : -1), () => -1);

  return size === entry.size ? result(request, entry, true) : undefined;
}

function result(request: BuildRequest, entry: RootfsManifestEntry, reused: boolean): RootfsBuild {
  return {
    tarPath: join(request.cacheDirectory, entry.name),
    name: entry.name,
    size: entry.size,
    sha256: entry.sha256,
    manifestPath: request.manifestPath,
    reused,
    imageChanges: desktopImageChanges(),
  };
}

/**
 * Deletes build folders and temporary tarballs that a killed build left in the cache folder, unmounting what is
 * mounted below them first. Called with the lock held, so no running build owns them.
 */
async function removeLeftovers(cacheDirectory: string, logger: Logger): Promise<void> {
  for (const entry of await readdir(cacheDirectory, { withFileTypes: true })) {
    const path = join(cacheDirectory, entry.name);

    if (entry.isDirectory() && entry.name.startsWith('build-desktop-')) {
      logger.warn('rootfs.leftover.remove', { path });
      await removeBuildFolder(path);
    } else if (entry.isFile() && /^desktop-.*\.tar\.\d+\.tmp$/.test(entry.name)) {
      logger.warn('rootfs.leftover.remove', { path });
      await unlink(path).catch(() => undefined);
    }
  }
}

async function hashBundle(bundleDirectory: string): Promise<string> {
  const entry = join(bundleDirectory, DESKTOP_ENTRY_NAME);
  const isFile = await stat(entry).then((info) => info.isFile(), () => false);

  if (!isFile) {
    throw new RootfsError(
      'ROOTFS_ERR_BUNDLE_MISSING',
      `The in-sandbox bundle ${entry} is missing. Build it first: npx nx run deskvm:bundle.`,
    );
  }

  return hashFolder(bundleDirectory);
}

function packageList(extraPackages: readonly string[]): string[] {
  for (const name of extraPackages) {
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9+.-]+$/.test(name)) {
      throw new RootfsError(
        'ROOTFS_ERR_INVALID_ARGUMENT',
        `The extra package ${JSON.stringify(name)} is not a Debian package name (lowercase letters, digits, + - and .).`,
      );
    }
  }

  return [...new Set([...DESKTOP_PACKAGES, ...extraPackages])];
}

function checkFolderOption(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '' || value.includes('\0')) {
    throw new RootfsError('ROOTFS_ERR_INVALID_ARGUMENT', `The ${option} option ${JSON.stringify(value)} is not a folder path.`);
  }

  return isAbsolute(value) ? value : resolve(value);
}

async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw new RootfsError('ROOTFS_ERR_IO', `Could not create the folder ${folder}.`, { cause: error });
  }
}
