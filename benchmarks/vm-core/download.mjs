// Compares the verified image download of @deskvm/vm-core (parallel ranged chunks, SHA-256 while downloading,
// resume state, atomic rename) with a plain unverified copy (one GET streamed to a file, no hash). Both read from the
// same loopback server in the same run. It prints the throughput of both and their ratio.
// Run from the repository root after `npm run build`:
//   node benchmarks/vm-core/download.mjs [sizeMiB=512] [rounds=3]
// Files go to a temporary folder on the file system of os.tmpdir() and are removed at the end. The verified download
// also flushes the file to disk before its rename (fsync); the plain copy does not. CPU times count this process only,
// not the server process.
import { createHash, randomFillSync } from 'node:crypto';
import { fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { downloadImage } from '@deskvm/vm-core';

const [sizeMiB = '512', rounds = '3'] = process.argv.slice(2);
const size = Number(sizeMiB) * 1024 * 1024;
const folder = await mkdtemp(join(tmpdir(), 'deskvm-download-bench-'));
const sourcePath = join(folder, 'rootfs.img');

/** Writes `size` random bytes in 8 MiB blocks and returns their SHA-256. */
async function writeSource() {
  const hash = createHash('sha256');
  const handle = await open(sourcePath, 'w');
  const block = Buffer.alloc(8 * 1024 * 1024);

  for (let written = 0; written < size; written += block.length) {
    const piece = block.subarray(0, Math.min(block.length, size - written));

    randomFillSync(piece);
    hash.update(piece);
    await handle.write(piece);
  }

  await handle.close();

  return hash.digest('hex');
}

async function startServer() {
  const serverScript = join(dirname(fileURLToPath(import.meta.url)), 'file-server.mjs');
  const child = fork(serverScript, [sourcePath], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise((resolve) => child.stdout.once('data', (chunk) => resolve(Number(chunk.toString()))));

  return { child, baseUrl: `http://127.0.0.1:${port}/` };
}

async function plainCopy(url, target) {
  const dispatcher = new Agent();
  const response = await request(url, { dispatcher });

  await pipeline(response.body, createWriteStream(target));
  await dispatcher.close();
}

async function verifiedDownload(manifest, target) {
  await downloadImage(manifest, { directory: target, reserveBytes: 0, env: {} });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)];
}

/** Returns the wall-clock seconds and the CPU seconds of this process (main and worker threads) that `action` took. */
async function timed(action) {
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();

  await action();

  const cpu = process.cpuUsage(cpuBefore);

  return { wall: (performance.now() - startedAt) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

const sha256 = await writeSource();
const { child, baseUrl } = await startServer();
const manifest = { version: 'bench', base_url: baseUrl, files: [{ name: 'rootfs.img', size, sha256 }] };
const plainSeconds = [];
const verifiedSeconds = [];

try {
  for (let round = 0; round < Number(rounds); round += 1) {
    const plainTarget = join(folder, 'plain.img');
    const verifiedTarget = join(folder, 'verified');

    const plain = await timed(() => plainCopy(`${baseUrl}rootfs.img`, plainTarget));

    await rm(plainTarget, { force: true });

    const verified = await timed(() => verifiedDownload(manifest, verifiedTarget));

    await rm(verifiedTarget, { recursive: true, force: true });
    plainSeconds.push(plain);
    verifiedSeconds.push(verified);
    console.log(
      `round ${round + 1}: plain ${plain.wall.toFixed(2)} s (CPU ${plain.cpu.toFixed(2)} s), ` +
        `verified ${verified.wall.toFixed(2)} s (CPU ${verified.cpu.toFixed(2)} s), ratio ${(plain.wall / verified.wall).toFixed(2)}`,
    );
  }
} finally {
  child.kill();
  await rm(folder, { recursive: true, force: true });
}

const mibPerSecond = (seconds) => (Number(sizeMiB) / seconds).toFixed(0);
const plain = median(plainSeconds.map((run) => run.wall));
const verified = median(verifiedSeconds.map((run) => run.wall));

console.log(`file: ${sizeMiB} MiB, rounds: ${rounds}, median wall-clock time of each`);
console.log(`plain copy (one GET, no hash):              ${plain.toFixed(2)} s, ${mibPerSecond(plain)} MiB/s`);
console.log(`verified download (8 MiB chunks x 4, SHA-256): ${verified.toFixed(2)} s, ${mibPerSecond(verified)} MiB/s`);
console.log(`ratio verified/plain throughput: ${(plain / verified).toFixed(2)} (target at least 0.8)`);
