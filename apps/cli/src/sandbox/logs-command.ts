import { Command, Option } from 'commander';

import { integerIn } from '../serve/serve-options.js';
import { createCommandOutput } from './command-output.js';
import { EXIT } from './exit-codes.js';
import { withInterrupt } from './interrupt.js';
import { reportError } from './report-error.js';
import { openSandbox, sandboxNameOption } from './sandbox-context.js';
import { CliError } from '../errors.js';

interface LogsFlags {
  readonly name: string;
  readonly follow: boolean;
  readonly tail?: number;
  readonly timestamps: boolean;
}

/** Creates `deskvm logs`. */
export function createLogsCommand(): Command {
  return new Command('logs')
    .description("Print the desktop container's log: the bridge's JSON lines and what the desktop programs write.")
    .addOption(sandboxNameOption())
    .option('-f, --follow', 'keep printing new lines until the container stops or Ctrl+C', false)
    .addOption(new Option('-n, --tail <lines>', 'print only the last lines, 0 to 1000000').argParser(integerIn('--tail', 0, 1_000_000, 'lines')))
    .option('-t, --timestamps', 'prefix each line with its time', false)
    .action(async (flags: LogsFlags) => {
      const output = createCommandOutput(false);
      process.exitCode = await withInterrupt(async (signal) => {
        const context = await openSandbox(flags.name);
        if ((await context.vm.inspect()) === undefined) {
          throw new CliError('CLI_ERR_NOT_RUNNING', `The sandbox "${flags.name}" does not exist. Start it with: deskvm up`);
        }

        await context.vm
          .logs({
            follow: flags.follow,
            tail: flags.tail,
            timestamps: flags.timestamps,
            signal,
            onStdout: (chunk) => process.stdout.write(chunk),
            onStderr: (chunk) => process.stderr.write(chunk),
          })
          .catch((error: unknown) => {
            // Ctrl+C ends a follow; that is the normal way to stop it.
            if (!signal.aborted) {
              throw error;
            }
          });

        return EXIT.ok;
      }).catch((error: unknown) => reportError(error, output));
    });
}
