import { Writable, type Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import {
  DEFAULT_MAX_COLLECT_BYTES,
  describeCommand,
  OutputCollector,
  silentLogger,
  validateCommand,
  VmError,
  type Command,
  type Logger,
  type RunOptions,
  type RunResult,
} from '@deskvm/vm-core';
import { engineMessage, engineStatusCode, NativeError } from './errors.js';
import { killExecProcessTree } from './exec-kill.js';

/** Options of `NativeVm.exec`: those of `Vm.run` without `killGraceMs`, plus the user. */
export interface ExecOptions extends Omit<RunOptions, 'killGraceMs'> {
  /** The user that runs the command, as `name`, `uid` or `uid:gid`. Default: the container's user. */
  user?: string;
}

/** Default time to wait for the engine to report the exit code after the output ended: 5000 ms. */
const EXIT_CODE_WAIT_MS = 5000;

/**
 * Runs `argv` in a running container through the Docker exec API, with `argv` as `Cmd` exactly (no shell), and
 * resolves with the exit code from exec inspect, also when it is not 0. stdout and stderr are demultiplexed.
 *
 * A timeout or abort kills the process and everything it started (see `killExecProcessTree`), then raises
 * `VM_ERR_COMMAND_TIMED_OUT` or `VM_ERR_COMMAND_ABORTED`. A container that does not run raises
 * `VM_ERR_COMMAND_NOT_STARTED`; an engine failure raises `NATIVE_ERR_EXEC`.
 */
export async function execInContainer(
  container: Dockerode.Container,
  docker: Dockerode,
  argv: readonly string[],
  options: ExecOptions = {},
  logger: Logger = silentLogger,
): Promise<RunResult> {
  const command: Command = { kind: 'argv', argv };

  validateCommand(command, options);

  if (options.signal?.aborted) {
    throw new VmError('VM_ERR_COMMAND_ABORTED', `The command ${describeCommand(command)} was aborted before it started.`, {
      cause: options.signal.reason,
    });
  }

  await requireRunning(container, command);

  const startedAt = performance.now();
  const exec = await createExec(container, command, options);
  const stream = await startExec(exec, command, options.stdin !== undefined);
  const collect = (options.output ?? 'collect') === 'collect';
  const maxBytes = collect ? (options.maxCollectBytes ?? DEFAULT_MAX_COLLECT_BYTES) : 0;
  const stdout = new OutputCollector(maxBytes);
  const stderr = new OutputCollector(maxBytes);
  let stopReason: 'timeout' | 'abort' | undefined;

  const stop = (reason: 'timeout' | 'abort'): void => {
    if (stopReason !== undefined) {
      return;
    }

    stopReason = reason;
    logger.debug('killing an exec', { container: container.id, reason });
    // Once the processes are gone the engine ends the stream; destroying it also covers a kill that failed.
    void killExecProcessTree(container, exec, options.user, logger).finally(() => stream.destroy());
  };
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
  const onAbort = (): void => stop('abort');

  options.signal?.addEventListener('abort', onAbort, { once: true });
  docker.modem.demuxStream(stream, sink(stdout, options.onStdout), sink(stderr, options.onStderr));

  try {
    writeStdin(stream, options.stdin);
    await streamEnd(stream);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }

  const collected = { stdout: stdout.toString(), stderr: stderr.toString() };

  if (stopReason === 'timeout') {
    throw new VmError(
      'VM_ERR_COMMAND_TIMED_OUT',
      `The command ${describeCommand(command)} timed out after ${options.timeoutMs} ms and was killed.`,
      { diagnostics: { stderr: collected.stderr } },
    );
  }

  if (stopReason === 'abort') {
    const detail = options.signal?.reason instanceof Error ? `: ${options.signal.reason.message}` : '';

    throw new VmError('VM_ERR_COMMAND_ABORTED', `The command ${describeCommand(command)} was aborted${detail}.`, {
      cause: options.signal?.reason,
    });
  }

  const exitCode = await waitForExitCode(exec, command);

  return { command, exitCode, ...collected, durationMs: performance.now() - startedAt };
}

/** Raises `VM_ERR_COMMAND_NOT_STARTED` unless the container runs, and `NATIVE_ERR_EXEC` when inspecting it fails. */
export async function requireRunning(container: Dockerode.Container, command: Command): Promise<void> {
  const info = await container.inspect().catch((error: unknown) => {
    if (engineStatusCode(error) === 404) {
      return undefined;
    }

    throw new NativeError('NATIVE_ERR_EXEC', `Could not inspect the container ${container.id}: ${engineMessage(error)}.`, {
      cause: error,
    });
  });

  if (info?.State.Running !== true) {
    const state = info === undefined ? 'does not exist' : `is ${info.State.Status}`;

    throw new VmError(
      'VM_ERR_COMMAND_NOT_STARTED',
      `Could not run ${describeCommand(command)}: the container ${container.id} ${state}. Start it with \`deskvm up\`.`,
    );
  }
}

async function createExec(container: Dockerode.Container, command: Command, options: ExecOptions): Promise<Dockerode.Exec> {
  const argv = command.kind === 'argv' ? [...command.argv] : [];

  try {
    return await container.exec({
      Cmd: argv,
      Env: Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`),
      WorkingDir: options.cwd ?? '',
      User: options.user ?? '',
      AttachStdin: options.stdin !== undefined,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
  } catch (error) {
    throw execFailure('create', command, error);
  }
}

async function startExec(exec: Dockerode.Exec, command: Command, withStdin: boolean): Promise<Duplex> {
  try {
    return (await exec.start({ hijack: true, stdin: withStdin })) as Duplex;
  } catch (error) {
    // The engine starts the process during this request, so a missing executable or working folder fails here.
    throw new VmError(
      'VM_ERR_COMMAND_NOT_STARTED',
      `Could not start ${describeCommand(command)} in the container: ${engineMessage(error)}.`,
      { cause: error },
    );
  }
}

function writeStdin(stream: Duplex, stdin: string | Uint8Array | undefined): void {
  if (stdin === undefined) {
    return;
  }

  // end() closes the write half of the hijacked connection, which the engine passes on as end of file on stdin.
  stream.end(typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : stdin);
}

function sink(collector: OutputCollector, onChunk: ((chunk: Uint8Array) => void) | undefined): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      collector.append(chunk);
      onChunk?.(chunk);
      callback();
    },
  });
}

function streamEnd(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => resolve();

    stream.once('end', done);
    stream.once('close', done);
    // A destroyed stream (timeout, abort) may report an error; the caller decides by the stop reason.
    stream.once('error', done);
  });
}

async function waitForExitCode(exec: Dockerode.Exec, command: Command): Promise<number> {
  const deadline = performance.now() + EXIT_CODE_WAIT_MS;

  while (true) {
    let info: Dockerode.ExecInspectInfo;

    try {
      info = await exec.inspect();
    } catch (error) {
      throw execFailure('inspect', command, error);
    }

    if (!info.Running && typeof info.ExitCode === 'number') {
      return info.ExitCode;
    }

    if (performance.now() > deadline) {
      throw new VmError(
        'VM_ERR_COMMAND_NO_EXIT_STATUS',
        `The command ${describeCommand(command)} closed its output, but the engine reported no exit code within ` +
          `${EXIT_CODE_WAIT_MS} ms.`,
      );
    }

    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function execFailure(step: string, command: Command, error: unknown): NativeError {
  return new NativeError('NATIVE_ERR_EXEC', `Could not ${step} the exec of ${describeCommand(command)}: ${engineMessage(error)}.`, {
    cause: error,
  });
}
