import { constants } from 'node:os';
import { buffer } from 'node:stream/consumers';

import { Command, InvalidArgumentError, Option } from 'commander';

import { integerIn } from '../serve/serve-options.js';
import { createCommandOutput } from './command-output.js';
import { EXIT } from './exit-codes.js';
import { withInterrupt } from './interrupt.js';
import { interruptedOr, reportError } from './report-error.js';
import { openSandbox, requireRunning, sandboxNameOption } from './sandbox-context.js';

interface ExecFlags {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly workdir?: string;
  readonly user?: string;
  readonly interactive: boolean;
  readonly timeout?: number;
}

/** Creates `deskvm exec`. */
export function createExecCommand(): Command {
  return new Command('exec')
    .description(
      'Run a command in the desktop container, through the Docker API. Each argument reaches the command as it is: ' +
        'nothing is joined into a shell line.',
    )
    .usage('[options] -- <command> [args...]')
    .argument('<command...>', 'the program and its arguments')
    .passThroughOptions()
    .addOption(sandboxNameOption())
    .addOption(new Option('-e, --env <NAME=value>', 'set an environment variable; repeatable').default({}, 'none').argParser(parseEnvironment))
    .option('-w, --workdir <path>', "working directory in the container; default the desktop user's home")
    .option('-u, --user <user>', 'user name or uid in the container; default the desktop user')
    .option('-i, --interactive', 'pass this process\'s standard input to the command', false)
    .addOption(new Option('--timeout <seconds>', 'kill the command after this many seconds, 1 to 86400').argParser(integerIn('--timeout', 1, 86_400, 'seconds')))
    .addHelpText(
      'after',
      "\nExit status: the command's own, 128 + n when signal n ended it, 126 or 127 when the program cannot be run or\n" +
        'is not found, 124 after --timeout, 125 when deskvm could not run it, and 130 after Ctrl+C.',
    )
    .action(async (argv: string[], flags: ExecFlags) => {
      const output = createCommandOutput(false);
      process.exitCode = await withInterrupt(async (signal) => {
        const context = await openSandbox(flags.name);
        await requireRunning(context);
        // Stdin stays raw bytes, because decoding it as UTF-8 would replace invalid sequences and corrupt binary input.
        // NOTE: all of stdin is read into memory before the command starts, because vm-native's exec takes a buffer.
        const stdin = flags.interactive ? await buffer(process.stdin) : undefined;
        const result = await context.vm
          .exec(argv, {
            env: flags.env,
            cwd: flags.workdir,
            user: flags.user,
            stdin,
            timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
            signal,
            output: 'stream',
            onStdout: (chunk) => process.stdout.write(chunk),
            onStderr: (chunk) => process.stderr.write(chunk),
          })
          .catch((error: unknown) => {
            throw interruptedOr(error, signal);
          })
          // Ends the exec agent now instead of leaving the engine to notice the closed connection.
          .finally(() => context.vm.close());

        return result.exitCode ?? 128 + signalNumber(result.signal);
      }).catch((error: unknown) => {
        const status = reportError(error, output);
        if ((error as { code?: unknown }).code === 'VM_ERR_COMMAND_TIMED_OUT') {
          return EXIT.timedOut;
        }
        return status === EXIT.interrupted ? status : EXIT.execFailed;
      });
    });
}

function parseEnvironment(value: string, previous: Record<string, string>): Record<string, string> {
  const separator = value.indexOf('=');
  const name = separator < 0 ? value : value.slice(0, separator);

  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || separator < 0) {
    throw new InvalidArgumentError(`Invalid variable ${JSON.stringify(value)}: write NAME=value, with a name of letters, digits and "_".`);
  }

  return { ...previous, [name]: value.slice(separator + 1) };
}

function signalNumber(name: string | undefined): number {
  const number = name === undefined ? undefined : (constants.signals as Record<string, number | undefined>)[name];

  return number ?? 0;
}
