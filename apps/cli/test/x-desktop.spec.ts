import { readFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from '@jest/globals';

import type { Logger } from '../src/logger.js';
import { startXDesktop, type XDesktop } from '../src/serve/x-desktop.js';
import { descendantPids } from './support/process-tree.js';

// The desktop programs on a real Xvfb: how their exits are logged with and without a requested stop.

interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

function recordingLogger(lines: LogLine[]): Logger {
  const record =
    (level: LogLine['level']) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };

  return { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

/** Sends SIGTERM to this process's xclock, as Ctrl+C in a terminal would, and waits for its exit to be logged. */
async function killClock(lines: readonly LogLine[]): Promise<LogLine> {
  const clock = await findClock();

  process.kill(clock, 'SIGTERM');

  const deadline = Date.now() + 10_000;
  for (;;) {
    const exit = lines.find((line) => line.message === 'desktop program exited' && line.fields?.['program'] === 'xclock');
    if (exit !== undefined) {
      return exit;
    }
    if (Date.now() > deadline) {
      throw new Error('The exit of xclock was not logged within 10 s.');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Returns the pid of this process's xclock, waiting up to 10 s for the watch script to start it. */
async function findClock(): Promise<number> {
  const deadline = Date.now() + 10_000;

  for (;;) {
    const clock = descendantPids(process.pid).find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'xclock';
      } catch {
        return false;
      }
    });

    if (clock !== undefined) {
      return clock;
    }
    if (Date.now() > deadline) {
      throw new Error('No xclock process of this test started within 10 s.');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('startXDesktop', () => {
  let desktop: XDesktop | undefined;

  afterEach(async () => {
    await desktop?.stop();
    desktop = undefined;
  }, 20_000);

  it('warns when a program exits unasked', async () => {
    const lines: LogLine[] = [];
    desktop = await startXDesktop({ width: 320, height: 240, logger: recordingLogger(lines) });

    const exit = await killClock(lines);

    expect(exit.level).toBe('warn');
  }, 30_000);

  it('logs exits after beginStop as info', async () => {
    const lines: LogLine[] = [];
    desktop = await startXDesktop({ width: 320, height: 240, logger: recordingLogger(lines) });

    desktop.beginStop();
    const exit = await killClock(lines);

    expect(exit.level).toBe('info');
  }, 30_000);

  it('reports its start size as maxSize', async () => {
    desktop = await startXDesktop({ width: 320, height: 240, maxSize: { width: 800, height: 600 }, logger: recordingLogger([]) });

    expect(desktop.maxSize).toEqual({ width: 800, height: 600 });
  }, 30_000);
});
