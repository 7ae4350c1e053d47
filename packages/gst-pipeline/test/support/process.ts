/** Reports whether a process with this id exists, using signal 0, which checks without delivering a signal. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      return false;
    }

    throw error;
  }
}
