import type Dockerode from 'dockerode';
import {
  DEFAULT_MAX_COLLECT_BYTES,
  describeCommand,
  silentLogger,
  validateCommand,
  VmError,
  type Command,
  type Logger,
  type RunResult,
} from '@deskvm/vm-core';
import { requireRunning, type ExecOptions } from '../container-exec.js';
import { AgentConnection } from './agent-connection.js';
import { ChannelCommand, type CommandOutcome } from './channel-command.js';

/** Options of `ExecChannel`. */
export interface ExecChannelOptions {
  /** The running container the agent runs in. */
  container: Dockerode.Container;
  /** The client of the container's engine; its modem demultiplexes the agent's stdout and stderr. */
  docker: Dockerode;
  /** The agent's command line in the container, such as `['node', '/opt/deskvm/exec-agent.mjs']`. */
  argv: readonly string[];
  /** The user the agent and so every command runs as, as `name`, `uid` or `uid:gid`. Default: the container's user. */
  user?: string;
  /** How long to wait for the agent's hello frame after its exec started, in milliseconds. Default 10000. */
  helloTimeoutMs?: number;
  /** Receives the agent's starts, ends and stderr. Default silent. */
  logger?: Logger;
}

/** Default of `ExecChannelOptions.helloTimeoutMs`: 10000 ms. */
export const DEFAULT_HELLO_TIMEOUT_MS = 10_000;

/** Time `close` waits for the agent to exit after its stdin closed: 2000 ms. */
const CLOSE_WAIT_MS = 2000;

/**
 * A persistent exec channel: one Docker exec runs the exec agent in the container, and commands travel over its stdin
 * and stdout as frames. A command then costs one round trip, where a Docker exec costs four requests and a runc exec.
 *
 * The agent starts on the first `run`. Its socket keeps the Node.js process alive only while a command is in flight.
 * When the agent ends (container stopped, agent killed, protocol error), commands in flight fail with
 * `VM_ERR_COMMAND_NO_EXIT_STATUS` and the next `run` starts a new agent.
 */
export class ExecChannel {
  private connecting: Promise<AgentConnection> | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: ExecChannelOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Runs `argv` through the agent and resolves with its exit code, also when it is not 0. A command ended by a signal
   * has exit code 128 + the signal number, as with `execInContainer`. A missing executable exits with 127 and a
   * message on stderr, as the docker command reports it, where `execInContainer` gives 126. One that cannot be
   * executed exits with 126.
   *
   * Raises `VM_ERR_COMMAND_TIMED_OUT` or `VM_ERR_COMMAND_ABORTED` after the agent killed the command's process group.
   * Raises `VM_ERR_COMMAND_NOT_STARTED` when the container does not run or the agent cannot spawn the command, and
   * `VM_ERR_COMMAND_NO_EXIT_STATUS` when the channel breaks. Raises `NATIVE_ERR_EXEC` when the agent does not start,
   * and `NATIVE_ERR_INVALID_ARGUMENT` when argv, env and cwd exceed the 1 MiB frame limit. `options.user` is ignored,
   * because every command runs as the agent's user.
   */
  async run(argv: readonly string[], options: ExecOptions = {}): Promise<RunResult> {
    const command: Command & { kind: 'argv' } = { kind: 'argv', argv };

    validateCommand(command, options);

    if (options.signal?.aborted) {
      throw new VmError('VM_ERR_COMMAND_ABORTED', `The command ${describeCommand(command)} was aborted before it started.`, {
        cause: options.signal.reason,
      });
    }

    const startedAt = performance.now();
    const connection = await this.connection(command);
    const collect = (options.output ?? 'collect') === 'collect';
    const running = new ChannelCommand(connection, command, options, collect ? (options.maxCollectBytes ?? DEFAULT_MAX_COLLECT_BYTES) : 0);
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => running.stop('timeout'), options.timeoutMs);
    const onAbort = (): void => running.stop('abort');
    let outcome: CommandOutcome;

    options.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      outcome = await running.run();
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }

    const collected = { stdout: running.stdout.toString(), stderr: running.stderr.toString() };

    if (running.stopReason === 'timeout') {
      throw new VmError(
        'VM_ERR_COMMAND_TIMED_OUT',
        `The command ${describeCommand(command)} timed out after ${options.timeoutMs} ms and was killed.`,
        { diagnostics: { stderr: collected.stderr } },
      );
    }

    if (running.stopReason === 'abort') {
      const detail = options.signal?.reason instanceof Error ? `: ${options.signal.reason.message}` : '';

      throw new VmError('VM_ERR_COMMAND_ABORTED', `The command ${describeCommand(command)} was aborted${detail}.`, {
        cause: options.signal?.reason,
      });
    }

    if (outcome.kind === 'not-started') {
      throw new VmError('VM_ERR_COMMAND_NOT_STARTED', `Could not start ${describeCommand(command)} in the container: ${outcome.message}.`);
    }

    if (outcome.kind !== 'exit') {
      const reason = outcome.kind === 'broken' ? outcome.reason : 'the command was killed';

      throw new VmError(
        'VM_ERR_COMMAND_NO_EXIT_STATUS',
        `The command ${describeCommand(command)} ended without an exit code: ${reason}. Run it again; a new exec channel starts.`,
        { diagnostics: { stderr: collected.stderr } },
      );
    }

    return { command, exitCode: outcome.exitCode, ...collected, durationMs: performance.now() - startedAt };
  }

  /** Ends the agent, which kills the commands it still runs; they fail with `VM_ERR_COMMAND_NO_EXIT_STATUS`. A later `run` starts a new agent. */
  async close(): Promise<void> {
    const connecting = this.connecting;

    this.connecting = undefined;

    const connection = await connecting?.catch(() => undefined);

    await connection?.close(CLOSE_WAIT_MS);
  }

  /** Returns the open connection, or opens one. Concurrent callers share one opening agent. */
  private async connection(command: Command): Promise<AgentConnection> {
    const current = this.connecting;

    if (current !== undefined) {
      const connection = await current.catch(() => undefined);

      if (connection !== undefined && !connection.broken) {
        return connection;
      }

      if (this.connecting === current) {
        this.connecting = undefined;
      }
    }

    if (this.connecting === undefined) {
      this.connecting = this.open(command);
    }

    return this.connecting;
  }

  private async open(command: Command): Promise<AgentConnection> {
    const { container, docker, argv, user, logger } = this.options;

    // The check costs a request only when an agent starts, and gives the Docker exec path's message for a stopped container.
    await requireRunning(container, command);

    return AgentConnection.open({
      container,
      docker,
      argv,
      user,
      helloTimeoutMs: this.options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS,
      logger: logger ?? this.logger,
    });
  }
}
