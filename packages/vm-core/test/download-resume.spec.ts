import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadImage, type ImageManifest } from '../src/index.js';
import { bundleFixture, killHard, startChild } from './support/child-process.js';
import { FileServer } from './support/file-server.js';
import { rejection } from './support/rejection.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

const CHUNK = 256 * 1024;

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('download resume across kill -9', () => {
  let server: FileServer;
  let directory: string;
  let script: string;

  beforeAll(async () => {
    script = await bundleFixture('download-child');
    server = new FileServer();
    await server.start();
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'vm-core-resume-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('continues from the completed chunks after the downloader was killed', async () => {
    const rootfs = randomBytes(4 * 1024 * 1024);
    const manifest: ImageManifest = {
      version: '1.0.0',
      base_url: server.baseUrl,
      files: [{ name: 'rootfs.tar', size: rootfs.length, sha256: sha256(rootfs) }],
    };

    server.files.set('rootfs.tar', rootfs);
    // About 3 MiB/s over two connections: slow enough to kill the child part way, with several chunks complete.
    server.reset({ delayPer64KiBMs: 40 });

    const child = await startChild(script, [JSON.stringify(manifest), directory, String(CHUNK)], 'progress ');
    const statePath = join(directory, 'rootfs.tar.part.json');

    for (let waited = 0; waited < 20_000; waited += 50) {
      const state = await readFile(statePath, 'utf8').then((text) => JSON.parse(text) as { completed: number[] }, () => undefined);

      if (state !== undefined && state.completed.length >= 3) {
        break;
      }

      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const locked = await rejection(
      downloadImage(manifest, { directory, chunkSizeBytes: CHUNK, concurrency: 2, reserveBytes: 0, env: {} }),
    );

    expect(locked.code).toBe('VM_ERR_LOCKED');
    expect(locked.message).toContain(`pid ${child.pid}`);

    await killHard(child);

    const completed = (JSON.parse(await readFile(statePath, 'utf8')) as { completed: number[] }).completed;

    expect(completed.length).toBeGreaterThanOrEqual(3);
    expect(completed.length).toBeLessThan(rootfs.length / CHUNK);
    expect((await readdir(directory)).sort()).toEqual(['.download.lock', 'rootfs.tar.part', 'rootfs.tar.part.json']);

    server.reset();

    await downloadImage(manifest, { directory, chunkSizeBytes: CHUNK, concurrency: 2, reserveBytes: 0, env: {} });

    const requestedStarts = server.requests.map((request) => Number(/^bytes=(\d+)-/.exec(request.range ?? '')?.[1]));

    for (const index of completed) {
      expect(requestedStarts).not.toContain(index * CHUNK);
    }

    expect(server.bytesSent).toBeLessThanOrEqual(rootfs.length - completed.length * CHUNK);
    expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));
    expect((await readdir(directory)).sort()).toEqual(['image.json', 'rootfs.tar']);
  }, 60_000);
});
