import { setTimeout as sleep } from 'node:timers/promises';

import { createProcessInspector, isVmError, VmLock, type Logger, type ProcessInspector } from '@deskvm/vm-core';

import { RootfsError } from './errors.js';

/** Milliseconds between two attempts to take a lock that another live process holds. */
export const LOCK_RETRY_MS = 1000;

/**
 * Takes the lock file at `path` for `operation`, waiting while another live process holds it (polled every
 * `LOCK_RETRY_MS`), so two builds into one cache folder run one after the other. A lock left by a process that died
 * is taken over at once. Aborting stops the wait and rejects with the signal's reason.
 */
export async function acquireBuildLock(
  path: string,
  operation: string,
  options: { signal?: AbortSignal; logger: Logger; inspector?: ProcessInspector },
): Promise<VmLock> {
  const lock = new VmLock(path, options.inspector ?? (await createProcessInspector()));
  let waiting = false;

  for (;;) {
    options.signal?.throwIfAborted();

    try {
      await lock.acquire(operation);

      return lock;
    } catch (error) {
      if (!isVmError(error, 'VM_ERR_LOCKED')) {
        throw new RootfsError('ROOTFS_ERR_IO', `Could not take the build lock ${path}.`, { cause: error });
      }

      if (!waiting) {
        waiting = true;
        options.logger.info('rootfs.lock.wait', { path, holder: (await lock.liveOwner())?.pid });
      }
    }

    await sleep(LOCK_RETRY_MS, undefined, options.signal === undefined ? {} : { signal: options.signal }).catch(() => {
      options.signal?.throwIfAborted();
    });
  }
}
