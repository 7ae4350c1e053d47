/**
 * A command to run in the VM: an argv array, or a script passed as data. Neither form is ever joined into a string
 * for a shell by this package or by a backend.
 */
export type Command = ArgvCommand | ScriptCommand;

/** An executable and its arguments. Each element arrives as one argument, byte for byte. */
export interface ArgvCommand {
  kind: 'argv';
  /** The executable first, then its arguments. Must contain at least one element. */
  argv: readonly string[];
}

/**
 * A script for a POSIX shell, passed as data: the runner feeds it to `sh -s` on stdin (or writes it to a file) and
 * passes `args` as the positional parameters `$1`, `$2`, ..., so no value is ever pasted into the script text.
 */
export interface ScriptCommand {
  kind: 'script';
  /** The script text. */
  script: string;
  /** The positional parameters, `$1` onwards. Default none. */
  args?: readonly string[];
  /** The interpreter. Default `sh`. */
  shell?: string;
}

/** Where the command's output goes. */
export type OutputMode = 'collect' | 'stream';

/** Options of `Vm.run` and of `runLocal`. */
export interface RunOptions {
  /** Extra environment variables, added to the VM user's environment. Keys must not contain `=` or NUL. */
  env?: Readonly<Record<string, string>>;
  /** The working directory inside the VM. Default the VM user's home directory (the runner's default). */
  cwd?: string;
  /** Bytes or text written to the command's stdin, then stdin is closed. Default: stdin is closed at once. */
  stdin?: string | Uint8Array;
  /** Time limit in milliseconds, after which the command is killed and `VM_ERR_COMMAND_TIMED_OUT` raised. Default none. */
  timeoutMs?: number;
  /** Aborting ends the command and raises `VM_ERR_COMMAND_ABORTED`. */
  signal?: AbortSignal;
  /** `collect` (default) keeps stdout and stderr in the result; `stream` delivers them only to `onStdout`/`onStderr`. */
  output?: OutputMode;
  /** Called with each stdout chunk as it arrives, in both output modes. */
  onStdout?: (chunk: Uint8Array) => void;
  /** Called with each stderr chunk as it arrives, in both output modes. */
  onStderr?: (chunk: Uint8Array) => void;
  /** Upper bound on the collected bytes per stream; older bytes beyond it are dropped. Default 16 MiB. */
  maxCollectBytes?: number;
  /**
   * Milliseconds between SIGTERM and SIGKILL when the command and the processes it started are ended for a timeout or
   * abort. Default 2000.
   */
  killGraceMs?: number;
}

/** How a command ended. Exactly one of `exitCode` and `signal` is set. */
export interface RunResult {
  /** The command as it was run, for messages. */
  command: Command;
  /** The exit code, or undefined when a signal ended the command. */
  exitCode?: number;
  /** The signal name such as `SIGKILL`, or undefined when the command exited. */
  signal?: string;
  /** The collected stdout as UTF-8 text; empty in `stream` mode. */
  stdout: string;
  /** The collected stderr as UTF-8 text; empty in `stream` mode. */
  stderr: string;
  /** Wall-clock run time in milliseconds. */
  durationMs: number;
}

/** Returns the argv array of an argv command, or a one-line description of a script, for messages and logs. */
export function describeCommand(command: Command): string {
  if (command.kind === 'argv') {
    return JSON.stringify(command.argv);
  }

  const firstLine = command.script.split('\n', 1)[0] ?? '';

  return `${command.shell ?? 'sh'} script starting ${JSON.stringify(firstLine.slice(0, 60))}`;
}

/** Returns true when the command ended with exit code 0. */
export function succeeded(result: RunResult): boolean {
  return result.exitCode === 0;
}
