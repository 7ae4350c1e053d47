#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';

import type { Logger } from '@deskvm/vm-core';

import { buildDesktopRootfs, type RootfsBuild } from './build-desktop-rootfs.js';
import { readAptSources } from './apt-sources.js';
import { RootfsError } from './errors.js';
import type { RootfsProgress } from './progress.js';
import { chooseRootfsBase } from './rootfs-base.js';

interface DesktopFlags {
  readonly cache: string;
  readonly bundle: string;
  readonly mirror?: string;
  readonly suite?: string;
  readonly rebuild: boolean;
  readonly json: boolean;
}

const program = new Command('deskvm-rootfs')
  .description("Build deskvm's sandbox images from a Debian or Ubuntu rootfs.")
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

program
  .command('desktop')
  .description('Build the desktop container image rootfs tarball (debootstrap, then apt-get in a chroot), or reuse a cached one.')
  .addOption(new Option('--cache <dir>', 'folder of the tarballs and manifest.json').default('/var/cache/deskvm/rootfs'))
  .addOption(new Option('--bundle <dir>', 'the in-sandbox bundle folder, built by: npx nx run deskvm:bundle').default('apps/cli/dist/desktop'))
  .option('--mirror <url>', "package mirror (archive root URI); default: from this machine's apt configuration")
  .option('--suite <name>', 'suite to bootstrap, such as bookworm; default: noble when an Ubuntu noble source is configured, else bookworm')
  .option('--rebuild', 'build a new tarball even when one with the same inputs is cached', false)
  .option('--json', 'print progress and the result as JSON lines', false)
  .action(async (flags: DesktopFlags) => {
    const controller = new AbortController();
    const onSignal = (): void => controller.abort(new RootfsError('ROOTFS_ERR_IO', 'The build was interrupted.'));

    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);

    try {
      const base =
        flags.mirror === undefined && flags.suite === undefined
          ? undefined
          : chooseRootfsBase(await readAptSources(), { ...(flags.mirror === undefined ? {} : { mirror: flags.mirror }), ...(flags.suite === undefined ? {} : { suite: flags.suite }) });
      const build = await buildDesktopRootfs({
        cacheDirectory: flags.cache,
        bundleDirectory: flags.bundle,
        ...(base === undefined ? {} : { base }),
        rebuild: flags.rebuild,
        signal: controller.signal,
        onProgress: flags.json ? (progress) => printJson({ event: 'progress', ...progress }) : progressPrinter(),
        logger: stderrLogger(flags.json),
      });

      printResult(build, flags.json);
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  });

function printResult(build: RootfsBuild, json: boolean): void {
  if (json) {
    printJson({ event: 'done', ...build });
    return;
  }

  process.stdout.write(
    `${build.reused ? 'Reused' : 'Built'} ${build.tarPath}\n  size ${build.size} bytes\n  sha256 ${build.sha256}\n` +
      `  manifest ${build.manifestPath}\n`,
  );
}

/** Prints one line per step change and at most one line per 10 % (or 50 items) inside a step. */
function progressPrinter(): (progress: RootfsProgress) => void {
  let lastKey = '';
  let lastDone = -Infinity;

  return (progress) => {
    const key = `${progress.phase}/${progress.step ?? ''}`;
    const stride = progress.total === 100 ? 10 : 50;

    if (key === lastKey && progress.done - lastDone < stride && progress.done !== progress.total) {
      return;
    }

    lastKey = key;
    lastDone = progress.done;

    const count = progress.total === undefined ? `${progress.done}` : `${progress.done}/${progress.total}`;
    const detail = progress.item ?? progress.message ?? '';

    process.stdout.write(`${progress.phase}${progress.step === undefined ? '' : ` ${progress.step}`} ${count} ${detail}\n`);
  };
}

function stderrLogger(json: boolean): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    process.stderr.write(json ? `${JSON.stringify({ level, message, ...fields })}\n` : `${level}: ${message} ${fields === undefined ? '' : JSON.stringify(fields)}\n`);
  };

  return { debug: () => undefined, info: write('info'), warn: write('warn'), error: write('error') };
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.help' ? 0 : 2;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    const tail = error instanceof RootfsError ? error.diagnostics?.logTail : undefined;

    process.stderr.write(`deskvm-rootfs: ${message}\n${tail === undefined ? '' : `--- log tail ---\n${tail}\n`}`);
    process.exitCode = 1;
  }
}
