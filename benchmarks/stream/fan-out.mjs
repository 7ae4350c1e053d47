// Fan-out: one 1920x1080 60 fps stream from the desktop bridge to 1, 10 and 50 WebSocket viewers on 127.0.0.1, each
// with and without one more viewer that stops reading. Run from the repository root after `npm run build`:
//   node benchmarks/stream/fan-out.mjs [measureSeconds=4]
//
// It encodes 4 s of 1080p60 with x264 once, then the bridge runs in its own process (fan-out/bridge-process.mjs) and
// replays those access units at 60 fps, so encoding costs the bridge nothing. The viewers run in a third process
// (fan-out/viewers-process.mjs). For each run it prints the bridge process's CPU time (process.cpuUsage) as a share
// of one core, and its highest RSS and V8 heap. It also prints the delivery delay of the viewers that keep reading.
// That delay runs from the source handing a frame to the bridge to a viewer receiving it, on the same wall clock.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { encodeTestStream } from './support/encode-stream.mjs';
import { formatNumber, median, printTable } from './support/statistics.mjs';

const measureMs = Number(process.argv[2] ?? 4) * 1000;
const WARM_UP_MS = 1500;
/** How long a run waits for the bridge to start skipping frames for the stalled viewer before it gives up. */
const STALL_TIMEOUT_MS = 20_000;
const FRAME_RATE = 60;
const BITRATE_KBPS = 8000;
const VIEWER_COUNTS = [1, 10, 50];
const children = new Set();

/** Starts a benchmark child process with an IPC channel. Its output goes to this process's output. */
function startChild(script, args = []) {
  const child = fork(new URL(script, import.meta.url), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resolves with the next message of `type` from `child`, and rejects when the child exits first. */
function nextMessage(child, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message.type === type) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      }
    };
    const onExit = (code, signal) => {
      child.off('message', onMessage);
      reject(new Error(`The benchmark process ${child.spawnargs.at(-1)} exited with ${signal ?? code} before it sent "${type}".`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Returns how many frames the bridge skipped for its most congested viewer, from `GET /health` (which needs no
 * token), or undefined when the health output has no per-viewer counters. A stalled viewer must show skipped frames,
 * or it did not stall.
 */
async function maxSkippedFrames(streamUrl) {
  const healthUrl = new URL('/health', streamUrl.replace(/^ws/, 'http'));
  const response = await fetch(healthUrl);
  const health = await response.json();
  const skipped = (health.viewers ?? []).map((viewer) => viewer.droppedFrames).filter(Number.isFinite);

  return skipped.length === 0 ? undefined : Math.max(...skipped);
}

/**
 * Waits until the bridge skips frames for the stalled viewer, because its socket buffers take seconds to fill. Only
 * then do the other viewers share the bridge with a viewer that is being skipped, which is the case to measure.
 */
async function waitForSkippedFrames(streamUrl) {
  const deadline = Date.now() + STALL_TIMEOUT_MS;
  while (((await maxSkippedFrames(streamUrl)) ?? 0) === 0) {
    if (Date.now() > deadline) {
      throw new Error(`The bridge skipped no frame for the stalled viewer within ${STALL_TIMEOUT_MS} ms: the viewer did not stall.`);
    }
    await sleep(200);
  }
}

async function sampleBridge(bridge) {
  const sample = nextMessage(bridge, 'sample');
  bridge.send({ type: 'sample' });
  return sample;
}

/** Runs one set of viewers against the bridge and returns the table row. */
async function measureRun(bridge, ready, viewers, stalledViewer) {
  const viewerProcess = startChild('./fan-out/viewers-process.mjs');
  const connected = nextMessage(viewerProcess, 'connected');
  viewerProcess.send({ type: 'connect', streamUrl: ready.streamUrl, token: ready.token, viewers, stalledViewer });
  await connected;
  await sleep(WARM_UP_MS);
  if (stalledViewer) {
    await waitForSkippedFrames(ready.streamUrl);
  }

  const skippedBefore = await maxSkippedFrames(ready.streamUrl);
  const before = await sampleBridge(bridge);
  viewerProcess.send({ type: 'start' });
  await sleep(measureMs);
  const skippedAfter = await maxSkippedFrames(ready.streamUrl);
  const result = nextMessage(viewerProcess, 'result');
  viewerProcess.send({ type: 'stop' });
  const after = await sampleBridge(bridge);
  const delays = await result;
  await new Promise((resolve) => (viewerProcess.exitCode === null ? viewerProcess.once('exit', resolve) : resolve()));

  const cpuMs = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000;
  const cpuShare = (100 * cpuMs) / (after.wallMs - before.wallMs);
  return {
    viewers,
    stalledViewer,
    p95Ms: delays.p95Ms,
    cpuShare,
    cells: [
      String(viewers),
      stalledViewer ? 'yes' : 'no',
      `${formatNumber(cpuShare, 1)}%`,
      formatNumber(after.maxRssBytes / 2 ** 20, 0),
      formatNumber(after.maxHeapUsedBytes / 2 ** 20, 0),
      formatNumber(delays.p50Ms, 2),
      formatNumber(delays.p95Ms, 2),
      formatNumber(delays.p99Ms, 2),
      formatNumber(delays.maxMs, 1),
      `${delays.minFramesPerViewer}-${delays.maxFramesPerViewer} of ${after.sentFrames - before.sentFrames}`,
      skippedAfter === undefined ? '-' : String(skippedAfter - skippedBefore),
    ],
  };
}

const directory = await mkdtemp(join(tmpdir(), 'deskvm-fan-out-'));
process.once('SIGINT', () => {
  for (const child of children) {
    child.kill('SIGKILL');
  }
  rmSync(directory, { recursive: true, force: true });
  process.exit(130);
});

try {
  console.log(`Encoding 240 frames of 1920x1080 at ${FRAME_RATE} fps with x264 (videotestsrc snow, ${BITRATE_KBPS} kbit/s)...`);
  const accessUnits = await encodeTestStream({ width: 1920, height: 1080, frameRate: FRAME_RATE, frames: 240, bitrateKbps: BITRATE_KBPS });
  const streamPath = join(directory, 'stream.h264');
  await writeFile(streamPath, Buffer.concat(accessUnits.map((accessUnit) => accessUnit.data)));
  const averageBytes = accessUnits.reduce((total, accessUnit) => total + accessUnit.data.length, 0) / accessUnits.length;

  const bridge = startChild('./fan-out/bridge-process.mjs', [streamPath, String(FRAME_RATE)]);
  const ready = await nextMessage(bridge, 'ready');
  const runs = [];
  try {
    for (const viewers of VIEWER_COUNTS) {
      // Four runs each, in the balanced order A B B A B A A B, so that a load change on a shared machine hits both
      // cases alike. The comparison takes the median p95 of each case, so one disturbed run does not decide it.
      for (const stalledViewer of [false, true, true, false, true, false, false, true]) {
        runs.push(await measureRun(bridge, ready, viewers, stalledViewer));
        console.log(`  measured ${viewers} viewers${stalledViewer ? ' and a stalled one' : ''}`);
      }
    }
  } finally {
    bridge.send({ type: 'stop' });
    await new Promise((resolve) => (bridge.exitCode === null ? bridge.once('exit', resolve) : resolve()));
  }

  console.log(
    `\n${accessUnits.length} access units of ${formatNumber(averageBytes / 1024, 1)} KiB on average, replayed at ${FRAME_RATE} fps; ` +
      `${WARM_UP_MS / 1000} s warm-up and ${measureMs / 1000} s measured per run, Node ${process.version}\n`,
  );
  printTable([
    ['viewers', '+1 stalled', 'bridge CPU (one core = 100%)', 'max RSS (MiB)', 'max heap (MiB)', 'delay p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'max (ms)', 'frames per viewer', 'frames skipped for one viewer'],
    ...runs.map((run) => run.cells),
  ]);

  console.log('\nTargets: 50 viewers on at most one core; a stalled viewer changes the p95 of the others by less than 5 ms.');
  for (const viewers of VIEWER_COUNTS) {
    const medianP95 = (stalled) => median(runs.filter((run) => run.viewers === viewers && run.stalledViewer === stalled).map((run) => run.p95Ms));
    const change = medianP95(true) - medianP95(false);
    console.log(`  ${viewers} viewers: median p95 change with a stalled viewer ${formatNumber(change, 2)} ms (${Math.abs(change) < 5 ? 'met' : 'missed'})`);
  }
  const fifty = runs.filter((run) => run.viewers === 50);
  const maxShare = Math.max(...fifty.map((run) => run.cpuShare));
  console.log(`  50 viewers: bridge CPU up to ${formatNumber(maxShare, 1)}% of one core (${maxShare <= 100 ? 'met' : 'missed'})`);
} finally {
  for (const child of children) {
    child.kill('SIGKILL');
  }
  await rm(directory, { recursive: true, force: true });
}
