import { Readable, Writable } from 'node:stream';
import type Dockerode from 'dockerode';
import { engineMessage, engineStatusCode, NativeError } from './errors.js';

/** Options of `NativeVm.logs`. */
export interface LogsOptions {
  /** Keep reading until the container stops or `signal` aborts. Default false: return once the current log is read. */
  follow?: boolean;
  /** Only the last `tail` lines. Default: the whole log. */
  tail?: number;
  /** Prefix each line with the engine's RFC 3339 timestamp. Default false. */
  timestamps?: boolean;
  /** Aborting ends a follow; the promise then resolves. */
  signal?: AbortSignal;
  /** Called with each stdout chunk of the container. */
  onStdout?: (chunk: Uint8Array) => void;
  /** Called with each stderr chunk of the container. */
  onStderr?: (chunk: Uint8Array) => void;
}

/**
 * Reads a container's log through the engine, demultiplexed into stdout and stderr (the container has no TTY).
 * Raises `NATIVE_ERR_CONTAINER` when the container does not exist or the engine fails.
 */
export async function readContainerLogs(container: Dockerode.Container, docker: Dockerode, options: LogsOptions = {}): Promise<void> {
  if (options.tail !== undefined && !(Number.isInteger(options.tail) && options.tail >= 0)) {
    throw new NativeError('NATIVE_ERR_INVALID_ARGUMENT', `Invalid tail ${String(options.tail)}: pass a line count of 0 or more.`);
  }

  if (options.signal?.aborted) {
    return;
  }

  let stream: Readable;

  try {
    const output: unknown = await container.logs({
      follow: options.follow ?? false,
      stdout: true,
      stderr: true,
      timestamps: options.timestamps ?? false,
      ...(options.tail === undefined ? {} : { tail: options.tail }),
    } as Dockerode.ContainerLogsOptions & { follow: false });

    // Without follow dockerode returns the whole multiplexed log as one Buffer, with follow a stream.
    stream = Buffer.isBuffer(output) ? Readable.from([output]) : (output as Readable);
  } catch (error) {
    const state = engineStatusCode(error) === 404 ? 'does not exist' : `failed: ${engineMessage(error)}`;

    throw new NativeError('NATIVE_ERR_CONTAINER', `Reading the log of the container ${container.id} ${state}.`, { cause: error });
  }

  const onAbort = (): void => {
    stream.destroy();
  };

  options.signal?.addEventListener('abort', onAbort, { once: true });
  docker.modem.demuxStream(stream, sink(options.onStdout), sink(options.onStderr));

  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('end', () => resolve());
      stream.once('close', () => resolve());
      stream.once('error', (error) => (options.signal?.aborted ? resolve() : reject(error)));
    });
  } catch (error) {
    throw new NativeError('NATIVE_ERR_CONTAINER', `Reading the log of the container ${container.id} failed: ${engineMessage(error)}.`, {
      cause: error,
    });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Returns the last `lines` lines of a container's log, stdout and stderr interleaved as the engine sent them. */
export async function logTail(container: Dockerode.Container, docker: Dockerode, lines: number): Promise<string> {
  const chunks: Buffer[] = [];
  const append = (chunk: Uint8Array): void => {
    chunks.push(Buffer.from(chunk));
  };

  await readContainerLogs(container, docker, { tail: lines, onStdout: append, onStderr: append });

  return Buffer.concat(chunks).toString('utf8');
}

function sink(onChunk: ((chunk: Uint8Array) => void) | undefined): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      onChunk?.(chunk);
      callback();
    },
  });
}
