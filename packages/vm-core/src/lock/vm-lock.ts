import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { VmError } from '../errors.js';
import type { ProcessInspector } from '../process/process-inspector.js';

/** The content of a lock file: who holds it, and what it is doing. */
export interface LockOwner {
  /** The process id of the holder. */
  pid: number;
  /** The holder's start time from its `ProcessInspector`, which distinguishes it from a later process with the same pid. */
  startTime: string;
  /** What the holder is doing, such as `start` or `stop`. */
  operation: string;
  /** When the lock was taken, as an ISO 8601 time. */
  acquiredAt: string;
}

const MAX_ACQUIRE_ATTEMPTS = 5;

/**
 * An exclusive lock file that stops two processes from managing the same VM. It records the holder's pid and process
 * start time, so a lock left by a process that died (even by kill -9) is recognised as stale and taken over.
 */
export class VmLock {
  private owner: LockOwner | undefined;

  /**
   * @param path - the lock file; its directory is created when missing
   * @param inspector - reads process start times to tell live holders from stale lock files
   */
  constructor(
    readonly path: string,
    private readonly inspector: ProcessInspector,
  ) {}

  /** True while this object holds the lock. */
  get held(): boolean {
    return this.owner !== undefined;
  }

  /**
   * Takes the lock for `operation`. Raises `VM_ERR_LOCKED` naming the holder when another live process has it.
   * A stale lock file (its process is gone, or its pid now belongs to another process) is replaced.
   */
  async acquire(operation: string): Promise<void> {
    if (this.owner !== undefined) {
      throw new VmError('VM_ERR_INVALID_STATE', `The lock ${this.path} is already held by this process.`);
    }

    const startTime = await this.inspector.startTime(process.pid);

    if (startTime === undefined) {
      throw new VmError('VM_ERR_IO', `Could not read the start time of this process (pid ${process.pid}).`);
    }

    const owner: LockOwner = { pid: process.pid, startTime, operation, acquiredAt: new Date().toISOString() };

    await mkdir(dirname(this.path), { recursive: true });

    for (let attempt = 0; attempt < MAX_ACQUIRE_ATTEMPTS; attempt += 1) {
      if (await this.tryCreate(owner)) {
        this.owner = owner;

        return;
      }

      const current = await this.readCurrent();

      if (current !== undefined && (await this.isLive(current.owner))) {
        throw new VmError(
          'VM_ERR_LOCKED',
          `Another process manages this VM: pid ${current.owner.pid} holds ${this.path} for "${current.owner.operation}" ` +
            `since ${current.owner.acquiredAt}. Wait for it to finish, or end that process.`,
        );
      }

      await this.breakStale(current?.text);
    }

    throw new VmError('VM_ERR_LOCKED', `Could not take ${this.path}: other processes kept taking it. Try again.`);
  }

  /** Releases the lock if this object holds it and the file is still this process's. Safe to call twice. */
  async release(): Promise<void> {
    const owner = this.owner;

    this.owner = undefined;

    if (owner === undefined) {
      return;
    }

    const current = await this.readCurrent();

    if (current !== undefined && current.owner.pid === owner.pid && current.owner.startTime === owner.startTime) {
      await unlink(this.path).catch(() => undefined);
    }
  }

  /** Returns the holder when a live process holds the lock, or undefined. A stale lock file is ignored, not removed. */
  async liveOwner(): Promise<LockOwner | undefined> {
    const current = await this.readCurrent();

    return current !== undefined && (await this.isLive(current.owner)) ? current.owner : undefined;
  }

  private async tryCreate(owner: LockOwner): Promise<boolean> {
    // Written in full to a private file first, then linked into place: link() fails with EEXIST when the lock exists,
    // and readers never see a half-written lock file.
    const temporary = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;

    // 'wx' creates a new file and never follows a symbolic link left at the temporary name.
    await writeFile(temporary, JSON.stringify(owner), { mode: 0o600, flag: 'wx' });

    try {
      await link(temporary, this.path);

      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        return false;
      }

      throw new VmError('VM_ERR_IO', `Could not create the lock file ${this.path}.`, { cause: error });
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }

  private async readCurrent(): Promise<{ owner: LockOwner; text: string } | undefined> {
    let text: string;

    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return undefined;
    }

    // A file that is not a lock record (empty, garbage, or valid JSON of another shape such as `null`) is stale.
    const stale = { owner: { pid: 0, startTime: '', operation: 'unknown', acquiredAt: '' }, text };
    let parsed: unknown;

    try {
      parsed = JSON.parse(text);
    } catch {
      return stale;
    }

    return isLockOwner(parsed) ? { owner: parsed, text } : stale;
  }

  private async isLive(owner: LockOwner): Promise<boolean> {
    if (!Number.isInteger(owner.pid) || owner.pid <= 0) {
      return false;
    }

    return (await this.inspector.startTime(owner.pid)) === owner.startTime;
  }

  private async breakStale(staleText: string | undefined): Promise<void> {
    if (staleText === undefined) {
      return;
    }

    // Moved aside under a unique name first, so that of two processes breaking the same stale lock only one succeeds.
    // NOTE: if a third process took the lock between our read and the rename, its fresh lock is moved aside too; it is
    // put back below, but that process may briefly see its lock missing.
    const aside = `${this.path}.stale-${randomBytes(6).toString('hex')}`;

    try {
      await rename(this.path, aside);
    } catch {
      return;
    }

    const movedText = await readFile(aside, 'utf8').catch(() => undefined);

    if (movedText !== staleText) {
      await link(aside, this.path).catch(() => undefined);
    }

    await unlink(aside).catch(() => undefined);
  }
}

function isLockOwner(value: unknown): value is LockOwner {
  if (typeof value !== 'object' || value === null) {
    return false;
  }

  const record = value as Record<string, unknown>;

  return typeof record['pid'] === 'number' && typeof record['startTime'] === 'string';
}
