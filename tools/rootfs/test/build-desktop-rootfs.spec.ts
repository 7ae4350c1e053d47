// Builds the real desktop rootfs with debootstrap from this machine's apt mirror (root needed, about 5 to 10 minutes),
// extracts the tarball and runs the image's programs in a chroot of it. Set DESKVM_ROOTFS_TEST_CACHE to share one
// build with other test suites; otherwise the cache folder is a new one under the OS temp folder.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';

import { buildDesktopRootfs, DESKTOP_ENTRY, readManifest, removeBuildFolder, type RootfsBuild, type RootfsProgress } from '../src/index.js';

jest.setTimeout(25 * 60 * 1000);

const bundleDirectory = fileURLToPath(new URL('../../../apps/cli/dist/desktop/', import.meta.url));

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');

  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }

  return hash.digest('hex');
}

async function freePort(): Promise<number> {
  const server = createServer();

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const address = server.address();

  await new Promise((resolve) => server.close(resolve));

  return typeof address === 'object' && address !== null ? address.port : 0;
}

function inChroot(root: string, argv: string[]): ResultPromise<{ reject: false; env: Record<string, string>; extendEnv: false }> {
  return execa('chroot', [root, ...argv], {
    reject: false,
    extendEnv: false,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: '/root', LANG: 'C.UTF-8' },
  });
}

describe('buildDesktopRootfs (real debootstrap)', () => {
  let cacheDirectory: string;
  let ownCache = false;
  let extracted: string;
  let build: RootfsBuild;
  const progress: RootfsProgress[] = [];

  beforeAll(async () => {
    const shared = process.env['DESKVM_ROOTFS_TEST_CACHE'];

    ownCache = shared === undefined || shared === '';
    cacheDirectory = ownCache ? await mkdtemp(join(tmpdir(), 'deskvm-rootfs-cache-')) : (shared as string);
    await mkdir(cacheDirectory, { recursive: true });

    build = await buildDesktopRootfs({ cacheDirectory, bundleDirectory, onProgress: (entry) => progress.push(entry) });

    extracted = await mkdtemp(join(tmpdir(), 'deskvm-rootfs-extract-'));
    // mkdtemp makes the folder 0700, which would keep the agent user out of its own root folder.
    await chmod(extracted, 0o755);
    await execa('tar', ['--extract', `--file=${build.tarPath}`, '--numeric-owner', '-C', extracted]);
    await execa('mount', ['-t', 'proc', 'proc', join(extracted, 'proc')]);
  });

  afterAll(async () => {
    if (extracted !== undefined) {
      await removeBuildFolder(extracted);
    }

    if (ownCache) {
      await removeBuildFolder(cacheDirectory);
    }
  });

  it('reports progress of every phase', () => {
    if (build.reused) {
      expect(progress).toEqual([]);
      return;
    }

    const phases = new Set(progress.map((entry) => entry.phase));

    expect([...phases]).toEqual(expect.arrayContaining(['bootstrap', 'packages', 'bundle', 'archive', 'checksum']));
    expect(progress.some((entry) => entry.phase === 'bootstrap' && entry.step === 'configure')).toBe(true);
    expect(progress.some((entry) => entry.phase === 'packages' && entry.step === 'install')).toBe(true);
  });

  it('records size and SHA-256 in the manifest', async () => {
    const manifest = await readManifest(build.manifestPath);
    const entry = manifest.files.find((file) => file.name === build.name);

    expect(entry?.size).toBe((await stat(build.tarPath)).size);
    expect(entry?.sha256).toBe(await sha256Of(build.tarPath));
    expect(build.sha256).toBe(entry?.sha256);
  });

  it('has member names without a leading slash', async () => {
    const listing = await execa('tar', ['--list', `--file=${build.tarPath}`], { buffer: true, lines: false });
    const names = listing.stdout.split('\n').slice(0, 50);

    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => name.startsWith('/'))).toEqual([]);
  });

  it('runs the Node 18 of Debian 12', async () => {
    const result = await inChroot(extracted, ['node', '--version']);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^v18\./);
  });

  it.each(['x264enc', 'ximagesrc', 'videotestsrc', 'h264parse'])('has the GStreamer element %s', async (element) => {
    const result = await inChroot(extracted, ['gst-inspect-1.0', element]);

    expect(result.exitCode).toBe(0);
  });

  it.each(['Xvfb', 'openbox', 'xterm', 'xclock', 'xrandr', 'xsetroot', 'gst-launch-1.0'])('has the program %s', async (program) => {
    const result = await inChroot(extracted, ['sh', '-c', 'command -v "$1"', 'sh', program]);

    expect(result.exitCode).toBe(0);
  });

  it('has the agent user with uid 1000', async () => {
    const result = await inChroot(extracted, ['getent', 'passwd', 'agent']);

    expect(result.stdout.trim()).toBe('agent:x:1000:1000::/home/agent:/bin/bash');
  });

  it('ships an empty machine-id and no apt lists', async () => {
    const machineId = await readFile(join(extracted, 'etc/machine-id'), 'utf8');
    const lists = await inChroot(extracted, ['find', '/var/lib/apt/lists', '-maxdepth', '1', '-type', 'f', '!', '-name', 'lock']);

    expect(machineId).toBe('');
    expect(lists.stdout.trim()).toBe('');
  });

  it('records the build in /etc/deskvm-image.json', async () => {
    const description = JSON.parse(await readFile(join(extracted, 'etc/deskvm-image.json'), 'utf8')) as { packages: string[] };

    expect(description.packages).toEqual(expect.arrayContaining(['xvfb', 'nodejs', 'gstreamer1.0-plugins-ugly']));
  });

  it('serves a test pattern with Node 18', async () => {
    const port = await freePort();
    const serve = execa(
      'chroot',
      ['--userspec=1000:1000', extracted, 'node', DESKTOP_ENTRY, 'serve', '--source', 'test-pattern', '--json', '--port', String(port)],
      { reject: false, extendEnv: false, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/home/agent' }, buffer: true },
    );

    try {
      const ready = await new Promise<string>((resolve, reject) => {
        let text = '';

        serve.stdout?.on('data', (chunk: Buffer) => {
          text += chunk.toString();

          if (text.includes('\n')) {
            resolve(text.split('\n')[0] ?? '');
          }
        });
        void serve.then((result) => reject(new Error(`serve exited early: ${result.stderr}`)));
      });
      const health = await fetch(`http://127.0.0.1:${port}/health`);

      expect(JSON.parse(ready)).toMatchObject({ event: 'ready', healthUrl: `http://127.0.0.1:${port}/health` });
      expect(health.status).toBe(200);
    } finally {
      serve.kill('SIGTERM');
    }

    const ended = await serve;

    expect(ended.signal ?? ended.exitCode).toBeDefined();
    expect(ended.stderr).not.toMatch(/TypeError|ReferenceError|is not a function/);
  });

  it('reuses the tarball for the same inputs', async () => {
    const again = await buildDesktopRootfs({ cacheDirectory, bundleDirectory });

    expect(again.reused).toBe(true);
    expect(again.tarPath).toBe(build.tarPath);
    expect(again.sha256).toBe(build.sha256);
  });
});
