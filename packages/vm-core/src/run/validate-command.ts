import { VmError } from '../errors.js';
import type { Command, RunOptions } from './command.js';

/** Raises `VM_ERR_INVALID_ARGUMENT` for a command or options that no runner could pass on literally. */
export function validateCommand(command: Command, options: RunOptions): void {
  if (command.kind === 'argv') {
    if (command.argv.length === 0 || command.argv[0] === '') {
      throw new VmError('VM_ERR_INVALID_ARGUMENT', 'The argv of a command is empty: pass the executable first.');
    }

    command.argv.forEach((value, index) => rejectNul(value, `argv[${index}]`));
  } else {
    if (command.script.trim() === '') {
      throw new VmError('VM_ERR_INVALID_ARGUMENT', 'The script of a command is empty.');
    }

    rejectNul(command.script, 'The script');

    if (command.shell === '') {
      throw new VmError(
        'VM_ERR_INVALID_ARGUMENT',
        'The shell of a script command is empty: pass an interpreter such as "sh", or leave it out.',
      );
    }

    rejectNul(command.shell ?? '', 'The shell');
    (command.args ?? []).forEach((value, index) => rejectNul(value, `args[${index}]`));
  }

  rejectNul(options.cwd ?? '', 'cwd');

  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (key === '' || key.includes('=') || key.includes('\0')) {
      throw new VmError(
        'VM_ERR_INVALID_ARGUMENT',
        `Invalid environment variable name ${JSON.stringify(key)}: a name must be non-empty without "=" or NUL.`,
      );
    }

    rejectNul(value, `env.${key}`);
  }

  checkCount(options.killGraceMs, 'killGraceMs', 'a number of milliseconds of 0 or more');
  checkCount(options.maxCollectBytes, 'maxCollectBytes', 'a number of bytes of 0 or more');

  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new VmError(
      'VM_ERR_INVALID_ARGUMENT',
      `Invalid timeoutMs ${String(options.timeoutMs)}: pass a positive number of milliseconds, or leave it out.`,
    );
  }
}

function rejectNul(value: string, name: string): void {
  if (value.includes('\0')) {
    throw new VmError(
      'VM_ERR_INVALID_ARGUMENT',
      `${name} contains a NUL character, which no process argument, environment value, path or shell script can ` +
        'carry. Remove it.',
    );
  }
}

function checkCount(value: number | undefined, name: string, expected: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new VmError('VM_ERR_INVALID_ARGUMENT', `Invalid ${name} ${String(value)}: pass ${expected}, or leave it out.`);
  }
}
