import { createServer } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BUSYBOX_PATH, busyboxImage, dockerEngineAddress } from '@deskvm/testing';
import { connectEngine, isNativeError, type DockerEngine, type ImageProgress } from '../src/index.js';

async function closedPort(): Promise<number> {
  const server = createServer();

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const address = server.address();

  await new Promise((resolve) => server.close(resolve));

  return typeof address === 'object' && address !== null ? address.port : 0;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(() => new Error('The promise resolved, but an error was expected.'), (error: unknown) => error);

  if (!isNativeError(outcome)) {
    throw outcome;
  }

  return outcome;
}

describe('connectEngine', () => {
  let address: string;
  let engine: DockerEngine;

  beforeAll(async () => {
    address = await dockerEngineAddress();
    engine = await connectEngine({ dockerHost: address });
  }, 120_000);

  it('connects to the running engine', async () => {
    const version = await engine.version();
    const info = await engine.info();

    expect(engine.address).toBe(address);
    expect(version.apiVersion).toMatch(/^1\.\d+$/);
    expect(version.os).toBe('linux');
    expect(info.runtimes).toContain('runc');
    expect(typeof info.hasBridgeNetwork).toBe('boolean');
    expect(['systemd', 'cgroupfs']).toContain(info.cgroupDriver);
  });

  it('reads DOCKER_HOST from env', async () => {
    const fromEnv = await connectEngine({ env: { DOCKER_HOST: address } });

    expect(fromEnv.address).toBe(address);
  });

  it('lists every address it tried', async () => {
    const error = await rejection(connectEngine({ dockerHost: 'unix:///nonexistent/deskvm/docker.sock' }));

    expect(error).toMatchObject({ code: 'NATIVE_ERR_ENGINE_UNREACHABLE' });
    expect(error.message).toContain('unix:///nonexistent/deskvm/docker.sock (ENOENT');
    expect(error.message).toContain('sudo systemctl start docker');
    expect(error.message).toContain('bash scripts/docker-engine.sh');
    expect(error.message).toContain('DOCKER_HOST');
  });

  it('reports a refused tcp port', async () => {
    const port = await closedPort();
    const error = await rejection(connectEngine({ env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` } }));

    expect(error).toMatchObject({ code: 'NATIVE_ERR_ENGINE_UNREACHABLE' });
    expect(error.message).toContain(`tcp://127.0.0.1:${port} (ECONNREFUSED`);
  });

  it('times out on a silent server', async () => {
    const server = createServer(() => undefined);

    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    const { port } = server.address() as { port: number };

    try {
      const error = await rejection(connectEngine({ dockerHost: `tcp://127.0.0.1:${port}`, timeoutMs: 300 }));

      expect(error.message).toContain('timed out after 300 ms');
    } finally {
      server.close();
    }
  });

  it('times out after a garbage collection', async () => {
    // Node.js 20 collects an AbortSignal.timeout() that only AbortSignal.any() refers to, and the ping then hangs.
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const server = createServer(() => undefined);

    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    const { port } = server.address() as { port: number };

    try {
      const pending = rejection(connectEngine({ dockerHost: `tcp://127.0.0.1:${port}`, timeoutMs: 500, signal: new AbortController().signal }));

      await new Promise((resolve) => setTimeout(resolve, 100));
      collectGarbage();

      const error = await pending;

      expect(error.message).toContain('timed out after 500 ms');
    } finally {
      server.close();
    }
  }, 10_000);
});

describe('DockerEngine images', () => {
  let engine: DockerEngine;
  let folder: string;
  const reference = `deskvm-test/native-import:${process.pid}`;

  beforeAll(async () => {
    engine = await connectEngine({ dockerHost: await dockerEngineAddress() });
    folder = await mkdtemp(join(tmpdir(), 'deskvm-native-image-'));
  }, 120_000);

  afterAll(async () => {
    await engine.removeImage(reference);
    await rm(folder, { recursive: true, force: true });
  });

  it('imports a tarball with changes', async () => {
    const { execFile } = await import('node:child_process');
    const tarball = join(folder, 'rootfs.tar');

    await new Promise<void>((resolve, reject) =>
      execFile('tar', ['--create', '--file', tarball, '--absolute-names', '--transform', 's,^/bin/,bin/,', BUSYBOX_PATH], (error) =>
        error === null ? resolve() : reject(error),
      ),
    );

    const progress: ImageProgress[] = [];

    await engine.importImage(tarball, reference, {
      changes: ['CMD ["/bin/busybox", "true"]', 'ENV DESKVM_TEST=yes', 'WORKDIR /tmp'],
      onProgress: (update) => progress.push(update),
    });

    const config = (await engine.docker.getImage(reference).inspect()).Config;

    expect(await engine.imageExists(reference)).toBe(true);
    expect(config.Cmd).toEqual(['/bin/busybox', 'true']);
    expect(config.Env).toContain('DESKVM_TEST=yes');
    expect(config.WorkingDir).toBe('/tmp');
    expect(progress.at(-1)?.phase).toBe('import');
    expect(progress.some((update) => update.bytesDone === update.bytesTotal)).toBe(true);
  }, 60_000);

  it('names a missing tarball', async () => {
    const error = await rejection(engine.importImage(join(folder, 'missing.tar'), 'deskvm-test/never:1'));

    expect(error).toMatchObject({ code: 'NATIVE_ERR_IMAGE' });
    expect(error.message).toContain('missing.tar');
  });

  it('reports a missing image as absent', async () => {
    expect(await engine.imageExists('deskvm-test/does-not-exist:0')).toBe(false);
  });

  it('removes a missing image quietly', async () => {
    await expect(engine.removeImage('deskvm-test/does-not-exist:0')).resolves.toBeUndefined();
  });

  it('names the reference when a pull fails', async () => {
    // A registry address on 127.0.0.1 where nothing listens: the engine fails at once, and no traffic leaves the host.
    const port = await closedPort();
    const pulled = `127.0.0.1:${port}/deskvm-test/none:1`;
    const error = await rejection(engine.pullImage(pulled));

    expect(error).toMatchObject({ code: 'NATIVE_ERR_IMAGE' });
    expect(error.message).toContain(`Could not pull the image ${pulled}`);
  }, 60_000);

  it('builds the busybox test image', async () => {
    const image = await busyboxImage(engine.address);

    expect(image).toMatch(/^deskvm-test\/busybox:[0-9a-f]{12}$/);
    expect(await engine.imageExists(image)).toBe(true);
  }, 60_000);
});
