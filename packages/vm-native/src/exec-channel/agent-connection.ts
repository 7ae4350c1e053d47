import { Writable, type Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type Dockerode from 'dockerode';
import type { Logger } from '@deskvm/vm-core';
import { engineMessage, NativeError } from '../errors.js';
import { encodeFrame, FrameDecoder, FrameType, PROTOCOL_VERSION, type Frame } from './frame.js';
import { decodeHello, type AgentHello } from './messages.js';

/** Receives the frames of one command and learns when the connection broke. */
export interface CommandListener {
  onFrame(frame: Frame): void;
  onBreak(reason: string): void;
}

/** Options of `AgentConnection.open`. */
export interface AgentConnectionOptions {
  container: Dockerode.Container;
  docker: Dockerode;
  /** The agent's command line in the container. */
  argv: readonly string[];
  /** The user the agent runs as; undefined means the container's user. */
  user: string | undefined;
  /** How long to wait for the agent's hello frame, in milliseconds. */
  helloTimeoutMs: number;
  logger: Logger;
}

/** Bytes of early output kept for the message when the agent does not start: 4 KiB. */
const EARLY_OUTPUT_BYTES = 4096;

/**
 * One running agent: a Docker exec with stdin and stdout attached, carrying frames. It routes incoming frames to the
 * listener of their command id and reports a break (agent exit, container stop, protocol error) to every listener.
 */
export class AgentConnection {
  private readonly listeners = new Map<number, CommandListener>();
  private nextCommandId = 1;
  private brokenReason: string | undefined;

  private constructor(
    private readonly stream: Duplex,
    /** The agent's hello: its protocol version, pid, uid and Node.js version. */
    readonly hello: AgentHello,
    private readonly logger: Logger,
    private readonly decoder: FrameDecoder,
  ) {}

  /**
   * Starts the agent and waits for its hello frame. Raises `NATIVE_ERR_EXEC` when the engine fails, or when the agent
   * ends, sends something else, speaks another protocol version or stays silent for `helloTimeoutMs`.
   */
  static async open(options: AgentConnectionOptions): Promise<AgentConnection> {
    const stream = await startAgentExec(options);
    const early: Buffer[] = [];
    const decoder = new FrameDecoder();
    // Set once the hello frame arrived; from then on the stream's frames go to the connection.
    const opened: { connection?: AgentConnection } = {};
    let settle: (hello: AgentHello | Error) => void = () => undefined;
    const helloOrError = new Promise<AgentHello | Error>((resolve) => {
      settle = resolve;
    });
    const describe = (problem: string): Error =>
      new NativeError(
        'NATIVE_ERR_EXEC',
        `The exec agent ${JSON.stringify(options.argv)} did not start: ${problem}. Output: ` +
          `${JSON.stringify(Buffer.concat(early).toString('utf8').slice(0, EARLY_OUTPUT_BYTES))}. ` +
          'Check that the image contains the agent and Node.js 18 or later.',
      );

    const stdout = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (opened.connection !== undefined) {
          opened.connection.receive(chunk);
        } else {
          early.push(chunk);

          try {
            const [first] = decoder.push(chunk);

            if (first !== undefined) {
              settle(first.type === FrameType.hello ? decodeHello(first.payload) : describe(`the first frame has type ${first.type}`));
            }
          } catch (error) {
            settle(describe((error as Error).message));
          }
        }

        callback();
      },
    });
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (opened.connection === undefined) {
          early.push(chunk);
        }

        options.logger.warn('the exec agent wrote to stderr', { container: options.container.id, text: chunk.toString('utf8') });
        callback();
      },
    });

    options.docker.modem.demuxStream(stream, stdout, stderr);

    const onEnd = (): void => {
      settle(describe('it ended before it sent its hello frame'));
      opened.connection?.fail('the exec agent ended or the container stopped');
    };

    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', (error: Error) => {
      settle(describe(error.message));
      opened.connection?.fail(`the exec channel failed: ${error.message}`);
    });

    const timer = setTimeout(() => settle(describe(`no hello frame within ${options.helloTimeoutMs} ms`)), options.helloTimeoutMs);
    const hello = await helloOrError;

    clearTimeout(timer);

    if (hello instanceof Error) {
      stream.destroy();
      throw hello;
    }

    if (hello.protocol !== PROTOCOL_VERSION) {
      stream.destroy();
      throw describe(`it speaks protocol ${hello.protocol}, not ${PROTOCOL_VERSION}`);
    }

    // The agent sends nothing after its hello frame until it receives a start frame, so the decoder contains no frame yet.
    const connection = new AgentConnection(stream, hello, options.logger, decoder);

    opened.connection = connection;
    options.logger.debug('the exec agent started', { container: options.container.id, ...hello });

    return connection;
  }

  /** True once the connection broke or was closed; a new one must be opened. */
  get broken(): boolean {
    return this.brokenReason !== undefined;
  }

  /** Registers `listener` for a new command and returns the command's id. */
  register(listener: CommandListener): number {
    const commandId = this.nextCommandId;

    this.nextCommandId = this.nextCommandId >= 0xffff_ffff ? 1 : this.nextCommandId + 1;
    this.listeners.set(commandId, listener);
    this.updateRef();

    return commandId;
  }

  /** Removes the listener of a finished command. */
  unregister(commandId: number): void {
    this.listeners.delete(commandId);
    this.updateRef();
  }

  /** Sends one frame. Raises `FRAME_ERR_TOO_LARGE` (a `FrameError`) for a payload above the frame limit. */
  send(type: number, commandId: number, payload?: Uint8Array): void {
    const frame = encodeFrame(type, commandId, payload);

    if (!this.broken) {
      this.stream.write(frame);
    }
  }

  /** Closes the agent's stdin, which makes it kill its commands and exit, and waits up to `waitMs` for the end. */
  async close(waitMs: number): Promise<void> {
    if (this.broken) {
      return;
    }

    const ended = new Promise<void>((resolve) => {
      this.stream.once('close', resolve);
      this.stream.once('end', resolve);
    });

    // The socket of an idle channel is unref'd, and without a ref Node.js could exit while close is awaited.
    (this.stream as Partial<Socket>).ref?.();
    this.stream.end();
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
    this.fail('the exec channel was closed');
  }

  private receive(chunk: Buffer): void {
    let frames: Frame[];

    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.fail(`the exec agent broke the protocol: ${(error as Error).message}`);
      return;
    }

    for (const frame of frames) {
      this.listeners.get(frame.commandId)?.onFrame(frame);
    }
  }

  private fail(reason: string): void {
    if (this.brokenReason !== undefined) {
      return;
    }

    this.brokenReason = reason;
    this.logger.debug('the exec channel ended', { agentPid: this.hello.pid, reason });
    this.stream.destroy();

    const listeners = [...this.listeners.values()];

    this.listeners.clear();
    listeners.forEach((listener) => listener.onBreak(reason));
  }

  /** Keeps the Node.js process alive only while a command is in flight. */
  private updateRef(): void {
    const socket = this.stream as Partial<Socket>;

    if (this.listeners.size > 0) {
      socket.ref?.();
    } else {
      socket.unref?.();
    }
  }
}

async function startAgentExec(options: AgentConnectionOptions): Promise<Duplex> {
  try {
    const exec = await options.container.exec({
      Cmd: [...options.argv],
      User: options.user ?? '',
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });

    return (await exec.start({ hijack: true, stdin: true })) as Duplex;
  } catch (error) {
    throw new NativeError('NATIVE_ERR_EXEC', `Could not start the exec agent ${JSON.stringify(options.argv)}: ${engineMessage(error)}.`, {
      cause: error,
    });
  }
}
