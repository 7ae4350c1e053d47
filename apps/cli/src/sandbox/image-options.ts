import { Option, type Command } from 'commander';

/** Adds the options that choose how the desktop image is built, shared by `deskvm up` and `deskvm image build`. */
export function addImageBuildOptions(command: Command): Command {
  return addAll(command, [
    new Option('--mirror <url>', 'package mirror for building the image; default from the apt configuration'),
    new Option('--suite <name>', 'distribution suite for building the image, such as bookworm or noble'),
    new Option('--rebuild', 'build the desktop image again, even when the engine or the rootfs cache has a matching one').default(false),
  ]);
}

/** Adds the `--json` and `--verbose` options of the commands that show progress. */
export function addProgressOutputOptions(command: Command): Command {
  return addAll(command, [
    new Option('--json', 'print JSON lines (progress, then a result record) instead of text').default(false),
    new Option('-v, --verbose', 'log what deskvm does to stderr as JSON lines').default(false),
  ]);
}

function addAll(command: Command, options: readonly Option[]): Command {
  for (const option of options) {
    command.addOption(option);
  }
  return command;
}
