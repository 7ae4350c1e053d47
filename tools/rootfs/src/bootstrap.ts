import { access, constants, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

import { RootfsError } from './errors.js';
import { DebootstrapProgressParser, type RootfsProgress } from './progress.js';
import type { RootfsBase } from './rootfs-base.js';
import { runStep } from './run-step.js';

/** Raises `ROOTFS_ERR_NOT_ROOT` unless this process runs as root, which debootstrap, chroot and mount need. */
export function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new RootfsError(
      'ROOTFS_ERR_NOT_ROOT',
      `Building the desktop rootfs needs root (debootstrap, chroot and mount do), and this process runs as uid ` +
        `${process.getuid()}. Run it as root or with sudo.`,
    );
  }
}

/**
 * Returns the path of `program` from PATH, /usr/sbin or /sbin (sudo and some shells leave the sbin folders out of
 * PATH). Raises `ROOTFS_ERR_TOOL_MISSING` naming the Debian package that provides it.
 */
export async function findProgram(program: string, debianPackage: string): Promise<string> {
  const folders = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin'].filter((folder) => folder !== '');

  for (const folder of folders) {
    const candidate = join(folder, program);

    try {
      await access(candidate, constants.X_OK);

      return candidate;
    } catch {
      // Not in this folder; try the next one.
    }
  }

  throw new RootfsError(
    'ROOTFS_ERR_TOOL_MISSING',
    `${program} was not found in PATH, /usr/sbin or /sbin. Install it: apt-get install ${debianPackage}.`,
  );
}

/** Options of `runDebootstrap`. */
export interface DebootstrapOptions {
  /** The debootstrap executable. */
  debootstrap: string;
  /** Aborting ends debootstrap; the caller removes the target. */
  signal?: AbortSignal;
  /** Receives progress from debootstrap's `I:` lines. */
  onProgress?: (progress: RootfsProgress) => void;
}

/**
 * Runs the first build step, `debootstrap --variant=minbase`, into `target`. Only the minimal base is installed here:
 * debootstrap configures every package it installs in one dpkg pass, and on Debian 12 that pass fails for desktop
 * packages such as dconf-service, so those are installed by apt-get in the second step. Raises `ROOTFS_ERR_BOOTSTRAP`
 * with the tails of the output and of the target's debootstrap.log.
 */
export async function runDebootstrap(base: RootfsBase, target: string, options: DebootstrapOptions): Promise<void> {
  const parser = new DebootstrapProgressParser();
  const argv = [
    options.debootstrap,
    '--variant=minbase',
    `--components=${base.components.join(',')}`,
    base.suite,
    target,
    base.mirror,
  ];

  try {
    await runStep(argv, {
      what: `debootstrap of ${base.distribution} ${base.suite} from ${base.mirror}`,
      code: 'ROOTFS_ERR_BOOTSTRAP',
      fix: 'Check that the mirror serves this suite (the mirror option, CLI: --mirror, changes it), and read the log tail.',
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onLine: (line) => {
        const progress = parser.parse(line);

        if (progress !== undefined) {
          options.onProgress?.(progress);
        }
      },
    });
  } catch (error) {
    if (error instanceof RootfsError) {
      const log = await readFile(join(target, 'debootstrap', 'debootstrap.log'), 'utf8').catch(() => '');
      const logTail = [error.diagnostics?.logTail ?? '', '--- debootstrap.log ---', log.split('\n').slice(-40).join('\n')];

      throw new RootfsError(error.code, error.message, { diagnostics: { logTail: logTail.join('\n') } });
    }

    throw error;
  }
}
