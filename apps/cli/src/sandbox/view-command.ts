import { Command } from 'commander';
import open from 'open';

import { CliError } from '../errors.js';
import { createCommandOutput } from './command-output.js';
import { viewerUrl } from './desktop-container.js';
import { EXIT } from './exit-codes.js';
import { reportError } from './report-error.js';
import { LABELS, openSandbox, requireRunning, sandboxNameOption } from './sandbox-context.js';

interface ViewFlags {
  readonly name: string;
  readonly open: boolean;
  readonly json: boolean;
}

/** Creates `deskvm view`. */
export function createViewCommand(): Command {
  return new Command('view')
    .description('Print the viewer address (with its token) and open it in the browser when a display is available.')
    .addOption(sandboxNameOption())
    .option('--no-open', 'only print the address')
    .option('--json', 'print one JSON object instead of text', false)
    .action(async (flags: ViewFlags) => {
      const output = createCommandOutput(flags.json);
      try {
        const context = await openSandbox(flags.name);
        await requireRunning(context);
        const facts = await context.vm.inspect();
        const hostPort = Number(facts?.labels[LABELS.hostPort]);
        const token = facts?.environment['DESKVM_TOKEN'];
        if (!Number.isInteger(hostPort) || token === undefined) {
          throw new CliError('CLI_ERR_NOT_RUNNING', `The container of "${flags.name}" was not made by deskvm up: it has no port or token label.`);
        }

        const url = viewerUrl(hostPort, token);
        const opened = flags.open && hasDisplay() ? await openBrowser(url) : false;
        output.record('view', { name: flags.name, viewerUrl: url, opened });
        output.result(url);
        process.exitCode = EXIT.ok;
      } catch (error) {
        process.exitCode = reportError(error, output);
      }
    });
}

/** True when a graphical session exists: an X or Wayland display on Linux, always on macOS and Windows. */
function hasDisplay(): boolean {
  if (process.platform !== 'linux') {
    return true;
  }
  return Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);
}

async function openBrowser(url: string): Promise<boolean> {
  try {
    const child = await open(url);
    // A missing xdg-open is reported on the child process; the printed address is enough then.
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
