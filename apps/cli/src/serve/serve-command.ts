import { Command, Option } from 'commander';

import { MAX_DESKTOP_SIZE, MIN_DESKTOP_SIZE, generateToken, tokenProblem } from '@deskvm/desktop-bridge';
import { PipelineError, resolveDescription } from '@deskvm/gst-pipeline';

import { createJsonLogger } from '../logger.js';
import { integerIn, parseAbsolutePath, parseHost, parseOrigin, parseSize, type Size } from './serve-options.js';
import { runServe, servePipeline, type ServeSettings } from './run-serve.js';

interface ServeFlags {
  readonly size: Size;
  readonly fps: number;
  readonly bitrate: number;
  readonly host: string;
  readonly port: number;
  readonly source: 'desktop' | 'test-pattern';
  readonly json: boolean;
  readonly verbose: boolean;
  readonly allowOrigin: string[];
  readonly xAuthorityDir?: string;
  readonly display?: number;
}

/** Creates the `deskvm serve` command. */
export function createServeCommand(): Command {
  return new Command('serve')
    .description(
      'Start a virtual desktop (Xvfb with a window manager, a terminal and a clock) on this machine, stream it as H.264 ' +
        'over WebSocket, and serve a viewer page. This is what runs inside the sandbox, without the sandbox.',
    )
    .addOption(
      new Option('--size <WxH>', `desktop size in pixels, each an even number from ${MIN_DESKTOP_SIZE} to ${MAX_DESKTOP_SIZE}`)
        .default(parseSize('1280x720'), '1280x720')
        .argParser(parseSize),
    )
    .addOption(new Option('--fps <n>', 'frames per second, 1 to 120').default(30).argParser(integerIn('--fps', 1, 120, 'frames per second')))
    .addOption(
      new Option('--bitrate <kbps>', 'encoder bitrate in kbit/s, 100 to 100000')
        .default(4000)
        .argParser(integerIn('--bitrate', 100, 100_000, 'kbit/s')),
    )
    .addOption(
      new Option('--host <address>', 'IP address to listen on; anything but loopback exposes the desktop')
        .default('127.0.0.1')
        .argParser(parseHost),
    )
    .addOption(
      new Option(
        '--allow-origin <origin>',
        'another origin that may open the viewer and the stream, such as a forwarded port; repeatable',
      )
        .default([])
        .argParser(parseOrigin),
    )
    .addOption(new Option('--port <n>', 'TCP port, 0 to 65535; 0 picks a free one').default(0).argParser(integerIn('--port', 0, 65_535)))
    .addOption(
      new Option('--source <kind>', 'what to stream: the virtual desktop, or a GStreamer test pattern without X')
        .choices(['desktop', 'test-pattern'])
        .default('desktop'),
    )
    .addOption(
      new Option(
        '--x-authority-dir <folder>',
        'absolute path of a folder of its own for the X cookie (deleted and made again at start, deleted at exit), so ' +
          'that programs started later can use XAUTHORITY=<folder>/Xauthority; default a new private temp folder',
      ).argParser(parseAbsolutePath('--x-authority-dir')),
    )
    .addOption(
      new Option('--display <n>', 'X display number, 0 to 65535; default the lowest free one').argParser(integerIn('--display', 0, 65_535)),
    )
    .option('--json', 'print one JSON line with the URLs and token when ready, instead of text', false)
    .option('-v, --verbose', 'log starts, stops, viewers and errors to stderr as JSON lines', false)
    .addHelpText(
      'after',
      "\nThe token is read from DESKVM_TOKEN when set (16 to 512 letters, digits or !#$%&'*+.^_`|~-), and generated\n" +
        'otherwise.\n' +
        'Stop with Ctrl+C: every process it started ends with it.',
    )
    .action(async (flags: ServeFlags, command: Command) => {
      // Read once and removed, so that no program on the desktop inherits the token through its environment.
      const presetToken = process.env['DESKVM_TOKEN'];
      delete process.env['DESKVM_TOKEN'];
      const problem = presetToken === undefined || presetToken === '' ? undefined : tokenProblem(presetToken);
      if (problem !== undefined) {
        const example = 'For example: openssl rand -base64 32 | tr "+/" "-_" | tr -d "="';
        command.error(`DESKVM_TOKEN: ${problem} ${example}`, { exitCode: 2, code: 'deskvm.invalidToken' });
      }

      const settings: ServeSettings = {
        width: flags.size.width,
        height: flags.size.height,
        frameRate: flags.fps,
        bitrateKbps: flags.bitrate,
        host: flags.host,
        port: flags.port,
        source: flags.source,
        json: flags.json,
        token: presetToken || generateToken(),
        tokenFromEnvironment: Boolean(presetToken),
        allowedOrigins: flags.allowOrigin,
        xAuthorityFolder: flags.xAuthorityDir,
        displayNumber: flags.display,
      };

      // The pipeline is checked before anything starts, so a size no H.264 level allows is a usage error.
      try {
        resolveDescription(servePipeline(settings, ':0'));
      } catch (error) {
        if (error instanceof PipelineError) {
          command.error(error.message, { exitCode: 2, code: 'deskvm.invalidPipeline' });
        }
        throw error;
      }

      const logger = createJsonLogger('deskvm.serve', flags.verbose ? 'debug' : 'warn');
      process.exitCode = await runServe(settings, logger);
    });
}
