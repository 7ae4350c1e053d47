import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';

import { cliPath } from './support/serve-process.js';

// The built command's argument handling: exit status 2 and a message that names the value on bad input.

async function runCli(args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const result = await execa('node', [cliPath, ...args], { reject: false, stdin: 'ignore', timeout: 15_000 });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

describe('deskvm command line', () => {
  it('prints help with status 0', async () => {
    const result = await runCli(['serve', '--help']);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('--size <WxH>');
    expect(result.stdout).toContain('DESKVM_TOKEN');
  });

  it.each([
    ['--size', 'even number from 64 to 8192'],
    ['--fps', '1 to 120'],
    ['--bitrate', '100 to 100000'],
    ['--port', '0 to 65535'],
  ])('states the range of %s in help', async (option, range) => {
    const result = await runCli(['serve', '--help']);
    // Commander wraps long descriptions, so the lines are joined before the search.
    const help = result.stdout.replace(/\s+/g, ' ');

    expect(help).toMatch(new RegExp(`${option} <[^>]+> [^(]*${range}`));
  });

  it('rejects a port out of range with status 2', async () => {
    const result = await runCli(['serve', '--port', '70000']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Invalid --port 70000: it is out of range, so use 0 to 65535.');
  });

  it('rejects an odd size with status 2', async () => {
    const result = await runCli(['serve', '--size', '641x480']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Invalid width 641 in '641x480'");
  });

  it('rejects an unknown source with status 2', async () => {
    const result = await runCli(['serve', '--source', 'camera']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('camera');
  });

  it('rejects an empty host with status 2', async () => {
    const result = await runCli(['serve', '--host', '']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Invalid address ''");
  });

  it('rejects a size beyond H.264 with status 2', async () => {
    const result = await runCli(['serve', '--size', '7680x7680']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('230400 macroblocks per frame');
  });

  it('rejects an origin with a path with status 2', async () => {
    const result = await runCli(['serve', '--allow-origin', 'http://127.0.0.1:9000/viewer']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Invalid origin 'http://127.0.0.1:9000/viewer'");
  });

  it('rejects an unknown command with status 2', async () => {
    const result = await runCli(['launch']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown command 'launch'");
  });

  it('rejects an invalid DESKVM_TOKEN with status 2', async () => {
    const result = await execa('node', [cliPath, 'serve', '--source', 'test-pattern'], {
      reject: false,
      stdin: 'ignore',
      timeout: 15_000,
      env: { DESKVM_TOKEN: 'short' },
    });

    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('DESKVM_TOKEN: The token is invalid');
  });

  it('names the bad DESKVM_TOKEN character', async () => {
    const token = 'BreakerToken 0123456789abcdef';
    const result = await execa('node', [cliPath, 'serve', '--source', 'test-pattern'], {
      reject: false,
      stdin: 'ignore',
      timeout: 15_000,
      env: { DESKVM_TOKEN: token },
    });

    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('character 13 is a space');
    expect(String(result.stderr)).not.toContain('BreakerToken');
  });
});
