const runningStoppers = new Set<ProcessGroupStopper>();

function killRunningGroups(): void {
  runningStoppers.forEach((stopper) => stopper.signal('SIGKILL'));
}

/**
 * Ends a started command together with every process it started. On POSIX systems the command leads its own process
 * group (spawned with `detached: true`), so a signal to the negative pid also reaches grandchildren. Without that, a
 * grandchild that keeps stdout open keeps `run` waiting until it ends on its own, and lives on as an orphan.
 *
 * NOTE: a grandchild that calls setsid() leaves the group and is not reached. The 'exit' handler does not run when
 * this process dies from a signal, so commands still running then live on. On Windows there are no process groups,
 * so only the command's own process is signalled.
 */
export class ProcessGroupStopper {
  private graceTimer: NodeJS.Timeout | undefined;

  /** The cause of ending the command (`timeout` or `abort`), or undefined while it runs normally. */
  reason: 'timeout' | 'abort' | undefined;

  /**
   * @param pid - the command's process id; undefined when it did not start, which makes every call a no-op
   * @param killGraceMs - milliseconds between SIGTERM and SIGKILL
   */
  constructor(
    private readonly pid: number | undefined,
    private readonly killGraceMs: number,
  ) {
    // A detached command outlives this process unless it is ended on exit. One shared listener serves every command.
    runningStoppers.add(this);

    if (runningStoppers.size === 1) {
      process.once('exit', killRunningGroups);
    }
  }

  /** Sends SIGTERM to the group now and SIGKILL after the grace. Only the first call has an effect. */
  stop(reason: 'timeout' | 'abort'): void {
    if (this.reason !== undefined) {
      return;
    }

    this.reason = reason;
    this.signal('SIGTERM');
    this.graceTimer = setTimeout(() => this.signal('SIGKILL'), this.killGraceMs);
  }

  /** Cancels a pending SIGKILL once the command and its output streams have ended. */
  dispose(): void {
    clearTimeout(this.graceTimer);
    runningStoppers.delete(this);

    if (runningStoppers.size === 0) {
      process.removeListener('exit', killRunningGroups);
    }
  }

  /** Sends `signal` to the group. A group that has already ended is ignored. */
  signal(signal: NodeJS.Signals): void {
    if (this.pid === undefined) {
      return;
    }

    try {
      process.kill(process.platform === 'win32' ? this.pid : -this.pid, signal);
    } catch (error) {
      // ESRCH: every process of the group has already ended.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
        throw error;
      }
    }
  }
}
