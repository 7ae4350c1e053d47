import { Command, Option } from 'commander';

import { integerIn } from '../serve/serve-options.js';
import { createCommandOutput } from './command-output.js';
import { EXIT } from './exit-codes.js';
import { withInterrupt } from './interrupt.js';
import { interruptedOr, reportError } from './report-error.js';
import { openSandbox, requireOwnContainer, sandboxNameOption } from './sandbox-context.js';

interface DownFlags {
  readonly name: string;
  readonly timeout: number;
  readonly json: boolean;
}

/** Creates `deskvm down`. */
export function createDownCommand(): Command {
  return new Command('down')
    .description('Stop the desktop container and remove it. The desktop image stays cached for the next deskvm up.')
    .addOption(sandboxNameOption())
    .addOption(
      new Option('--timeout <seconds>', 'seconds to wait for a clean stop before the container is killed, 0 to 3600')
        .default(10)
        .argParser(integerIn('--timeout', 0, 3600, 'seconds')),
    )
    .option('--json', 'print one JSON record instead of text', false)
    .action(async (flags: DownFlags) => {
      const output = createCommandOutput(flags.json);
      process.exitCode = await withInterrupt(async (signal) => {
        const context = await openSandbox(flags.name);
        const facts = await context.vm.inspect();
        const existed = facts !== undefined;
        if (facts !== undefined) {
          requireOwnContainer(facts, flags.name);
        }

        await context.vm.delete({ timeoutMs: flags.timeout * 1000, signal }).catch((error: unknown) => {
          throw interruptedOr(error, signal);
        });
        output.record('down', { name: flags.name, removed: existed });
        output.result(existed ? `The sandbox "${flags.name}" is stopped and removed.` : `The sandbox "${flags.name}" does not exist; nothing to do.`);

        return EXIT.ok;
      }).catch((error: unknown) => reportError(error, output));
    });
}
