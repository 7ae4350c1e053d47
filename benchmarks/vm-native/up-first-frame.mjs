// Time from `deskvm up` to the first frame shown in Chromium, with the desktop image already in the engine, against
// the alternative without a sandbox: `deskvm serve` on the host, to the first frame in the same browser.
// Run from the repository root after `npm run build`, with a Docker engine and the desktop image (`npm test` or
// `node apps/cli/dist/main.js image build` makes it):
//   node benchmarks/vm-native/up-first-frame.mjs [runs=5]
//
// Each run of `up` starts from no container: the sandbox is removed before the clock starts. The browser is started
// once, before any run, so its launch is not counted. The first frame is the player's first presented frame
// (`deskvmPlayer.stats.presentedFrames`), polled every 10 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { execa } from 'execa';

import { launchChromium } from '@deskvm/testing';

import { formatNumber, median, printTable } from '../stream/support/statistics.mjs';

const runs = Number(process.argv[2] ?? 5);
const cli = 'apps/cli/dist/main.js';
const dataDirectory = mkdtempSync(join(tmpdir(), 'deskvm-bench-up-'));
const env = { DESKVM_DATA_DIR: dataDirectory, DESKVM_SANDBOX: 'bench-up', NO_COLOR: '1' };

/** Opens `url` in a new page and returns the milliseconds until the player presented its first frame. */
async function firstFrameMs(browser, url, startedAt) {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => (globalThis.deskvmPlayer?.stats?.presentedFrames ?? 0) > 0, undefined, { polling: 10, timeout: 60_000 });
    return performance.now() - startedAt;
  } finally {
    await page.close();
  }
}

async function measureUp(browser) {
  await execa('node', [cli, 'down', '--timeout', '2'], { env });
  const startedAt = performance.now();
  const up = await execa('node', [cli, 'up', '--json'], { env });
  const upMs = performance.now() - startedAt;
  const ready = JSON.parse(up.stdout.trim().split('\n').at(-1));
  const totalMs = await firstFrameMs(browser, ready.viewerUrl, startedAt);
  return { upMs, totalMs };
}

async function measureServe(browser) {
  const startedAt = performance.now();
  const home = mkdtempSync(join(tmpdir(), 'deskvm-bench-home-'));
  const serve = execa('node', [cli, 'serve', '--json'], { env: { HOME: home }, buffer: false, reject: false });
  try {
    const line = await new Promise((resolve, reject) => {
      let text = '';
      serve.stdout.on('data', (chunk) => {
        text += chunk.toString('utf8');
        if (text.includes('\n')) {
          resolve(text.split('\n')[0]);
        }
      });
      serve.then(() => reject(new Error('deskvm serve exited before it was ready')));
    });
    const upMs = performance.now() - startedAt;
    const totalMs = await firstFrameMs(browser, JSON.parse(line).viewerUrl, startedAt);
    return { upMs, totalMs };
  } finally {
    serve.kill('SIGINT');
    await serve;
    rmSync(home, { recursive: true, force: true });
  }
}

const browser = await launchChromium();
const results = { up: [], serve: [] };
try {
  for (let run = 1; run <= runs; run += 1) {
    const up = await measureUp(browser);
    const serve = await measureServe(browser);
    results.up.push(up);
    results.serve.push(serve);
    console.log(
      `run ${run}: deskvm up ${formatNumber(up.upMs / 1000, 2)} s, first frame ${formatNumber(up.totalMs / 1000, 2)} s; ` +
        `deskvm serve ready ${formatNumber(serve.upMs / 1000, 2)} s, first frame ${formatNumber(serve.totalMs / 1000, 2)} s`,
    );
  }
} finally {
  await browser.close();
  await execa('node', [cli, 'down', '--timeout', '2'], { env, reject: false });
  rmSync(dataDirectory, { recursive: true, force: true });
}

const row = (name, samples) => [
  name,
  formatNumber(median(samples.map((s) => s.upMs)) / 1000, 2),
  formatNumber(median(samples.map((s) => s.totalMs)) / 1000, 2),
  formatNumber(Math.max(...samples.map((s) => s.totalMs)) / 1000, 2),
];
console.log(`\nmedian of ${runs} runs (target: first frame within 10 s of deskvm up, image cached)`);
printTable([
  ['command', 'command ready (s)', 'first frame (s)', 'slowest first frame (s)'],
  row('deskvm up (container)', results.up),
  row('deskvm serve (host, no sandbox)', results.serve),
]);
