import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';

import { watchedCommand } from './parent-watch.js';

describe('watchedCommand', () => {
  it('passes arguments on literally', async () => {
    const hostile = ['$(id)', '`id`', "it's", 'two words', 'line\nbreak', 'naïve ✓', '-n', ''];

    const result = await execa(...watchedCommand(['printf', '%s|', ...hostile]), { stdout: 'pipe' });

    expect(result.stdout).toBe(`${hostile.join('|')}|`);
  });

  it('exits with the child status', async () => {
    const result = await execa(...watchedCommand(['sh', '-c', 'exit 7']), { reject: false });

    expect(result.exitCode).toBe(7);
  });

  it('exits with 127 for a missing command', async () => {
    const result = await execa(...watchedCommand(['deskvm-no-such-command']), { reject: false });

    expect(result.exitCode).toBe(127);
  });

  it('ends the child when its input closes', async () => {
    const watch = execa(...watchedCommand(['sleep', '30']), { reject: false });

    watch.stdin?.end();
    const result = await watch;

    expect(result.exitCode).toBe(143);
  });

  it('passes SIGTERM on to the child', async () => {
    const watch = execa(...watchedCommand(['sleep', '30']), { reject: false });
    await new Promise((resolve) => setTimeout(resolve, 200));

    watch.kill('SIGTERM');
    const result = await watch;

    expect(result.exitCode).toBe(143);
  });

  it('removes the given folder after the child exits', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'deskvm-watch-test-'));
    writeFileSync(join(folder, 'file'), 'x');

    await execa(...watchedCommand(['true'], { removeOnExit: folder }));

    expect(existsSync(folder)).toBe(false);
  });

  it('keeps the child status when the child exits at once', async () => {
    const runs = await Promise.all(
      Array.from({ length: 40 }, () => execa(...watchedCommand(['false']), { reject: false })),
    );

    expect(runs.map((run) => run.exitCode)).toEqual(Array.from({ length: 40 }, () => 1));
  });

  it('ends the child on a signal sent right after start', async () => {
    const marker = `${30 + Math.random()}`;

    // The delays sweep the first milliseconds of the script, where the child may already run before the trap is set.
    for (let attempt = 0; attempt < 100; attempt++) {
      const watch = execa(...watchedCommand(['sleep', marker]), { reject: false });
      await new Promise((resolve) => setTimeout(resolve, attempt % 5));
      watch.kill('SIGTERM');
      await watch;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const survivors = await execa('pgrep', ['-f', `^sleep ${marker}$`], { reject: false });

    expect(String(survivors.stdout)).toBe('');
  }, 20_000);
});
