import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { jsonLines, sandboxUnderTest } from './support/sandbox-cli.js';

// `deskvm up`, `status`, `exec`, `logs`, `view` and `down` against the real Docker engine and the real desktop image.
// npm test builds the image before jest runs. Without it, the first `up` builds it, which takes minutes.

const sandbox = sandboxUnderTest('life');
let ready: Record<string, unknown>;

beforeAll(async () => {
  const up = await sandbox.run(['up', '--json', '--size', '800x600']);
  const records = jsonLines(up.stdout);
  const last = records.at(-1);

  if (up.exitCode !== 0 || last?.['type'] !== 'ready') {
    throw new Error(`deskvm up failed with exit ${up.exitCode}: ${String(up.stderr)}\n${String(up.stdout).slice(-2000)}`);
  }
  ready = last;
}, 900_000);

afterAll(async () => {
  await sandbox.dispose();
}, 60_000);

describe('deskvm up', () => {
  it('prints a viewer address on 127.0.0.1 with a token', () => {
    const url = new URL(String(ready['viewerUrl']));

    expect(url.hostname).toBe('127.0.0.1');
    expect(url.hash).toMatch(/^#token=[A-Za-z0-9_-]{43}$/);
  });

  it('reports each readiness stage as passed', async () => {
    const up = await sandbox.run(['up', '--json']);
    const passed = jsonLines(up.stdout)
      .filter((record) => record['type'] === 'stage' && record['status'] === 'passed')
      .map((record) => record['stage']);

    expect(up.exitCode).toBe(0);
    expect(passed).toEqual(['engine', 'container', 'health', 'bridge']);
  }, 120_000);

  it('keeps the token and port on a second up', async () => {
    const again = jsonLines((await sandbox.run(['up', '--json'])).stdout).at(-1);

    expect(again?.['viewerUrl']).toBe(ready['viewerUrl']);
  }, 120_000);

  it('serves the viewer page and health', async () => {
    const url = new URL(String(ready['viewerUrl']));
    const page = await fetch(new URL('/', url));
    const health = (await (await fetch(new URL('/health', url))).json()) as { status: string };

    expect(page.status).toBe(200);
    expect(health.status).toBe('ok');
  });
});

describe('deskvm status', () => {
  it('reports running with every readiness flag', async () => {
    const status = await sandbox.run(['status', '--json']);
    const state = JSON.parse(String(status.stdout)) as { state: string; readiness: Record<string, boolean>; container: { state: string } };

    expect(status.exitCode).toBe(0);
    expect(state.state).toBe('running');
    expect(state.readiness).toEqual({ commands: true, engine: true, desktop: true, bridge: true });
    expect(state.container.state).toBe('running');
  }, 60_000);
});

describe('deskvm exec', () => {
  it('passes hostile arguments literally', async () => {
    const hostile = ['$(id)', '`id`', "it's", '"quoted"', 'two\nlines', 'ünïcødé €', '', '; rm -rf /', '$HOME', '*'];
    const result = await sandbox.run(['exec', '--', 'printf', '%s\\n', ...hostile]);

    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toBe(hostile.join('\n'));
  }, 60_000);

  it("exits with the command's status", async () => {
    const result = await sandbox.run(['exec', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']);

    expect(result.exitCode).toBe(7);
    expect(result.stdout).toBe('out');
    expect(result.stderr).toBe('err');
  }, 60_000);

  it('runs as the desktop user by default', async () => {
    const result = await sandbox.run(['exec', '--', 'id', '-un']);

    expect(result.stdout).toBe('agent');
  }, 60_000);

  it('sets variables and the working folder', async () => {
    const result = await sandbox.run(['exec', '-e', 'GREETING=a b $c', '-w', '/tmp', '--', 'sh', '-c', 'printf "%s|%s" "$GREETING" "$PWD"']);

    expect(result.stdout).toBe('a b $c|/tmp');
  }, 60_000);

  it('passes stdin with -i', async () => {
    const result = await sandbox.run(['exec', '-i', '--', 'wc', '-c'], { input: 'twelve bytes', stdin: undefined });

    expect(String(result.stdout).trim()).toBe('12');
  }, 60_000);

  it('passes binary stdin unchanged with -i', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x0a, 0x7f]);
    const result = await sandbox.run(['exec', '-i', '--', 'od', '-An', '-tx1'], { input: bytes, stdin: undefined });

    expect(String(result.stdout).trim()).toBe('00 ff fe 80 c3 28 0a 7f');
  }, 60_000);

  it('exits 124 after --timeout', async () => {
    const result = await sandbox.run(['exec', '--timeout', '1', '--', 'sleep', '30']);

    expect(result.exitCode).toBe(124);
    expect(String(result.stderr)).toContain('timed out');
  }, 60_000);

  it('fails for a command that does not exist', async () => {
    const result = await sandbox.run(['exec', '--', 'no-such-command-here']);

    expect(result.exitCode).not.toBe(0);
    expect(`${String(result.stdout)}${String(result.stderr)}`).toContain('no-such-command-here');
  }, 60_000);

  it('reaches the desktop display by default', async () => {
    const result = await sandbox.run(['exec', '--', 'xdpyinfo']);

    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toContain('dimensions:    800x600 pixels');
  }, 60_000);
});

describe('deskvm logs and view', () => {
  it("prints the bridge's ready line", async () => {
    const logs = await sandbox.run(['logs']);

    expect(logs.exitCode).toBe(0);
    expect(String(logs.stdout)).toContain('"event":"ready"');
  }, 60_000);

  it('follows until interrupted', async () => {
    const follow = sandbox.run(['logs', '-f', '--tail', '1']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    follow.kill('SIGINT');
    const result = await follow;

    expect(result.exitCode).toBe(0);
    expect(String(result.stdout).trim().split('\n').length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('keeps the token out of the log', async () => {
    const token = new URL(String(ready['viewerUrl'])).hash.replace('#token=', '');
    const logs = await sandbox.run(['logs']);

    expect(String(logs.stdout)).not.toContain(token);
    expect(String(logs.stderr)).not.toContain(token);
  }, 60_000);

  it('prints the same viewer address', async () => {
    const view = await sandbox.run(['view', '--no-open']);

    expect(view.exitCode).toBe(0);
    expect(view.stdout).toBe(ready['viewerUrl']);
  }, 60_000);
});

describe('deskvm down', () => {
  it('stops and removes the container', async () => {
    const down = await sandbox.run(['down']);
    const status = JSON.parse(String((await sandbox.run(['status', '--json'])).stdout)) as { state: string; exists: boolean };
    const exec = await sandbox.run(['exec', '--', 'true']);

    expect(down.exitCode).toBe(0);
    expect(status).toMatchObject({ state: 'stopped', exists: false });
    expect(exec.exitCode).toBe(125);
    expect(String(exec.stderr)).toContain('deskvm up');
  }, 120_000);
});
