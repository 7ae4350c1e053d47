import { readdirSync, readFileSync } from 'node:fs';

/** Parent pid of every live process, read from /proc (Linux only). */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name in parentheses may contain spaces, so fields are counted after its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while the list was read.
    }
  }
  return parents;
}

/** Pids of every live descendant of `rootPid`. */
export function descendantPids(rootPid: number): number[] {
  const parents = parentPids();
  const found: number[] = [];
  let frontier = [rootPid];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const [pid, parent] of parents) {
      if (frontier.includes(parent)) {
        found.push(pid);
        next.push(pid);
      }
    }
    frontier = next;
  }
  return found;
}

/** Returns the processes of `pids` that still exist (zombies included) as `pid command` strings. */
export function liveProcesses(pids: readonly number[]): string[] {
  const parents = parentPids();
  return pids.filter((pid) => parents.has(pid)).map((pid) => `${pid} ${commandOf(pid)}`);
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}
