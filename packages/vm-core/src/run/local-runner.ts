import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { VmError } from '../errors.js';
import { describeCommand, type Command, type RunOptions, type RunResult } from './command.js';
import { OutputCollector } from './output-collector.js';
import { ProcessGroupStopper } from './process-group.js';
import { validateCommand } from './validate-command.js';

/** Default upper bound on collected bytes per output stream: 16 MiB. */
export const DEFAULT_MAX_COLLECT_BYTES = 16 * 1024 * 1024;

/** Default time between SIGTERM and SIGKILL for a command ended by a timeout or abort: 2000 ms. */
export const DEFAULT_KILL_GRACE_MS = 2000;

/**
 * Runs a command as a local process with execa: an argv array without a shell, or a script fed to `sh -s` on stdin
 * (or, when `options.stdin` is set, written to a private temporary file that is removed afterwards).
 *
 * On POSIX systems the command leads its own process group, and a timeout or abort sends SIGTERM, then after
 * `killGraceMs` SIGKILL, to the whole group, so processes it started cannot keep `run` waiting on their output.
 *
 * Resolves with the exit code or signal, also for a non-zero exit. Rejects with `VM_ERR_COMMAND_NOT_STARTED`,
 * `VM_ERR_COMMAND_TIMED_OUT`, `VM_ERR_COMMAND_ABORTED` or `VM_ERR_COMMAND_NO_EXIT_STATUS`.
 */
export async function runLocal(command: Command, options: RunOptions = {}): Promise<RunResult> {
  validateCommand(command, options);

  if (options.signal?.aborted) {
    throw abortedError(command, options.signal.reason);
  }

  await checkWorkingDirectory(command, options.cwd);

  const scriptDirectory = command.kind === 'script' && options.stdin !== undefined ? await makeScriptDirectory() : undefined;

  try {
    return await runProcess(command, options, scriptDirectory);
  } finally {
    if (scriptDirectory !== undefined) {
      await rm(scriptDirectory, { recursive: true, force: true });
    }
  }
}

async function runProcess(command: Command, options: RunOptions, scriptDirectory: string | undefined): Promise<RunResult> {
  const { file, args, input } = await resolveInvocation(command, options, scriptDirectory);
  const maxBytes = options.maxCollectBytes ?? DEFAULT_MAX_COLLECT_BYTES;
  const collect = (options.output ?? 'collect') === 'collect';
  const stdout = new OutputCollector(collect ? maxBytes : 0);
  const stderr = new OutputCollector(collect ? maxBytes : 0);
  const startedAt = performance.now();

  const subprocess: ResultPromise = execa(file, args, {
    env: options.env,
    extendEnv: true,
    cwd: options.cwd,
    input,
    // Its own process group, so that a timeout or abort also ends the processes it started.
    detached: process.platform !== 'win32',
    buffer: false,
    reject: false,
    stripFinalNewline: false,
    windowsHide: true,
  });
  const stopper = new ProcessGroupStopper(subprocess.pid, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stopper.stop('timeout'), options.timeoutMs);
  const onAbort = (): void => stopper.stop('abort');

  options.signal?.addEventListener('abort', onAbort, { once: true });
  subprocess.stdout?.on('data', (chunk: Buffer) => {
    stdout.append(chunk);
    options.onStdout?.(chunk);
  });
  subprocess.stderr?.on('data', (chunk: Buffer) => {
    stderr.append(chunk);
    options.onStderr?.(chunk);
  });

  let result: Awaited<ResultPromise>;

  try {
    result = await subprocess;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    stopper.dispose();
  }

  const durationMs = performance.now() - startedAt;
  const collected = { stdout: stdout.toString(), stderr: stderr.toString() };

  if (stopper.reason === 'timeout') {
    throw new VmError(
      'VM_ERR_COMMAND_TIMED_OUT',
      `The command ${describeCommand(command)} timed out after ${options.timeoutMs} ms and was killed.`,
      { cause: result, diagnostics: { stderr: collected.stderr } },
    );
  }

  if (stopper.reason === 'abort') {
    throw abortedError(command, options.signal?.reason, result);
  }

  if (result.exitCode === undefined && result.signal === undefined) {
    throw notStartedOrNoStatus(command, result);
  }

  return { command, exitCode: result.exitCode, signal: result.signal, ...collected, durationMs };
}

async function resolveInvocation(
  command: Command,
  options: RunOptions,
  scriptDirectory: string | undefined,
): Promise<{ file: string; args: string[]; input: string | Uint8Array | undefined }> {
  if (command.kind === 'argv') {
    const [file = '', ...args] = command.argv;

    return { file, args, input: options.stdin ?? '' };
  }

  const shell = command.shell ?? 'sh';
  const scriptArgs = [...(command.args ?? [])];

  if (scriptDirectory === undefined) {
    return { file: shell, args: ['-s', '--', ...scriptArgs], input: command.script };
  }

  const scriptPath = join(scriptDirectory, 'script.sh');

  await writeFile(scriptPath, command.script, { mode: 0o600 });

  return { file: shell, args: [scriptPath, ...scriptArgs], input: options.stdin };
}

async function checkWorkingDirectory(command: Command, cwd: string | undefined): Promise<void> {
  if (cwd === undefined) {
    return;
  }

  // spawn() reports a missing cwd as ENOENT of the executable, which sends the reader after the wrong path.
  const isFolder = await stat(cwd).then((info) => info.isDirectory(), () => false);

  if (!isFolder) {
    throw new VmError(
      'VM_ERR_COMMAND_NOT_STARTED',
      `Could not start ${describeCommand(command)}: the working directory ${cwd} does not exist or is not a folder. ` +
        'Pass an existing folder as cwd.',
    );
  }
}

async function makeScriptDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'deskvm-script-'));
}

function abortedError(command: Command, reason: unknown, cause?: unknown): VmError {
  const detail = reason instanceof Error ? `: ${reason.message}` : '';

  return new VmError('VM_ERR_COMMAND_ABORTED', `The command ${describeCommand(command)} was aborted${detail}.`, {
    cause: cause ?? reason,
  });
}

function notStartedOrNoStatus(command: Command, result: { cause?: unknown; code?: string }): VmError {
  const cause = result.cause as NodeJS.ErrnoException | undefined;

  if (cause?.syscall?.startsWith('spawn') === true || cause?.code === 'ENOENT' || cause?.code === 'EACCES') {
    return new VmError(
      'VM_ERR_COMMAND_NOT_STARTED',
      `Could not start ${describeCommand(command)}: ${cause.message}. Check that the executable exists and is executable.`,
      { cause },
    );
  }

  return new VmError(
    'VM_ERR_COMMAND_NO_EXIT_STATUS',
    `The command ${describeCommand(command)} ended without an exit code or signal.`,
    { cause: cause ?? result },
  );
}
