import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `data` to `path` so that readers see the old content or the new, never a part. The bytes go to a temporary
 * file in the same folder and are flushed to disk (unless `flush` is false). Then the file is renamed over `path`.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o600,
  flush = true,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });

  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', mode);

  try {
    await handle.writeFile(data);

    if (flush) {
      await handle.sync();
    }
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);

    throw error;
  }

  await handle.close();

  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);

    throw error;
  }
}
