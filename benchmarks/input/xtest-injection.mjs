// Measures input injection into an X display: the bridge's XTEST client on one long-lived connection against one
// xdotool process per event, the simple alternative. Both move the pointer, and each event counts as done when the
// X server has processed it (a round trip for XTEST, the process exit for xdotool).
//
// Run: node benchmarks/input/xtest-injection.mjs   (needs `npm run build`, Xvfb and xdotool)

import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

import { x11Desktop } from '../../packages/desktop-bridge/dist/index.js';

const run = promisify(execFile);
const XTEST_EVENTS = 5000;
const XDOTOOL_EVENTS = 200;

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function summarize(name, durationsMs, totalMs) {
  const sorted = [...durationsMs].sort((left, right) => left - right);

  return {
    method: name,
    events: durationsMs.length,
    eventsPerSecond: Math.round((durationsMs.length / totalMs) * 1000),
    p50Ms: Number(percentile(sorted, 0.5).toFixed(3)),
    p95Ms: Number(percentile(sorted, 0.95).toFixed(3)),
  };
}

async function startXvfb() {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x720x24', '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const display = await new Promise((resolve, reject) => {
    let output = '';

    xvfb.stdio[3].on('data', (chunk) => {
      output += chunk.toString('utf8');

      if (output.includes('\n')) {
        resolve(`:${output.trim()}`);
      }
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code} before it reported a display.`)));
  });

  return { xvfb, display };
}

async function measure(events, inject) {
  const durations = [];
  const start = performance.now();

  for (let index = 0; index < events; index += 1) {
    const before = performance.now();

    await inject(index);
    durations.push(performance.now() - before);
  }

  return { durations, totalMs: performance.now() - start };
}

const { xvfb, display } = await startXvfb();

try {
  const desktop = await x11Desktop({ display });
  const xtest = await measure(XTEST_EVENTS, (index) => desktop.pointerMove(index % 1280, index % 720));
  const env = { ...process.env, DISPLAY: display };
  const xdotool = await measure(XDOTOOL_EVENTS, (index) => run('xdotool', ['mousemove', String(index % 1280), String(index % 720)], { env }));

  await desktop.close();

  const results = [summarize('XTEST, one connection (x11 package)', xtest.durations, xtest.totalMs), summarize('xdotool process per event', xdotool.durations, xdotool.totalMs)];

  console.table(results);
  console.log(`XTEST is ${(results[0].eventsPerSecond / results[1].eventsPerSecond).toFixed(1)}x the events per second of xdotool.`);
} finally {
  xvfb.kill('SIGTERM');
}
