import { readdir, readFile } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { silentLogger, type Logger } from '@deskvm/vm-core';

/**
 * Ends an exec'd process and every process it started, with SIGKILL.
 *
 * The engine reports the exec's host pid (`Pid` of exec inspect). The descendants come from the `PPid` of every
 * `/proc/<pid>/stat` on the host, and each host pid maps to its pid inside the container through the last field of
 * `NSpid:` in `/proc/<pid>/status`. A second exec runs the shell's `kill -KILL` on those pids as `user`, the user of the
 * first exec, because the container drops every capability (CAP_KILL included) so root could not signal another uid.
 * Pids that survive get `process.kill` on the host, which works when this process may signal them (root, or the same
 * uid). Returns the host pids that were targeted.
 */
export async function killExecProcessTree(
  container: Dockerode.Container,
  exec: Dockerode.Exec,
  user: string | undefined,
  logger: Logger = silentLogger,
): Promise<number[]> {
  const hostPid = await execHostPid(exec);

  if (hostPid === undefined) {
    return [];
  }

  const table = await processTable();
  const targets = [hostPid, ...descendants(table, hostPid)].filter((pid) => table.has(pid));
  const containerPids = (await Promise.all(targets.map(namespacePid))).filter((pid): pid is number => pid !== undefined);

  try {
    await runKillExec(container, containerPids, user);
  } catch (error) {
    logger.warn('the kill exec failed, so the processes are signalled from the host', { hostPids: targets, error: String(error) });
  }

  for (const pid of targets) {
    // The start time guards against a pid that was reused after the kill exec ended the process.
    if ((await readStat(pid))?.startTime !== table.get(pid)?.startTime) {
      continue;
    }

    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      logger.warn('could not signal an exec process from the host', { pid, error: String(error) });
    }
  }

  return targets;
}

/**
 * Returns the host pid of the running exec, or undefined once it has ended. Right after the start request the engine
 * may report it as not running yet, so it polls for up to 2 s.
 */
async function execHostPid(exec: Dockerode.Exec): Promise<number | undefined> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const info = await exec.inspect();

    if (info.Running && info.Pid > 0) {
      return info.Pid;
    }

    if (info.ExitCode !== null && info.ExitCode !== undefined) {
      return undefined;
    }

    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return undefined;
}

/** Returns the pid of `hostPid` in its innermost pid namespace, or undefined when the process is gone. */
async function namespacePid(hostPid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${hostPid}/status`, 'utf8').catch(() => undefined);
  const fields = status
    ?.split('\n')
    .find((line) => line.startsWith('NSpid:'))
    ?.slice('NSpid:'.length)
    .trim()
    .split(/\s+/);
  const last = fields?.at(-1);

  return last === undefined ? undefined : Number(last);
}

async function runKillExec(container: Dockerode.Container, containerPids: readonly number[], user: string | undefined): Promise<void> {
  if (containerPids.length === 0) {
    return;
  }

  // The pids arrive as positional parameters, so the script text is constant.
  const killer = await container.exec({
    Cmd: ['sh', '-c', 'kill -KILL "$@"', 'sh', ...containerPids.map(String)],
    User: user ?? '',
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await killer.start({ hijack: true, stdin: false });

  stream.resume();
  await new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}

interface ProcessStat {
  parentPid: number;
  /** Field 22 of `/proc/<pid>/stat`: clock ticks since boot. */
  startTime: string;
}

async function readStat(pid: number): Promise<ProcessStat | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);

  if (text === undefined) {
    return undefined;
  }

  // The command name in brackets may contain spaces and ")", so the fields are read after its last ")".
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');

  return { parentPid: Number(fields[1]), startTime: fields[19] ?? '' };
}

/** Reads every process of the host's `/proc`. */
async function processTable(): Promise<Map<number, ProcessStat>> {
  const table = new Map<number, ProcessStat>();

  for (const name of await readdir('/proc')) {
    const stat = /^\d+$/.test(name) ? await readStat(Number(name)) : undefined;

    if (stat !== undefined) {
      table.set(Number(name), stat);
    }
  }

  return table;
}

/** Returns every descendant of `rootPid` in `table`. */
function descendants(table: ReadonlyMap<number, ProcessStat>, rootPid: number): number[] {
  const children = new Map<number, number[]>();

  for (const [pid, stat] of table) {
    children.set(stat.parentPid, [...(children.get(stat.parentPid) ?? []), pid]);
  }

  const found: number[] = [];
  const queue = [rootPid];

  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }

  return found;
}
