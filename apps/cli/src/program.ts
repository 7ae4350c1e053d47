import { createRequire } from 'node:module';

import { Command, CommanderError } from 'commander';

/** Exit status for invalid command-line usage. 0 is success and 1 a runtime failure. */
export const EXIT_USAGE = 2;

/**
 * Creates the top-level `deskvm` command with the given subcommands. Each subcommand copies the parent's settings
 * (exitOverride and the help hint), because addCommand() does not pass them down. `version` defaults to the one in
 * apps/cli/package.json, which a bundle that has no package.json beside it must pass instead.
 */
export function createProgram(
  name: string,
  description: string,
  subcommands: readonly Command[],
  version: string = packageVersion(),
): Command {
  const program = new Command(name)
    .description(description)
    .version(version)
    .exitOverride()
    // Options after a subcommand belong to it, so `deskvm exec -- ls -l` passes `-l` on to the command.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)');

  for (const subcommand of subcommands) {
    program.addCommand(subcommand);
  }
  inheritSettings(program);

  return program;
}

/** Copies the parent's settings to every nested subcommand, such as `image build`. */
function inheritSettings(parent: Command): void {
  for (const child of parent.commands) {
    child.copyInheritedSettings(parent);
    inheritSettings(child);
  }
}

function packageVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

/**
 * Parses `argv` and runs the chosen subcommand, then sets `process.exitCode`: 0 for help and version, 2 for a usage
 * error, 1 for an error the subcommand did not handle (printed as one line on stderr).
 */
export async function runProgram(program: Command, argv: readonly string[]): Promise<void> {
  // A closed stdout or stderr (the reader of a pipe is gone, the terminal closed) must not crash the command.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', () => undefined);
  }

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const helpOrVersion = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      process.exitCode = helpOrVersion ? 0 : EXIT_USAGE;
    } else {
      process.stderr.write(`${program.name()}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}
