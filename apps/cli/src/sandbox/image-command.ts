import { Command } from 'commander';

import { connectEngine } from '@deskvm/vm-native';
import { dataDirectory, silentLogger } from '@deskvm/vm-core';

import { createJsonLogger } from '../logger.js';
import { createCommandOutput } from './command-output.js';
import { desktopImageSource } from './desktop-image.js';
import { addImageBuildOptions, addProgressOutputOptions } from './image-options.js';
import { EXIT } from './exit-codes.js';
import { withInterrupt } from './interrupt.js';
import { interruptedOr, reportError } from './report-error.js';
import { ProgressView } from './progress-view.js';

interface BuildFlags {
  readonly mirror?: string;
  readonly suite?: string;
  readonly rebuild: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
}

/** Creates `deskvm image` with its `build` subcommand. */
export function createImageCommand(): Command {
  const build = new Command('build')
    .description(
      'Build the desktop image now (deskvm up builds it when missing): a Debian 12 or Ubuntu 24.04 rootfs made with ' +
        'debootstrap from the package mirror of the apt configuration, imported into the Docker engine. Needs root.',
    );

  addProgressOutputOptions(addImageBuildOptions(build)).action(async (flags: BuildFlags) => {
    const output = createCommandOutput(flags.json);
    process.exitCode = await withInterrupt(async (signal) => {
      const logger = flags.verbose ? createJsonLogger('deskvm.image', 'debug') : silentLogger;
      const view = new ProgressView(output);
      const engine = await connectEngine({ logger });
      const source = await desktopImageSource({
        mirror: flags.mirror,
        suite: flags.suite,
        rebuild: flags.rebuild,
        dataDirectory: dataDirectory(),
        onProgress: (progress) => view.image(progress),
        logger,
      });

      const present = await engine.imageExists(source.reference);
      if (!present || flags.rebuild) {
        output.progress(`Building ${source.reference}`);
        await source.ensure(engine, signal).catch((error: unknown) => {
          throw interruptedOr(error, signal);
        });
        view.stopBar();
      }

      output.record('image', { reference: source.reference, built: !present || flags.rebuild });
      output.result(present && !flags.rebuild ? `${source.reference} is already in the engine.` : `Built ${source.reference}.`);

      return EXIT.ok;
    }).catch((error: unknown) => reportError(error, output));
  });

  return new Command('image').description('Manage the desktop image.').addCommand(build);
}
