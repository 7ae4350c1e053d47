import { constants } from 'node:fs';
import { lstat, open, unlink, type FileHandle } from 'node:fs/promises';
import { VmError } from '../errors.js';

// O_NOFOLLOW makes open fail with ELOOP when the last path component is a symbolic link. Windows has no such flag,
// so there only the lstat check before opening applies.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Raises `VM_ERR_IO` naming the path when `path` exists and is not a regular file, such as a symbolic link that
 * could point outside the folder. A missing file passes.
 */
export async function rejectNonRegularFile(path: string): Promise<void> {
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      return undefined;
    }

    throw new VmError('VM_ERR_IO', `Could not inspect ${path}: ${error.message}.`, { url: path, cause: error });
  });

  if (info === undefined || info.isFile()) {
    return;
  }

  let description = 'not a regular file';

  if (info.isSymbolicLink()) {
    description = 'a symbolic link';
  } else if (info.isDirectory()) {
    description = 'a folder';
  }

  throw notRegularFile(path, description);
}

/**
 * Creates `path` as a new, empty file and opens it for reading and writing. A regular file already there is removed
 * first, and anything else raises `VM_ERR_IO`. O_EXCL makes the open fail rather than follow a link that another
 * process put there after the check.
 */
export async function createNewFile(path: string, mode = 0o600): Promise<FileHandle> {
  await rejectNonRegularFile(path);
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') {
      throw error;
    }
  });

  try {
    return await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw notRegularFile(path, 'a file that appeared while the download was creating it');
    }

    throw error;
  }
}

/**
 * Opens an existing regular file for reading and writing without following a symbolic link. Raises `VM_ERR_IO` when
 * it is anything else, or has more than one hard link, because writing it would also change the file under its other
 * name, which may be outside the folder.
 */
export async function openExistingFile(path: string): Promise<FileHandle> {
  await rejectNonRegularFile(path);

  let handle: FileHandle;

  try {
    handle = await open(path, constants.O_RDWR | NO_FOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw notRegularFile(path, 'a symbolic link');
    }

    throw error;
  }

  const info = await handle.stat();

  if (!info.isFile() || info.nlink > 1) {
    await handle.close();

    throw notRegularFile(path, info.isFile() ? `a file with ${info.nlink} hard links` : 'not a regular file');
  }

  return handle;
}

function notRegularFile(path: string, description: string): VmError {
  return new VmError(
    'VM_ERR_IO',
    `${path} is ${description}. The image download writes only regular files of its own, because a link could point ` +
      `outside the image folder. Remove ${path}, then run the download again.`,
    { url: path },
  );
}
