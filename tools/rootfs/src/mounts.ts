import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

import { execa } from 'execa';

import { RootfsError } from './errors.js';

/**
 * Returns the mount points at or below `folder` from /proc/self/mountinfo text, deepest first (then in reverse mount
 * order), which is an order that `umount` can follow: a mount is never unmounted before one inside it.
 */
export function mountPointsBelow(mountinfo: string, folder: string): string[] {
  const root = resolve(folder);
  const points: { path: string; index: number }[] = [];

  mountinfo.split('\n').forEach((line, index) => {
    const field = line.split(' ')[4];

    if (field === undefined) {
      return;
    }

    const path = decodeMountPath(field);

    if (path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) {
      points.push({ path, index });
    }
  });

  return points
    .sort((a, b) => depth(b.path) - depth(a.path) || b.index - a.index)
    .map((point) => point.path);
}

/**
 * Unmounts everything at or below `folder`, deepest first, and repeats until /proc/self/mountinfo lists nothing there
 * (a path mounted twice needs two unmounts). A mount that stays busy is detached lazily (`umount --lazy`) so the folder
 * can be deleted. Raises `ROOTFS_ERR_IO` when mounts remain after that.
 */
export async function unmountBelow(folder: string): Promise<void> {
  for (let round = 0; round < 8; round += 1) {
    const points = mountPointsBelow(await readFile('/proc/self/mountinfo', 'utf8'), folder);

    if (points.length === 0) {
      return;
    }

    for (const point of points) {
      const result = await execa('umount', [point], { reject: false });

      if (result.exitCode !== 0) {
        await execa('umount', ['--lazy', point], { reject: false });
      }
    }
  }

  const left = mountPointsBelow(await readFile('/proc/self/mountinfo', 'utf8'), folder);

  if (left.length > 0) {
    throw new RootfsError('ROOTFS_ERR_IO', `Could not unmount ${left.join(', ')}. Unmount them by hand before deleting ${folder}.`);
  }
}

/**
 * Deletes a build folder: unmounts everything below it first, then runs `rm -rf --one-file-system`, which stops at
 * any mount point that appeared in between instead of deleting the host's files through it.
 */
export async function removeBuildFolder(folder: string): Promise<void> {
  await unmountBelow(folder);

  const result = await execa('rm', ['-rf', '--one-file-system', '--', folder], { reject: false });

  if (result.exitCode !== 0) {
    throw new RootfsError('ROOTFS_ERR_IO', `Could not delete the build folder ${folder}: ${result.stderr.trim()}`);
  }
}

// mountinfo escapes space, tab, newline and backslash in paths as octal (\040).
function decodeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

function depth(path: string): number {
  return path.split(sep).length;
}
