import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { execa } from 'execa';

import { RootfsError } from './errors.js';
import { unmountBelow } from './mounts.js';
import { parseAptStatusLine, type RootfsProgress } from './progress.js';
import { CHROOT_ENV, runStep } from './run-step.js';

/** A policy-rc.d that forbids starting services, so no package starts a daemon inside the build chroot. */
const POLICY_RC_D = '#!/bin/sh\n# Written by the deskvm rootfs builder: no service starts while the image is built.\nexit 101\n';

/** Options of `installPackages`. */
export interface InstallPackagesOptions {
  /** Aborting ends apt-get; /proc is unmounted either way. */
  signal?: AbortSignal;
  /** Receives progress from apt's status lines. */
  onProgress?: (progress: RootfsProgress) => void;
}

/**
 * Runs the second build step in the chroot at `target`: writes its sources.list and a policy-rc.d, mounts /proc for
 * the duration, then runs `apt-get update` and `apt-get install -y --no-install-recommends` of `packages`.
 * Everything mounted below `target` is unmounted before this returns or raises. Raises `ROOTFS_ERR_PACKAGES` with
 * the tail of apt's output.
 */
export async function installPackages(
  target: string,
  sourcesList: string,
  packages: readonly string[],
  options: InstallPackagesOptions = {},
): Promise<void> {
  await writeChrootFile(target, 'etc/apt/sources.list', sourcesList, 0o644);
  await writeChrootFile(target, 'usr/sbin/policy-rc.d', POLICY_RC_D, 0o755);

  const proc = join(target, 'proc');
  const mounted = await execa('mount', ['-t', 'proc', 'proc', proc], { reject: false });

  if (mounted.exitCode !== 0) {
    throw new RootfsError('ROOTFS_ERR_PACKAGES', `Could not mount /proc at ${proc}: ${mounted.stderr.trim()}`);
  }

  try {
    await aptGet(target, ['update'], 'apt-get update', options);
    await aptGet(target, ['install', '-y', '--no-install-recommends', ...packages], 'apt-get install', options);
  } finally {
    await unmountBelow(target);
  }
}

async function aptGet(target: string, args: readonly string[], what: string, options: InstallPackagesOptions): Promise<void> {
  options.onProgress?.({ phase: 'packages', done: 0, message: what });

  // apt's status lines go to fd 3, which the shell points at stdout. NOTE: with APT::Status-Fd=1, apt 2.6.1 (Debian 12)
  // leaves maintainer scripts a stdout whose writes fail with EIO, so the postinst scripts of fontconfig,
  // libgstreamer1.0-0 and ca-certificates fail. Status lines on fd 3 do not have that problem.
  const argv = ['chroot', target, 'apt-get', '-o', 'APT::Status-Fd=3', '-o', 'Dpkg::Use-Pty=0', ...args];

  await runStep(['sh', '-c', 'exec "$@" 3>&1', 'sh', ...argv], {
    what: `${what} in the rootfs`,
    code: 'ROOTFS_ERR_PACKAGES',
    fix: 'Check that the mirror has the packages of this suite, and read the log tail.',
    env: CHROOT_ENV,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onLine: (line) => {
      const progress = parseAptStatusLine(line);

      if (progress !== undefined) {
        options.onProgress?.(progress);
      }
    },
  });
}

/** Writes `text` to `relativePath` inside the rootfs, with `mode`. */
export async function writeChrootFile(target: string, relativePath: string, text: string, mode: number): Promise<void> {
  const path = join(target, relativePath);

  try {
    await mkdir(join(path, '..'), { recursive: true });
    await rm(path, { force: true });
    await writeFile(path, text, { mode });
    await chmod(path, mode);
  } catch (error) {
    throw new RootfsError('ROOTFS_ERR_IO', `Could not write ${path}.`, { cause: error });
  }
}
