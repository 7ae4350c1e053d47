import { readFile } from 'node:fs/promises';
import { execa } from 'execa';

/**
 * Reads the start time of a process, so that a recorded pid can be distinguished from a later process that reuses the
 * same pid. The start time is an opaque string: compare it for equality only.
 */
export interface ProcessInspector {
  /** Returns the start time of process `pid`, or undefined when no such process exists. */
  startTime(pid: number): Promise<string | undefined>;
}

/**
 * Reads the start time from `/proc/PID/stat` (field 22, clock ticks since boot) together with the boot id in
 * `/proc/sys/kernel/random/boot_id`, so that a pid and start time recorded before a reboot never match again.
 * Linux only; see `createProcessInspector` for the choice.
 */
export class ProcProcessInspector implements ProcessInspector {
  private bootId: Promise<string> | undefined;

  async startTime(pid: number): Promise<string | undefined> {
    let stat: string;

    try {
      stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }

    // The command name (field 2) is in parentheses and may itself contain spaces and ")", so fields are counted from
    // the last ")". Field 3 (state) follows it, so field 22 is the 20th token after that parenthesis.
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = afterName[0];
    const ticks = afterName[19];

    if (ticks === undefined || state === 'Z' || state === 'X') {
      return undefined;
    }

    this.bootId ??= readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((text) => text.trim(), () => 'unknown-boot');

    return `${await this.bootId}:${ticks}`;
  }
}

/**
 * Runs `ps -o lstart= -p PID` (an argv array, no shell), which POSIX systems such as macOS and the BSDs provide. The
 * start time has a resolution of one second, so a pid reused within the same second would match.
 */
export class PsProcessInspector implements ProcessInspector {
  async startTime(pid: number): Promise<string | undefined> {
    if (!isAlive(pid)) {
      return undefined;
    }

    const result = await execa('ps', ['-o', 'lstart=', '-p', String(pid)], { reject: false, env: { LC_ALL: 'C' } });
    const started = typeof result.stdout === 'string' ? result.stdout.trim() : '';

    return result.exitCode === 0 && started !== '' ? started : undefined;
  }
}

/** Returns `ProcProcessInspector` where `/proc/self/stat` is readable, `PsProcessInspector` elsewhere. */
export async function createProcessInspector(): Promise<ProcessInspector> {
  try {
    await readFile('/proc/self/stat', 'utf8');

    return new ProcProcessInspector();
  } catch {
    return new PsProcessInspector();
  }
}

/** Returns true when a process with this pid exists, also when it belongs to another user (EPERM). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);

    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
