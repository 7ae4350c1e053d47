import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';

import { dockerEngineAddress } from '@deskvm/testing';

import { FAILING_IMAGE_MESSAGE, importFailingImage, LOCAL_ONLY_REGISTRY, removeImage } from './support/failing-image.js';
import { jsonLines, sandboxUnderTest } from './support/sandbox-cli.js';

// What `deskvm up` and the other commands do when things go wrong, against the real Docker engine.

/**
 * An image whose `node` exits at once, so the desktop container exits right after it starts. Test images are named
 * after a closed port on 127.0.0.1, so that if one were missing, a pull would fail there and never leave the machine.
 */
const FAILING_IMAGE = `${LOCAL_ONLY_REGISTRY}/deskvm-test/exits-at-start:1`;
const FOREIGN_IMAGE = `${LOCAL_ONLY_REGISTRY}/deskvm-test/foreign:1`;

beforeAll(() => importFailingImage(FAILING_IMAGE), 60_000);

afterAll(() => removeImage(FAILING_IMAGE), 30_000);

describe('a container that exits during start', () => {
  const sandbox = sandboxUnderTest('exits');

  afterAll(() => sandbox.dispose(), 60_000);

  it('fails at the container stage with the log tail', async () => {
    const started = Date.now();
    const up = await sandbox.run(['up', '--image', FAILING_IMAGE, '--json']);
    const error = jsonLines(up.stdout).find((record) => record['type'] === 'error');

    expect(up.exitCode).toBe(5);
    // The container exits within milliseconds, before or after the container stage saw it run once.
    expect(['container', 'health', 'bridge']).toContain(error?.['stage']);
    expect(String(error?.['message'])).toContain('exited with code 3');
    expect(JSON.stringify(error?.['diagnostics'])).toContain(FAILING_IMAGE_MESSAGE);
    expect(String(up.stderr)).toContain(FAILING_IMAGE_MESSAGE);
    // Well before the stage's time limit of minutes: the exit is seen at once.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});

describe('deskvm up killed part way', () => {
  const sandbox = sandboxUnderTest('killed');

  afterAll(() => sandbox.dispose(), 60_000);

  it('leaves a state that status reads right and up resumes', async () => {
    const up = sandbox.run(['up', '--json'], { buffer: false });
    await new Promise<void>((resolve, reject) => {
      let text = '';
      up.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('"stage":"container","status":"started"')) {
          resolve();
        }
      });
      void up.then(() => reject(new Error('deskvm up ended before the container stage')));
    });
    up.kill('SIGKILL');
    await up;

    const status = JSON.parse(String((await sandbox.run(['status', '--json'])).stdout)) as { state: string; container: { state: string } | null };
    expect(status.state).toBe('running');
    expect(status.container?.state).toBe('running');

    const again = await sandbox.run(['up', '--json']);
    expect(again.exitCode).toBe(0);
    expect(jsonLines(again.stdout).at(-1)?.['type']).toBe('ready');
  }, 900_000);
});

describe('deskvm up with other settings', () => {
  const sandbox = sandboxUnderTest('resize');

  afterAll(() => sandbox.dispose(), 60_000);

  it('replaces a stopped container and keeps the token', async () => {
    const first = jsonLines((await sandbox.run(['up', '--json', '--size', '640x480'])).stdout).at(-1);
    await execa('docker', ['--host', await dockerEngineAddress(), 'stop', '--time', '2', `deskvm-${sandbox.name}`]);
    const second = await sandbox.run(['up', '--json', '--size', '800x600']);
    const size = await sandbox.run(['exec', '--', 'sh', '-c', 'xdpyinfo | grep dimensions']);

    expect(second.exitCode).toBe(0);
    expect(String(second.stderr)).toContain('Replacing the container');
    expect(jsonLines(second.stdout).at(-1)?.['viewerUrl']).toBe(first?.['viewerUrl']);
    expect(String(size.stdout)).toContain('800x600 pixels');
  }, 300_000);

  it('keeps a running container and says how to apply', async () => {
    const third = await sandbox.run(['up', '--json', '--size', '1024x768']);

    expect(third.exitCode).toBe(0);
    expect(String(third.stderr)).toContain('runs with other settings');
  }, 120_000);
});

describe('a container deskvm did not create', () => {
  const sandbox = sandboxUnderTest('foreign');

  beforeAll(async () => {
    await importFailingImage(FOREIGN_IMAGE);
    await execa('docker', ['--host', await dockerEngineAddress(), 'create', '--name', `deskvm-${sandbox.name}`, FOREIGN_IMAGE, 'sleep', '1']);
  }, 60_000);

  afterAll(async () => {
    await execa('docker', ['--host', await dockerEngineAddress(), 'rm', '--force', `deskvm-${sandbox.name}`], { reject: false });
    await removeImage(FOREIGN_IMAGE);
  }, 60_000);

  it('is left alone by down and up', async () => {
    const down = await sandbox.run(['down']);
    const up = await sandbox.run(['up']);
    const still = await execa('docker', ['--host', await dockerEngineAddress(), 'inspect', `deskvm-${sandbox.name}`], { reject: false });

    expect(down.exitCode).toBe(1);
    expect(String(down.stderr)).toContain('was not created by deskvm');
    expect(up.exitCode).toBe(1);
    expect(still.exitCode).toBe(0);
  }, 120_000);
});

describe('bad input', () => {
  const sandbox = sandboxUnderTest('input');

  afterAll(() => sandbox.dispose(), 60_000);

  it('names an unreachable engine and how to start one', async () => {
    const status = await sandbox.run(['status'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });

    expect(status.exitCode).toBe(3);
    expect(String(status.stderr)).toContain('unix:///nonexistent/docker.sock');
    expect(String(status.stderr)).toContain('systemctl start docker');
  }, 60_000);

  it('rejects an invalid sandbox name', async () => {
    const result = await sandbox.run(['status', '--name', 'Bad Name']);

    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('"Bad Name"');
  });

  it('rejects exec without a command', async () => {
    const result = await sandbox.run(['exec']);

    expect(result.exitCode).toBe(2);
  });

  it('rejects a variable without a value', async () => {
    const result = await sandbox.run(['exec', '-e', 'JUST_A_NAME', '--', 'true']);

    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('NAME=value');
  });

  it('reports exec on a missing sandbox with 125', async () => {
    const result = await sandbox.run(['exec', '--', 'true']);

    expect(result.exitCode).toBe(125);
    expect(String(result.stderr)).toContain('deskvm up');
  }, 60_000);
});
