import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@deskvm/vm-core';

/**
 * A file that records that deskvm itself stopped the desktop container, so that `query` can tell a container that
 * exited on its own (a failure) from one that deskvm stopped (exit code 143 or 137 from the signal). The engine keeps
 * no such record. The file contains the container id, so a container created later with the same name is not covered.
 */
export class StopMarker {
  private readonly path: string;

  /**
   * @param folder - the folder of the file, the VM's lock folder
   * @param vmName - the VM's name; the file is `<vm name>.stopped`
   */
  constructor(folder: string, vmName: string) {
    this.path = join(folder, `${vmName}.stopped`);
  }

  /** Records that deskvm stops the container with this id. */
  async set(containerId: string): Promise<void> {
    await writeFileAtomic(this.path, containerId, 0o600, false);
  }

  /** Removes the record, before the container starts again or once it is removed. */
  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }

  /** Returns whether deskvm stopped the container with this id. */
  async isSet(containerId: string): Promise<boolean> {
    const content = await readFile(this.path, 'utf8').catch(() => undefined);

    return content === containerId;
  }
}
