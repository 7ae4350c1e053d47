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

    (command.args ?? []).forEach((value, index) => rejectNul(value, `args[${index}]`));
  }

  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (key === '' || key.includes('=') || key.includes('\0')) {
      throw new VmError(
        'VM_ERR_INVALID_ARGUMENT',
        `Invalid environment variable name ${JSON.stringify(key)}: a name must be non-empty without "=" or NUL.`,
      );
    }

    rejectNul(value, `env.${key}`);
  }

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
      `${name} contains a NUL character, which no process argument or environment value can carry.`,
    );
  }
}
