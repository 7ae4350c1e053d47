#!/usr/bin/env node
import { createRequire } from 'node:module';

import { Command, CommanderError } from 'commander';

import { createServeCommand } from './serve/serve-command.js';

/** Exit status for invalid command-line usage. 0 is success and 1 a runtime failure. */
const EXIT_USAGE = 2;

// A closed stdout or stderr (the reader of a pipe is gone, the terminal closed) must not crash the command.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => undefined);
}

const program = new Command('deskvm')
  .description("Run an AI agent's desktop in a sandbox and stream it to any web page.")
  .version((createRequire(import.meta.url)('../package.json') as { version: string }).version)
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

// addCommand() does not pass settings down, so each subcommand copies exitOverride and the help hint.
program.addCommand(createServeCommand().copyInheritedSettings(program));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const helpOrVersion = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    process.exitCode = helpOrVersion ? 0 : EXIT_USAGE;
  } else {
    process.stderr.write(`deskvm: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
