import { cp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { RootfsError } from './errors.js';
import {
  BUILDER_VERSION,
  DESKTOP_BUNDLE_FOLDER,
  DESKTOP_UID,
  DESKTOP_USER,
  IMAGE_DESCRIPTION_PATH,
} from './desktop-image.js';
import type { RootfsProgress } from './progress.js';
import type { RootfsBase } from './rootfs-base.js';
import { writeChrootFile } from './install-packages.js';
import { CHROOT_ENV, runStep } from './run-step.js';

/** Options of `finishImage`. */
export interface FinishImageOptions {
  /** The in-sandbox bundle folder, copied to `DESKTOP_BUNDLE_FOLDER`. */
  bundleDirectory: string;
  /** Recorded in /etc/deskvm-image.json. */
  base: RootfsBase;
  /** Recorded in /etc/deskvm-image.json. */
  packages: readonly string[];
  /** Aborting ends the running command. */
  signal?: AbortSignal;
  /** Receives a `bundle` progress report. */
  onProgress?: (progress: RootfsProgress) => void;
}

/**
 * Runs the third build step in the rootfs at `target`. It adds `DESKTOP_USER` (uid 1000, home /home/agent, bash),
 * copies the bundle and writes /etc/deskvm-image.json. Then it removes apt's lists and downloaded packages and the
 * policy-rc.d, and empties the machine id (so each container gets its own). The resolv.conf and hostname that
 * debootstrap copied from the host are removed too, because the container engine provides both.
 */
export async function finishImage(target: string, options: FinishImageOptions): Promise<void> {
  const chrootStep = (argv: readonly string[], what: string): Promise<string> =>
    runStep(['chroot', target, ...argv], {
      what: `${what} in the rootfs`,
      code: 'ROOTFS_ERR_PACKAGES',
      fix: 'Read the log tail.',
      env: CHROOT_ENV,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });

  const uid = String(DESKTOP_UID);

  await chrootStep(['groupadd', '--gid', uid, DESKTOP_USER], 'groupadd');
  await chrootStep(
    ['useradd', '--uid', uid, '--gid', uid, '--create-home', '--home-dir', `/home/${DESKTOP_USER}`, '--shell', '/bin/bash', DESKTOP_USER],
    'useradd',
  );

  options.onProgress?.({ phase: 'bundle', done: 0, total: 1, item: options.bundleDirectory });

  const bundleTarget = join(target, DESKTOP_BUNDLE_FOLDER);

  try {
    await cp(options.bundleDirectory, bundleTarget, { recursive: true, dereference: true, preserveTimestamps: false });
  } catch (error) {
    throw new RootfsError('ROOTFS_ERR_IO', `Could not copy the bundle ${options.bundleDirectory} to ${bundleTarget}.`, { cause: error });
  }

  await chrootStep(['chown', '-R', 'root:root', DESKTOP_BUNDLE_FOLDER], 'chown of the bundle');
  await chrootStep(['chmod', '-R', 'u=rwX,go=rX', DESKTOP_BUNDLE_FOLDER], 'chmod of the bundle');
  options.onProgress?.({ phase: 'bundle', done: 1, total: 1, item: options.bundleDirectory });

  const description = { builderVersion: BUILDER_VERSION, base: options.base, packages: [...options.packages] };

  await writeChrootFile(target, IMAGE_DESCRIPTION_PATH, `${JSON.stringify(description, null, 2)}\n`, 0o644);
  await chrootStep(['apt-get', 'clean'], 'apt-get clean');
  await removeAptLists(join(target, 'var/lib/apt/lists'));
  await rm(join(target, 'usr/sbin/policy-rc.d'), { force: true });
  await rm(join(target, 'var/lib/dbus/machine-id'), { force: true });
  await rm(join(target, 'etc/hostname'), { force: true });
  await writeChrootFile(target, 'etc/machine-id', '', 0o444);
  await writeChrootFile(target, 'etc/resolv.conf', '', 0o644);
}

// Deletes the package index files that apt-get update downloaded; the partial/ folder and the lock file stay.
async function removeAptLists(folder: string): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);

  for (const entry of entries) {
    if (entry.isFile() && entry.name !== 'lock') {
      await rm(join(folder, entry.name), { force: true });
    }
  }
}
