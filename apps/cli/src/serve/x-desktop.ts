import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Readable } from 'node:stream';

import { execa, type ResultPromise } from 'execa';

import { CliError } from '../errors.js';
import type { Logger } from '../logger.js';
import { watchedCommand } from './parent-watch.js';
import { createXAuthority } from './x-authority.js';

/** Settings of {@link startXDesktop}. */
export interface XDesktopOptions {
  /** Screen width in pixels. */
  readonly width: number;
  /** Screen height in pixels. */
  readonly height: number;
  /**
   * Largest size a resize may set, in pixels. Xvfb cannot grow its screen past the size it started with, so it
   * starts at this size and shrinks to `width`x`height` at once. Default: 3840x2160, or the start size if larger.
   */
  readonly maxSize?: { readonly width: number; readonly height: number };
  /**
   * The folder for the Xauthority file, which is deleted and made again at start and deleted at exit. Default: a new
   * private folder under the temp directory.
   */
  readonly authorityFolder?: string;
  /** The X display number, 0 to 65535. Default: the lowest free one, which Xvfb picks. */
  readonly displayNumber?: number;
  /** How long to wait for Xvfb to report its display, in milliseconds. Default 10000. */
  readonly startTimeoutMs?: number;
  readonly logger: Logger;
}

/** A virtual X display with a window manager, a terminal and a clock on it. */
export interface XDesktop {
  /** The X display name, such as ':99'. */
  readonly display: string;
  /** The Xauthority file that every client of the display needs, as XAUTHORITY. */
  readonly xauthority: string;
  /** The size Xvfb started with, in pixels: the largest size a resize can set. */
  readonly maxSize: { readonly width: number; readonly height: number };
  /** Resolves when Xvfb exits, whatever the reason. */
  readonly exited: Promise<void>;
  /**
   * Marks a requested stop, so the exits of the desktop programs from now on are logged at info and not as warnings.
   * Call it as soon as the stop is requested: Ctrl+C reaches the programs too, and they exit before `stop` runs.
   */
  beginStop(): void;
  /** Stops every program of the desktop, then Xvfb, and resolves when all are gone. */
  stop(): Promise<void>;
}

/** Default of `XDesktopOptions.maxSize`: 4K UHD, 33 MB of frame buffer at 32 bits per pixel. */
const DEFAULT_MAX_SIZE = { width: 3840, height: 2160 } as const;

/** Colour of the root window: a dark slate, so the desktop does not look like a stalled black stream. */
const DESKTOP_BACKGROUND = '#2e3440';

/** The programs on the desktop: a window manager, a terminal at the top left and a clock at the top right. */
const DESKTOP_PROGRAMS: readonly (readonly [string, ...string[]])[] = [
  ['openbox'],
  ['xterm', '-geometry', '80x24+8+8', '-title', 'deskvm terminal'],
  ['xclock', '-update', '1', '-geometry', '160x160-8+8'],
];

/** The parts of an execa subprocess that stopping it needs. */
type Child = Pick<ChildProcess, 'exitCode' | 'signalCode' | 'kill'> & PromiseLike<unknown>;

/**
 * Starts Xvfb on a free display number (Xvfb picks it and reports it through `-displayfd`), then openbox, xterm in
 * the top-left corner and xclock in the top-right corner. The rest of the screen shows the root window, which tests
 * paint with xsetroot. Each program runs under the parent watch, so none outlives the deskvm process, and the
 * watch of Xvfb deletes the Xauthority folder once Xvfb has exited.
 */
export async function startXDesktop(options: XDesktopOptions): Promise<XDesktop> {
  const requestedMax = options.maxSize ?? DEFAULT_MAX_SIZE;
  const maxSize = { width: Math.max(requestedMax.width, options.width), height: Math.max(requestedMax.height, options.height) };
  const screen = `${maxSize.width}x${maxSize.height}x24`;
  const authority = await createXAuthority(options.authorityFolder);
  // Without a display number, Xvfb takes the lowest one that is free, and the abstract socket (@/tmp/.X11-unix/X<n>,
  // per network namespace) is what tells it that a number is taken by a server with another /tmp, such as a desktop
  // container on the host network. With a display number (a desktop container), `-nolisten local` leaves that
  // socket out, so processes outside the container cannot reach its X server through a shared network namespace.
  // -displayfd still reports the number when the server is ready.
  const displayArguments = options.displayNumber === undefined ? [] : [`:${options.displayNumber}`, '-nolisten', 'local'];
  const xvfbArgv: [string, ...string[]] = [
    'Xvfb',
    ...displayArguments,
    '-displayfd',
    '3',
    '-auth',
    authority.path,
    '-screen',
    '0',
    screen,
    '-nolisten',
    'tcp',
    '-noreset',
  ];

  const xvfb = execa(...watchedCommand(xvfbArgv, { removeOnExit: authority.folder }), {
    stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
    reject: false,
    cleanup: true,
  });
  const display = await readDisplay(xvfb, options.startTimeoutMs ?? 10_000).catch(async (error: unknown) => {
    xvfb.kill('SIGKILL');
    await xvfb;
    await authority.remove();
    throw error;
  });
  options.logger.info('Xvfb started', { display, screen, pid: xvfb.pid });

  const env = { DISPLAY: display, XAUTHORITY: authority.path };
  // RandR shrinks the screen before any program starts, so windows are placed on the visible size. Xvfb keeps the
  // size after the last client leaves because it runs with -noreset.
  const sized = await execa('xrandr', ['--fb', `${options.width}x${options.height}`], { env, reject: false, timeout: 5000 });
  if (sized.exitCode !== 0) {
    options.logger.debug('xrandr reported an error', { display, stderr: sized.stderr });
  }
  await execa('xsetroot', ['-solid', DESKTOP_BACKGROUND], { env, reject: false, timeout: 5000 });
  // The terminal opens in the home folder when there is one; a missing one must not keep the programs from starting.
  const cwd = existsSync(homedir()) ? homedir() : '/';
  const watched = { env, cwd, stdio: ['pipe', 'ignore', 'ignore'], reject: false, cleanup: true } as const;
  let stopping = false;
  const programs: Child[] = DESKTOP_PROGRAMS.map((argv) => {
    const program = execa(...watchedCommand(argv), watched);
    void program.then((result) => {
      const fields = { program: argv[0], display, exitCode: result.exitCode };
      if (stopping) {
        options.logger.info('desktop program exited', fields);
      } else {
        options.logger.warn('desktop program exited', fields);
      }
    });
    return program;
  });

  const beginStop = (): void => {
    stopping = true;
  };
  const stop = async (): Promise<void> => {
    stopping = true;
    for (const program of [...programs, xvfb]) {
      await stopChild(program);
    }
    await authority.remove();
    options.logger.info('Xvfb stopped', { display });
  };

  return { display, xauthority: authority.path, maxSize, exited: xvfb.then(() => undefined), beginStop, stop };
}

async function readDisplay(
  xvfb: ResultPromise<{ stdio: ['pipe', 'ignore', 'pipe', 'pipe']; reject: false; cleanup: true }>,
  timeoutMs: number,
): Promise<string> {
  const displayPipe = xvfb.stdio[3] as Readable | null | undefined;
  if (displayPipe === null || displayPipe === undefined) {
    throw new CliError('CLI_ERR_X_SERVER', 'Xvfb started without its display pipe.');
  }

  let output = '';
  let stderr = '';
  xvfb.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });

  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new CliError('CLI_ERR_X_SERVER', `Xvfb reported no display within ${timeoutMs} ms. Its output: ${stderr.trim()}`));
    }, timeoutMs);
    displayPipe.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n')[0];
      if (output.includes('\n') && line !== undefined && /^\d+$/.test(line)) {
        clearTimeout(timer);
        resolve(`:${line}`);
      }
    });
    xvfb.then((result) => {
      clearTimeout(timer);
      // The parent watch runs Xvfb through bash, which exits with 127 when a command is not found.
      const missing = result.exitCode === 127;
      const hint = missing ? 'Xvfb was not found: install the xvfb package (scripts/setup.sh does).' : stderr.trim();
      reject(new CliError('CLI_ERR_X_SERVER', `Xvfb exited before it reported a display. ${hint}`));
    });
  });
}

/** Sends SIGTERM, then SIGKILL after 2 s, and waits for the exit. */
export async function stopChild(child: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
  child.kill('SIGTERM');
  await child;
  clearTimeout(killer);
}
