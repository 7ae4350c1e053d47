// Glass-to-glass latency: from the moment a frame is drawn in Node to the moment Chromium puts it on screen, through
// x264, the desktop bridge, WebSocket on 127.0.0.1 and the player's MSE or WebCodecs path. Run from the repository
// root after `npm run build`:
//   node benchmarks/stream/glass-to-glass.mjs [measureSeconds=10]
//
// The source (glass-to-glass/barcode-source.mjs) writes the capture time into each frame as a barcode. The page
// (glass-to-glass/page.mjs) plays it with the player core that <deskvm-player> wraps, reads the barcode back from each
// frame it presents, and compares it with its own clock. Both read the same system clock. The same run records the
// encode time of every frame, from capture to the arrival of its access unit, which the targets are stated against.
import { launchChromium } from '@deskvm/testing';
import { generateToken, startBridge } from '@deskvm/desktop-bridge';

import { barcodeSource } from './glass-to-glass/barcode-source.mjs';
import { servePageFiles } from './glass-to-glass/page-files.mjs';
import { formatNumber, percentile, printTable, wallClockUs } from './support/statistics.mjs';

const measureMs = Number(process.argv[2] ?? 10) * 1000;
const WARM_UP_MS = 3000;
const CONFIGURATIONS = [
  { width: 1280, height: 720, frameRate: 30, bitrateKbps: 4000 },
  { width: 1920, height: 1080, frameRate: 60, bitrateKbps: 8000 },
];
const PATHS = ['mse', 'webcodecs'];

/**
 * Returns Date.now() minus wallClockUs() in µs, read when Date.now() steps to a new millisecond. A preemption between
 * the two reads can only make a sample too small, so the largest of 25 samples is the estimate.
 */
function wallClockOffsetUs() {
  let offsetUs = -Infinity;
  for (let sample = 0; sample < 25; sample += 1) {
    const start = Date.now();
    let now = start;
    while (now === start) {
      now = Date.now();
    }
    offsetUs = Math.max(offsetUs, now * 1000 - wallClockUs());
  }
  return offsetUs;
}

const offsetUs = wallClockOffsetUs();
const clockUs = () => wallClockUs() + offsetUs;

/** Plays one configuration on one decode path in a new page and returns the figures of the measured interval. */
async function measurePath(browser, bridge, token, source, path) {
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${bridge.port}/`);
    await page.waitForFunction(() => 'glassToGlass' in globalThis);
    const result = await page.evaluate(
      (options) => globalThis.glassToGlass.measure(options),
      { path, url: bridge.streamUrl, token, warmUpMs: WARM_UP_MS, durationMs: measureMs },
    );
    if (result.errors.length > 0) {
      console.log(`  ${path}: the player reported ${result.errors.join('; ')}`);
    }

    const latenciesMs = result.samples.map((sample) => sample.displayedMs - sample.captureUs / 1000);
    // A frame cannot reach the screen before its access unit left the encoder: if it seems to, the clocks disagree.
    const encodeByCapture = new Map(source.encodeTimes.map((entry) => [Math.round(entry.captureUs), entry.encodeMs]));
    const impossible = result.samples.filter((sample) => sample.displayedMs - sample.captureUs / 1000 < (encodeByCapture.get(sample.captureUs) ?? 0));
    if (impossible.length > 0) {
      console.log(`  ${path}: ${impossible.length} frames were shown before their encode time had passed; the page and Node clocks disagree.`);
    }
    const first = Math.min(...result.samples.map((sample) => sample.captureUs));
    const last = Math.max(...result.samples.map((sample) => sample.captureUs));
    const encodeMs = source.encodeTimes.filter((entry) => entry.captureUs >= first && entry.captureUs <= last).map((entry) => entry.encodeMs);
    return {
      latenciesMs,
      encodeMs,
      backlogMs: percentile(result.backlogs, 50) * 1000,
      estimateMs: percentile(result.estimatesMs, 50),
      framesRead: result.samples.length,
      unreadable: result.unreadable,
      counters: result.counters,
    };
  } finally {
    await page.close();
  }
}

const browser = await launchChromium();
const rows = [];
const checks = [];
try {
  for (const configuration of CONFIGURATIONS) {
    const { width, height, frameRate } = configuration;
    const label = `${width}x${height} ${frameRate} fps`;
    const frameIntervalMs = 1000 / frameRate;
    const source = barcodeSource({ ...configuration, clockUs });
    const token = generateToken();
    const bridge = await startBridge({
      token,
      source: source.factory,
      frameRate: { numerator: frameRate, denominator: 1 },
      handleRequest: servePageFiles,
    });

    const p50ByPath = {};
    let encodeP50Ms;
    try {
      for (const path of PATHS) {
        const result = await measurePath(browser, bridge, token, source, path);
        const p50 = percentile(result.latenciesMs, 50);
        p50ByPath[path] = p50;
        encodeP50Ms = percentile(result.encodeMs, 50);
        rows.push([
          label,
          path,
          `${result.framesRead} of ${Math.round((measureMs / 1000) * frameRate)}`,
          String(result.unreadable),
          formatNumber(p50, 1),
          formatNumber(percentile(result.latenciesMs, 95), 1),
          formatNumber(encodeP50Ms, 1),
          formatNumber(percentile(result.encodeMs, 95), 1),
          formatNumber(frameIntervalMs, 1),
          formatNumber(result.backlogMs, 0),
          formatNumber(result.estimateMs, 1),
          `${result.counters.presented} / ${result.counters.dropped}`,
        ]);
        console.log(`  measured ${label} through ${path}`);
      }
    } finally {
      await bridge.close();
    }
    console.log(`  ${label}: ${source.skippedFrames()} frames skipped at the source because the pipe to the encoder was busy`);

    checks.push(
      `${label}: WebCodecs p50 ${formatNumber(p50ByPath.webcodecs, 1)} ms against encode p50 + one frame ` +
        `${formatNumber(encodeP50Ms + frameIntervalMs, 1)} ms (${p50ByPath.webcodecs <= encodeP50Ms + frameIntervalMs ? 'met' : 'missed'}); ` +
        `MSE p50 ${formatNumber(p50ByPath.mse, 1)} ms against WebCodecs p50 + one frame ` +
        `${formatNumber(p50ByPath.webcodecs + frameIntervalMs, 1)} ms (${p50ByPath.mse <= p50ByPath.webcodecs + frameIntervalMs ? 'met' : 'missed'})`,
    );
  }
} finally {
  await browser.close();
}

console.log(`\n${formatNumber(WARM_UP_MS / 1000, 0)} s warm-up and ${measureMs / 1000} s measured per row, x264 ultrafast zerolatency, Node ${process.version}\n`);
printTable([
  ['stream', 'path', 'frames read', 'unreadable', 'glass-to-glass p50 (ms)', 'p95 (ms)', 'encode p50 (ms)', 'encode p95 (ms)', 'frame interval (ms)', 'MSE buffered ahead p50 (ms)', "player's own estimate p50 (ms)", 'player presented / dropped'],
  ...rows,
]);
console.log('\nTargets (1280x720 30 fps; the 1080p60 line is for reference): WebCodecs p50 <= encode time + one frame interval; MSE p50 within one more frame interval.');
for (const check of checks) {
  console.log(`  ${check}`);
}
