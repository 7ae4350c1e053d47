import { createHash, randomBytes } from 'node:crypto';
import { link, lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { gzipSync } from 'node:zlib';
import {
  downloadImage,
  readInstalledImage,
  VmError,
  type DownloadImageOptions,
  type DownloadProgressEvent,
  type ImageManifest,
} from '../src/index.js';
import { bundleFixture } from './support/child-process.js';
import { FileServer } from './support/file-server.js';
import { LoopbackProxy } from './support/proxy-server.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

const MiB = 1024 * 1024;
const CHUNK = 256 * 1024;

/** Compresses with the zstd command-line tool (Debian's zstd package), a real encoder independent of the decoder. */
function zstdSync(data: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 64 * MiB });
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('downloadImage', () => {
  let server: FileServer;
  let directory: string;
  let rootfs: Buffer;
  let manifest: ImageManifest;

  beforeAll(async () => {
    server = new FileServer();
    await server.start();
    rootfs = randomBytes(2 * MiB + 12345);
    server.files.set('rootfs.tar', rootfs);
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'vm-core-download-'));
    server.reset();
    manifest = {
      version: '1.0.0',
      base_url: server.baseUrl,
      files: [{ name: 'rootfs.tar', size: rootfs.length, sha256: sha256(rootfs) }],
    };
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  function options(extra: Partial<DownloadImageOptions> = {}): DownloadImageOptions {
    return {
      directory,
      chunkSizeBytes: CHUNK,
      concurrency: 3,
      reserveBytes: 0,
      retryBaseDelayMs: 10,
      retryMaxDelayMs: 50,
      stallTimeoutMs: 2000,
      env: {},
      ...extra,
    };
  }

  async function downloadError(extra: Partial<DownloadImageOptions> = {}, raw: unknown = manifest): Promise<VmError> {
    const error = await downloadImage(raw, options(extra)).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(VmError);

    return error as VmError;
  }

  it('downloads in ranged chunks without HEAD and registers the image', async () => {
    server.behaviour = { headNotAllowed: true };
    const events: DownloadProgressEvent[] = [];

    await downloadImage(manifest, options({ onProgress: (event) => events.push(event) }));

    expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));
    expect(await readInstalledImage(directory)).toEqual(manifest);
    expect(server.requests.every((request) => request.method === 'GET')).toBe(true);
    expect(server.requests.every((request) => /^bytes=\d+-\d+$/.test(request.range ?? ''))).toBe(true);
    expect(server.requests).toHaveLength(Math.ceil(rootfs.length / CHUNK));
    expect(events.at(-1)).toMatchObject({ status: 'complete', bytesDone: rootfs.length, bytesTotal: rootfs.length });
    expect((await readdir(directory)).sort()).toEqual(['image.json', 'rootfs.tar']);
  });

  it('reports speed and ETA while downloading', async () => {
    // About 2 MiB/s per connection, so the 2 MiB file takes long enough for progress events in between.
    server.reset({ delayPer64KiBMs: 30 });
    const events: DownloadProgressEvent[] = [];

    await downloadImage(manifest, options({ onProgress: (event) => events.push(event) }));

    const during = events.filter((event) => event.status === 'downloading' && event.bytesPerSecond > 0);

    expect(during.length).toBeGreaterThan(0);
    expect(during.every((event) => event.etaSeconds !== undefined && event.etaSeconds >= 0)).toBe(true);
    expect(during.every((event) => event.bytesDone <= event.bytesTotal)).toBe(true);
    expect(events.map((event) => event.bytesDone)).toEqual([...events.map((event) => event.bytesDone)].sort((a, b) => a - b));
  });

  it('retries a connection dropped part way, from where it stopped', async () => {
    server.behaviour = { dropAfterBytes: 100_000, dropCount: 2 };

    await downloadImage(manifest, options());

    expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));

    const ranges = server.requests.map((request) => request.range);

    // The first two requests (chunks 0 and 1) were cut after 100000 bytes; each retry requests only the rest.
    expect(ranges).toEqual(expect.arrayContaining([`bytes=100000-${CHUNK - 1}`, `bytes=${CHUNK + 100_000}-${2 * CHUNK - 1}`]));
    expect(server.bytesSent).toBeLessThan(rootfs.length + 2 * CHUNK);
  });

  it('retries a stalled request after the stall timeout', async () => {
    server.behaviour = { stallAfterBytes: 1000, stallCount: 1 };

    await downloadImage(manifest, options({ stallTimeoutMs: 300 }));

    expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));
  });

  it('reports stalls by code once retries run out', async () => {
    server.behaviour = { stallAfterBytes: 0, stallCount: 1000 };

    const error = await downloadError({ stallTimeoutMs: 100, maxAttempts: 2 });

    expect(error.code).toBe('VM_ERR_DOWNLOAD_STALLED');
    expect(error.url).toBe(`${server.baseUrl}rootfs.tar`);
    expect(error.message.split('Downloading ')).toHaveLength(2);
    expect(error.message).not.toContain('..');
  });

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/rootfs.tar'])('fails at once on a redirect to %s', async (location) => {
    server.behaviour = { redirectTo: location };

    const error = await downloadError({ concurrency: 1, maxAttempts: 3 });

    expect(error.code).toBe('VM_ERR_DOWNLOAD_HTTP');
    expect(error.message).toBe(
      `Downloading ${server.baseUrl}rootfs.tar failed at once, because the server redirected to a URL whose scheme ` +
        "is not http: or https:, and downloads follow only those. Check the manifest's base_url and the server's redirects.",
    );
    expect(server.requests).toHaveLength(1);
  });

  it('names the URL and both digests on wrong bytes, and keeps nothing', async () => {
    server.behaviour = { corruptOffset: 1_000_000 };

    const error = await downloadError();
    const corrupted = Buffer.from(rootfs);

    corrupted[1_000_000] ^= 0xff;

    expect(error.code).toBe('VM_ERR_CHECKSUM_MISMATCH');
    expect(error.url).toBe(`${server.baseUrl}rootfs.tar`);
    expect(error.message).toContain(`${server.baseUrl}rootfs.tar`);
    expect(error.message).toContain(sha256(rootfs));
    expect(error.message).toContain(sha256(corrupted));
    expect(await readdir(directory)).toEqual([]);
    expect(await readInstalledImage(directory)).toBeUndefined();
  });

  it('falls back to one request when the server ignores Range', async () => {
    server.behaviour = { ignoreRange: true };

    await downloadImage(manifest, options());

    expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));
    expect(server.requests.filter((request) => request.method === 'GET').length).toBeLessThanOrEqual(1 + 3);
  });

  it('retries from the start when a server without Range drops the connection', async () => {
    server.behaviour = { ignoreRange: true, dropAfterBytes: 500_000, dropCount: 2 };

    await downloadImage(manifest, options());

    expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));
  });

  it('reports a server file shorter than the manifest (416)', async () => {
    const longer = { ...manifest, files: [{ ...manifest.files[0]!, size: rootfs.length + 10 * CHUNK }] };

    const error = await downloadError({}, longer);

    expect(error.code).toBe('VM_ERR_DOWNLOAD_SIZE');
    expect(error.message).toContain(`${rootfs.length} bytes`);
    expect(await readInstalledImage(directory)).toBeUndefined();
    // Chunks before the end of the server's file completed, but they cannot make a file of the manifest's size.
    expect(await readdir(directory)).toEqual([]);
  });

  it('removes the partial file when the server file is longer', async () => {
    const shorter = { ...manifest, files: [{ ...manifest.files[0]!, size: 100 }] };

    const error = await downloadError({}, shorter);

    expect(error.code).toBe('VM_ERR_DOWNLOAD_SIZE');
    expect(error.message).toContain(`${rootfs.length} bytes`);
    expect(await readdir(directory)).toEqual([]);
  });

  it.each([
    ['a dropped connection', { dropFromGet: 3 }, 'VM_ERR_DOWNLOAD_HTTP'],
    ['a stall', { stallFromGet: 3 }, 'VM_ERR_DOWNLOAD_STALLED'],
  ] as const)('keeps completed chunks after %s', async (_case, behaviour, code) => {
    server.behaviour = behaviour;

    const error = await downloadError({ concurrency: 1, maxAttempts: 1, stallTimeoutMs: 300 });

    expect(error.code).toBe(code);
    expect((await readdir(directory)).sort()).toEqual(['rootfs.tar.part', 'rootfs.tar.part.json']);

    const state = JSON.parse(await readFile(join(directory, 'rootfs.tar.part.json'), 'utf8')) as { completed: number[] };

    expect(state.completed).toEqual([0, 1, 2]);

    server.reset();
    await downloadImage(manifest, options({ concurrency: 1 }));

    expect(server.requests.map((request) => request.range)).not.toContain(`bytes=0-${CHUNK - 1}`);
    expect(server.requests).toHaveLength(Math.ceil(rootfs.length / CHUNK) - 3);
    expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));
  });

  it('fails at once on HTTP 404', async () => {
    const missing = { ...manifest, files: [{ ...manifest.files[0]!, name: 'missing.tar' }] };

    const error = await downloadError({}, missing);

    expect(error.code).toBe('VM_ERR_DOWNLOAD_HTTP');
    expect(error.message).toContain('HTTP 404');
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it('gives up on HTTP 503 after the attempts', async () => {
    server.behaviour = { status: 503 };

    const error = await downloadError({ maxAttempts: 3, concurrency: 1 });

    expect(error.code).toBe('VM_ERR_DOWNLOAD_HTTP');
    expect(error.message).toContain('after 3 attempts');
    expect(server.requests).toHaveLength(3);
    // No chunk completed, so nothing could be resumed.
    expect(await readdir(directory)).toEqual([]);
  });

  it('checks free space before any request', async () => {
    const error = await downloadError({ statfs: async () => ({ bavail: 100, bsize: 4096 }), reserveBytes: 1024 });

    expect(error.code).toBe('VM_ERR_NO_SPACE');
    expect(error.message).toContain(directory);
    expect(error.message).toContain('needs 3 MiB');
    expect(server.requests).toHaveLength(0);
  });

  // concurrency 0 started no request and then reported a checksum mismatch of the empty file, deleting it.
  it.each([
    ['concurrency', 0],
    ['chunkSizeBytes', 0],
    ['chunkSizeBytes', 1.5],
    ['stallTimeoutMs', -1],
    ['maxAttempts', 0],
    ['retryBaseDelayMs', Number.NaN],
    ['retryMaxDelayMs', -5],
    ['reserveBytes', -1],
  ])('rejects option %s = %p before any request', async (name, value) => {
    const error = await downloadError({ [name]: value });

    expect(error.code).toBe('VM_ERR_INVALID_ARGUMENT');
    expect(error.message).toContain(`${name} ${String(value)}`);
    expect(server.requests).toHaveLength(0);
    expect(await readdir(directory)).toEqual([]);
  });

  it('copies a local file named by a path', async () => {
    const source = await mkdtemp(join(tmpdir(), 'vm-core-source-'));

    try {
      await writeFile(join(source, 'rootfs.tar'), rootfs);
      await downloadImage({ ...manifest, base_url: source }, options({ allowLocalFiles: true }));

      expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));
      expect(server.requests).toHaveLength(0);

      await writeFile(join(source, 'rootfs.tar'), Buffer.alloc(rootfs.length));
      await rm(join(directory, 'rootfs.tar'));

      const error = await downloadError({ allowLocalFiles: true }, { ...manifest, base_url: `file://${source}` });

      expect(error.code).toBe('VM_ERR_CHECKSUM_MISMATCH');
      expect(error.message).toContain(join(source, 'rootfs.tar'));
      expect(await readdir(directory)).toEqual([]);
    } finally {
      await rm(source, { recursive: true });
    }
  });

  it.each(['/etc', 'file:///etc', 'relative/folder'])('rejects local base_url %j by default', async (baseUrl) => {
    const error = await downloadError({}, { ...manifest, base_url: baseUrl, files: [{ name: 'passwd', size: 1, sha256: 'a'.repeat(64) }] });

    expect(error.code).toBe('VM_ERR_INVALID_MANIFEST');
    expect(error.message).toContain(JSON.stringify(baseUrl));
    expect(error.message).toContain('allowLocalFiles: true');
    expect(await readdir(directory)).toEqual([]);
  });

  it('decompresses a gzip file after verifying it', async () => {
    const disk = randomBytes(300_000);
    const compressed = gzipSync(disk);

    server.files.set('disk.img.gz', compressed);

    await downloadImage(
      {
        ...manifest,
        files: [{ name: 'disk.img.gz', size: compressed.length, sha256: sha256(compressed), compression: 'gzip', decompressed_size: disk.length }],
      },
      options(),
    );

    expect(sha256(await readFile(join(directory, 'disk.img')))).toBe(sha256(disk));
  });

  it('stops a gzip file that expands past decompressed_size', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * MiB));
    const file = { name: 'bomb.img.gz', size: bomb.length, sha256: sha256(bomb), compression: 'gzip' as const };

    server.files.set('bomb.img.gz', bomb);

    const sized = await downloadError({}, { ...manifest, files: [{ ...file, decompressed_size: 10 }] });

    expect(sized.code).toBe('VM_ERR_DOWNLOAD_SIZE');
    expect(sized.message).toContain('bomb.img.gz decompresses to more than 10 bytes');
    expect(await readdir(directory)).toEqual(['bomb.img.gz']);

    // Without decompressed_size, the free space (8 MiB here) bounds the output.
    const unsized = await downloadError({ statfs: async () => ({ bavail: 2048, bsize: 4096 }) }, { ...manifest, files: [file] });

    expect(unsized.code).toBe('VM_ERR_NO_SPACE');
    expect(unsized.message).toContain(`more than the ${8 * MiB} bytes`);
    expect(await readdir(directory)).toEqual(['bomb.img.gz']);
  });

  it('decompresses a zstd file after verifying it', async () => {
    // Compressible content, so the frames span several blocks and the decoder's window is used.
    const disk = Buffer.concat(Array.from({ length: 40 }, () => Buffer.concat([randomBytes(5_000), Buffer.alloc(20_000, 7)])));
    const compressed = zstdSync(disk);

    server.files.set('disk.img.zst', compressed);

    await downloadImage(
      {
        ...manifest,
        files: [{ name: 'disk.img.zst', size: compressed.length, sha256: sha256(compressed), compression: 'zstd', decompressed_size: disk.length }],
      },
      options(),
    );

    expect(sha256(await readFile(join(directory, 'disk.img')))).toBe(sha256(disk));
  });

  it('rejects truncated zstd data and keeps no partial copy', async () => {
    const compressed = zstdSync(randomBytes(200_000));
    const truncated = compressed.subarray(0, compressed.length - 1000);

    server.files.set('cut.img.zst', truncated);

    const error = await downloadError({}, {
      ...manifest,
      files: [{ name: 'cut.img.zst', size: truncated.length, sha256: sha256(truncated), compression: 'zstd' }],
    });

    expect(error.code).toBe('VM_ERR_IO');
    expect(error.message).toContain('cut.img.zst');
    expect((await readdir(directory)).filter((name) => name.startsWith('cut.img') && name !== 'cut.img.zst')).toEqual([]);
  });

  it.each([
    ['rootfs.tar.part', false],
    ['rootfs.tar.part.json', false],
    ['rootfs.tar', false],
    ['image.json', false],
    ['disk.img', true],
    ['disk.img.part', true],
  ])('rejects a symlink planted at %s', async (name, compressed) => {
    const outside = await mkdtemp(join(tmpdir(), 'vm-core-outside-'));
    const victim = join(outside, 'victim.txt');
    const planted = join(directory, name);
    const disk = gzipSync(rootfs);

    server.files.set('disk.img.gz', disk);

    const raw = compressed
      ? { ...manifest, files: [{ name: 'disk.img.gz', size: disk.length, sha256: sha256(disk), compression: 'gzip' }] }
      : manifest;

    try {
      await writeFile(victim, 'victim\n');
      await symlink(victim, planted);

      const error = await downloadError({}, raw);

      expect(error.code).toBe('VM_ERR_IO');
      expect(error.message).toContain(`${planted} is a symbolic link`);
      expect(error.message).toContain(`Remove ${planted}, then run the download again.`);
      expect(await readFile(victim, 'utf8')).toBe('victim\n');
      expect((await lstat(planted)).isSymbolicLink()).toBe(true);
      expect(server.requests).toHaveLength(0);
    } finally {
      await rm(outside, { recursive: true });
    }
  });

  it('rejects resuming a hard-linked part file', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'vm-core-outside-'));
    const victim = join(outside, 'victim.img');
    const partPath = join(directory, 'rootfs.tar.part');
    const file = manifest.files[0]!;
    const state = { version: 1, source: `${server.baseUrl}rootfs.tar`, size: file.size, sha256: file.sha256, chunkSize: CHUNK, completed: [0] };

    try {
      await writeFile(victim, Buffer.alloc(rootfs.length));
      await link(victim, partPath);
      await writeFile(join(directory, 'rootfs.tar.part.json'), JSON.stringify(state));

      const error = await downloadError({}, manifest);

      expect(error.code).toBe('VM_ERR_IO');
      expect(error.message).toContain(`${partPath} is a file with 2 hard links`);
      expect((await readFile(victim)).equals(Buffer.alloc(rootfs.length))).toBe(true);
      expect(server.requests).toHaveLength(0);
    } finally {
      await rm(outside, { recursive: true });
    }
  });

  it('keeps a verified file and downloads nothing again', async () => {
    await downloadImage(manifest, options());
    server.requests.length = 0;

    await downloadImage(manifest, options());

    expect(server.requests).toHaveLength(0);
    expect(await readInstalledImage(directory)).toEqual(manifest);
  });

  it('rejects a manifest with a path in a file name', async () => {
    const error = await downloadError({}, { ...manifest, files: [{ ...manifest.files[0]!, name: '../escape' }] });

    expect(error.code).toBe('VM_ERR_INVALID_MANIFEST');
    expect(error.message).toContain('files.0.name');
  });

  it('goes through HTTP_PROXY unless NO_PROXY matches', async () => {
    const proxy = new LoopbackProxy();

    await proxy.start();

    try {
      await downloadImage(manifest, options({ env: { HTTP_PROXY: proxy.url } }));

      expect(proxy.forwarded.length).toBeGreaterThan(0);
      expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));

      const viaProxy = proxy.forwarded.length;

      await rm(join(directory, 'rootfs.tar'));
      await downloadImage(manifest, options({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } }));

      expect(proxy.forwarded).toHaveLength(viaProxy);
    } finally {
      await proxy.stop();
    }
  });
});

describe('downloadImage over HTTPS', () => {
  let certificateDirectory: string;
  let certificatePath: string;
  let server: FileServer;
  let proxy: LoopbackProxy;
  let directory: string;
  let rootfs: Buffer;
  let manifest: ImageManifest;
  let childScript: string;

  beforeAll(async () => {
    certificateDirectory = await mkdtemp(join(tmpdir(), 'vm-core-tls-'));
    certificatePath = join(certificateDirectory, 'cert.pem');

    const keyPath = join(certificateDirectory, 'key.pem');

    // A self-signed certificate for the IP address 127.0.0.1, valid for one day.
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certificatePath,
    ], { stdio: 'ignore' });

    server = new FileServer({ key: await readFile(keyPath, 'utf8'), cert: await readFile(certificatePath, 'utf8') });
    await server.start();
    proxy = new LoopbackProxy();
    await proxy.start();
    rootfs = randomBytes(MiB + 321);
    server.files.set('rootfs.tar', rootfs);
    manifest = {
      version: '1.0.0',
      base_url: server.baseUrl,
      files: [{ name: 'rootfs.tar', size: rootfs.length, sha256: sha256(rootfs) }],
    };
    childScript = await bundleFixture('env-download-child');
  });

  afterAll(async () => {
    await proxy.stop();
    await server.stop();
    await rm(certificateDirectory, { recursive: true, force: true });
  });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'vm-core-https-'));
    server.reset();
    proxy.forwarded.length = 0;
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  // NODE_EXTRA_CA_CERTS is read only when Node starts, so the download runs in a child process.
  async function downloadInChild(env: Record<string, string>): Promise<{ exitCode?: number; stderr: string }> {
    const result = await execa('node', [childScript, JSON.stringify(manifest), directory], {
      env: { NODE_EXTRA_CA_CERTS: certificatePath, ...env },
      extendEnv: false,
      reject: false,
    });

    return { exitCode: result.exitCode, stderr: String(result.stderr) };
  }

  it('tunnels through HTTPS_PROXY with CONNECT', async () => {
    const result = await downloadInChild({ HTTPS_PROXY: proxy.url });

    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(proxy.forwarded).toContain(`CONNECT 127.0.0.1:${server.port}`);
    expect(proxy.forwarded.every((line) => line.startsWith('CONNECT '))).toBe(true);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));
  }, 20_000);

  it('bypasses HTTPS_PROXY when NO_PROXY matches', async () => {
    const result = await downloadInChild({ HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });

    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(proxy.forwarded).toEqual([]);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(sha256(await readFile(join(directory, 'rootfs.tar')))).toBe(sha256(rootfs));
  }, 20_000);

  it('names the URL when the certificate is untrusted', async () => {
    const error = await downloadImage(manifest, {
      directory,
      reserveBytes: 0,
      maxAttempts: 2,
      retryBaseDelayMs: 10,
      env: { HTTPS_PROXY: proxy.url },
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(VmError);
    expect((error as VmError).code).toBe('VM_ERR_DOWNLOAD_TLS');
    expect((error as VmError).message).toContain(`${server.baseUrl}rootfs.tar`);
    expect((error as VmError).message).toContain('NODE_EXTRA_CA_CERTS');
    // A certificate that failed once fails again, so there is no second attempt.
    expect(proxy.forwarded).toEqual([`CONNECT 127.0.0.1:${server.port}`]);
    expect(server.requests).toEqual([]);
  });
});
