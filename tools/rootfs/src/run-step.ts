import { isVmError, runLocal } from '@deskvm/vm-core';

import { RootfsError, type RootfsErrorCode } from './errors.js';

/** Lines of output kept for an error's `diagnostics.logTail`. */
const LOG_TAIL_LINES = 400;

/** A clean environment for commands that run in the chroot: no host PATH entries, no host locale. */
export const CHROOT_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LC_ALL: 'C',
  LANG: 'C',
  DEBIAN_FRONTEND: 'noninteractive',
  DEBCONF_NONINTERACTIVE_SEEN: 'true',
};

/** Options of `runStep`. */
export interface RunStepOptions {
  /** A short description of the command for the error message, such as `debootstrap`. */
  what: string;
  /** The error code raised when the command fails. */
  code: RootfsErrorCode;
  /** The next thing to try, appended to the error message. */
  fix: string;
  /** Environment variables added to this process's. */
  env?: Readonly<Record<string, string>>;
  /** Aborting ends the command and its process group, and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Receives each line of stdout and stderr, without the line break. */
  onLine?: (line: string) => void;
}

/**
 * Runs `argv` as a local process in its own process group, hands each output line to `onLine`, and raises
 * `options.code` with the last lines of output when it fails. Returns the output's last lines.
 */
export async function runStep(argv: readonly string[], options: RunStepOptions): Promise<string> {
  const tail: string[] = [];
  const stdout = new LineSplitter((line) => collect(line));
  const stderr = new LineSplitter((line) => collect(line));

  function collect(line: string): void {
    tail.push(line);

    if (tail.length > LOG_TAIL_LINES) {
      tail.shift();
    }

    options.onLine?.(line);
  }

  let exitCode: number | undefined;
  let signalName: string | undefined;

  try {
    const result = await runLocal(
      { kind: 'argv', argv },
      {
        output: 'stream',
        onStdout: (chunk) => stdout.push(chunk),
        onStderr: (chunk) => stderr.push(chunk),
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
    );

    exitCode = result.exitCode;
    signalName = result.signal;
  } catch (error) {
    if (isVmError(error, 'VM_ERR_COMMAND_ABORTED') && options.signal?.aborted === true) {
      throw options.signal.reason;
    }

    throw new RootfsError(options.code, `${options.what} could not be started: ${(error as Error).message} ${options.fix}`, {
      cause: error,
    });
  }

  stdout.end();
  stderr.end();

  if (exitCode !== 0) {
    const how = exitCode === undefined ? `was ended by ${signalName ?? 'a signal'}` : `failed with exit code ${exitCode}`;

    throw new RootfsError(options.code, `${options.what} ${how}. ${options.fix}`, { diagnostics: { logTail: tail.join('\n') } });
  }

  return tail.join('\n');
}

/** Splits a byte stream into UTF-8 lines. */
export class LineSplitter {
  private readonly decoder = new TextDecoder();
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  /** Adds a chunk and emits every line it completes. */
  push(chunk: Uint8Array): void {
    const lines = (this.pending + this.decoder.decode(chunk, { stream: true })).split(/\r?\n/);

    this.pending = lines.pop() ?? '';
    lines.forEach((line) => this.onLine(line));
  }

  /** Emits the last line when the stream did not end with a line break. */
  end(): void {
    const rest = this.pending + this.decoder.decode();

    this.pending = '';

    if (rest !== '') {
      this.onLine(rest);
    }
  }
}
