import { CliError } from '../errors.js';
import type { CommandOutput } from './command-output.js';
import { EXIT, type ExitStatus } from './exit-codes.js';

/** The fields every deskvm error class has in common: VmError, NativeError, RootfsError, CliError. */
interface CodedError extends Error {
  code: string;
  stage?: string;
  diagnostics?: Record<string, string | undefined>;
}

/** Returns the exit status for an error, from its stable code. */
export function exitStatusOf(error: unknown): ExitStatus {
  if (!isCoded(error)) {
    return EXIT.failure;
  }

  if (error.code.startsWith('NATIVE_ERR_ENGINE_')) {
    return EXIT.engine;
  }
  if (error.code === 'NATIVE_ERR_IMAGE' || error.code.startsWith('ROOTFS_ERR_')) {
    return EXIT.image;
  }

  const byCode: Record<string, ExitStatus> = {
    VM_ERR_STAGE_FAILED: EXIT.stage,
    VM_ERR_LOCKED: EXIT.locked,
    VM_ERR_COMMAND_ABORTED: EXIT.interrupted,
    CLI_ERR_INTERRUPTED: EXIT.interrupted,
    CLI_ERR_NOT_RUNNING: EXIT.notRunning,
    CLI_ERR_DOCTOR: EXIT.doctor,
    CLI_ERR_USAGE: EXIT.usage,
  };

  return byCode[error.code] ?? EXIT.failure;
}

/**
 * Prints an error: in text mode `deskvm: <message>` on stderr, then the stage and the collected diagnostics (the
 * container's log tail, its status), indented. In JSON mode one `error` record on stdout as well. Returns the exit
 * status for it.
 */
export function reportError(error: unknown, output: CommandOutput): ExitStatus {
  const message = error instanceof Error ? error.message : String(error);
  const coded = isCoded(error) ? error : undefined;
  const diagnostics = Object.entries(coded?.diagnostics ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');

  process.stderr.write(`deskvm: ${message}\n`);
  for (const [name, text] of diagnostics) {
    process.stderr.write(`  ${name}:\n${indent(text.trimEnd(), '    ')}\n`);
  }

  output.record('error', {
    code: coded?.code ?? 'CLI_ERR_UNEXPECTED',
    message,
    ...(coded?.stage === undefined ? {} : { stage: coded.stage }),
    ...(diagnostics.length === 0 ? {} : { diagnostics: Object.fromEntries(diagnostics) }),
  });

  return exitStatusOf(error);
}

/** Raises `CLI_ERR_INTERRUPTED` when the signal was aborted by Ctrl+C, and otherwise the error itself. */
export function interruptedOr(error: unknown, signal: AbortSignal): unknown {
  return signal.aborted ? new CliError('CLI_ERR_INTERRUPTED', 'Interrupted: the sandbox is left as it is; `deskvm status` shows it.', { cause: error }) : error;
}

function isCoded(error: unknown): error is CodedError {
  return error instanceof Error && typeof (error as Partial<CodedError>).code === 'string';
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}
