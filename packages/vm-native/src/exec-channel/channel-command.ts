import { Buffer } from 'node:buffer';
import { describeCommand, OutputCollector, type Command } from '@deskvm/vm-core';
import type { ExecOptions } from '../container-exec.js';
import { NativeError } from '../errors.js';
import type { AgentConnection, CommandListener } from './agent-connection.js';
import { decodeExitCode, FrameError, FrameType, MAX_DATA_PAYLOAD_BYTES, type Frame } from './frame.js';
import { encodeJson } from './messages.js';

/** The outcome of a command on the channel. */
export type CommandOutcome =
  | { kind: 'exit'; exitCode: number }
  | { kind: 'killed' }
  | { kind: 'not-started'; message: string }
  | { kind: 'broken'; reason: string };

/** Time to wait for the exit frame after a kill frame before the command is given up: 5000 ms. */
const KILL_WAIT_MS = 5000;

/**
 * One command on an `AgentConnection`: sends its start, stdin and kill frames, collects its output like the Docker
 * exec path (vm-core's `OutputCollector`, callbacks per chunk) and resolves with its outcome. It never rejects.
 */
export class ChannelCommand implements CommandListener {
  readonly stdout: OutputCollector;
  readonly stderr: OutputCollector;
  /** The cause of a kill frame (`timeout` or `abort`), or undefined while the command runs normally. */
  stopReason: 'timeout' | 'abort' | undefined;

  private readonly commandId: number;
  private settle: (outcome: CommandOutcome) => void = () => undefined;
  private readonly outcome = new Promise<CommandOutcome>((resolve) => {
    this.settle = resolve;
  });

  constructor(
    private readonly connection: AgentConnection,
    private readonly command: Command & { kind: 'argv' },
    private readonly options: ExecOptions,
    maxCollectBytes: number,
  ) {
    this.stdout = new OutputCollector(maxCollectBytes);
    this.stderr = new OutputCollector(maxCollectBytes);
    this.commandId = connection.register(this);
  }

  /**
   * Sends the start frame and the stdin, then resolves once the command ended. Raises `NATIVE_ERR_INVALID_ARGUMENT`
   * when argv, env and cwd together exceed the frame limit.
   */
  async run(): Promise<CommandOutcome> {
    try {
      this.connection.send(
        FrameType.start,
        this.commandId,
        encodeJson({ argv: [...this.command.argv], env: { ...this.options.env }, cwd: this.options.cwd, stdin: this.options.stdin !== undefined }),
      );
    } catch (error) {
      this.connection.unregister(this.commandId);

      if (error instanceof FrameError) {
        throw new NativeError(
          'NATIVE_ERR_INVALID_ARGUMENT',
          `The argv, env and cwd of ${describeCommand(this.command).slice(0, 200)} are too large for the exec channel: ` +
            `${error.message} Pass large data through stdin instead.`,
        );
      }

      throw error;
    }

    this.sendStdin();

    try {
      return await this.outcome;
    } finally {
      this.connection.unregister(this.commandId);
    }
  }

  /** Sends a kill frame for `reason`; the command then ends as `killed`. Only the first call has an effect. */
  stop(reason: 'timeout' | 'abort'): void {
    if (this.stopReason !== undefined) {
      return;
    }

    this.stopReason = reason;
    this.connection.send(FrameType.kill, this.commandId);
    // An agent that cannot reap the process in time must not keep the caller waiting for ever.
    setTimeout(() => this.settle({ kind: 'killed' }), KILL_WAIT_MS).unref();
  }

  onFrame(frame: Frame): void {
    switch (frame.type) {
      case FrameType.stdout:
        this.stdout.append(frame.payload);
        this.options.onStdout?.(frame.payload);
        break;
      case FrameType.stderr:
        this.stderr.append(frame.payload);
        this.options.onStderr?.(frame.payload);
        break;
      case FrameType.exit:
        this.settle(this.stopReason === undefined ? exitOutcome(frame) : { kind: 'killed' });
        break;
      case FrameType.error:
        this.settle({ kind: 'not-started', message: frame.payload.toString('utf8') });
        break;
      default:
        this.settle({ kind: 'broken', reason: `the exec agent sent a frame of unknown type ${frame.type}` });
    }
  }

  onBreak(reason: string): void {
    this.settle(this.stopReason === undefined ? { kind: 'broken', reason } : { kind: 'killed' });
  }

  private sendStdin(): void {
    const { stdin } = this.options;

    if (stdin === undefined) {
      return;
    }

    const bytes = typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength);

    for (let offset = 0; offset < bytes.length; offset += MAX_DATA_PAYLOAD_BYTES) {
      this.connection.send(FrameType.stdin, this.commandId, bytes.subarray(offset, offset + MAX_DATA_PAYLOAD_BYTES));
    }

    this.connection.send(FrameType.stdinEnd, this.commandId);
  }
}

function exitOutcome(frame: Frame): CommandOutcome {
  try {
    return { kind: 'exit', exitCode: decodeExitCode(frame.payload) };
  } catch (error) {
    return { kind: 'broken', reason: (error as Error).message };
  }
}
