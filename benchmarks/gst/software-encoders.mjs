// Measures the software H.264 encoders on this machine, to choose their defaults.
// Run from the repository root after `npm run build`:
//   node benchmarks/gst/software-encoders.mjs [seconds=10] [pattern=ball]
// Each case runs the package's own pipeline (videotestsrc, live, -> leaky queue -> encoder -> h264parse -> gdppay)
// through runPipeline for 2 s of warm-up and `seconds` of measurement, and prints:
//   fps       access units delivered per second (the source offers the target rate; the leaky queue drops the rest)
//   cpu %     CPU time of gst-launch-1.0 (all threads) per wall-clock time, 100 % = one core, from /proc/PID/stat
//   p50/p95   per-frame encode time of the encoder element, from GStreamer's latency tracer (runner statistic)
//   kB/s      Annex-B bytes delivered per second
// The pattern "ball" (a moving ball on a still background) is like a desktop. The pattern "snow" changes every pixel in
// every frame, which is the worst case. x264 cases at 1920x1080 30 fps compare threading and speed presets: by default
// (tune=zerolatency) x264 codes each frame in slices on several threads; "threads=1" uses one thread, and "frame
// threads" (sliced-threads=false) codes several frames in parallel, which holds frames back.
import { readFileSync } from 'node:fs';
import { runPipeline } from '@deskvm/gst-pipeline';

const [seconds = '10', pattern = 'ball'] = process.argv.slice(2);
const WARM_UP_MS = 2000;
const CLOCK_TICKS_PER_SECOND = 100;

const SIZES = [
  { width: 1280, height: 720, frameRate: 30 },
  { width: 1920, height: 1080, frameRate: 30 },
  { width: 1920, height: 1080, frameRate: 60 },
];

const cases = [
  ...SIZES.flatMap((size) => [
    { name: 'x264enc ultrafast (default threads)', encoder: { kind: 'x264enc' }, ...size },
    { name: 'openh264enc', encoder: { kind: 'openh264enc' }, ...size },
  ]),
  // The latency tracer's own cost: the same pipeline without it reports no encode times.
  { name: 'x264enc ultrafast, tracer off', encoder: { kind: 'x264enc' }, measureEncoderLatency: false, ...SIZES[1] },
  { name: 'x264enc ultrafast threads=1', encoder: { kind: 'x264enc', threads: 1 }, ...SIZES[1] },
  { name: 'x264enc ultrafast frame threads', encoder: { kind: 'x264enc', slicedThreads: false }, ...SIZES[1] },
  { name: 'x264enc superfast', encoder: { kind: 'x264enc', speedPreset: 'superfast' }, ...SIZES[1] },
  { name: 'x264enc veryfast', encoder: { kind: 'x264enc', speedPreset: 'veryfast' }, ...SIZES[1] },
];

/** Returns the CPU time of a process, user plus system, in seconds (fields 14 and 15 of /proc/PID/stat). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');

  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

async function measure(testCase) {
  const run = runPipeline({
    source: { kind: 'videotestsrc', pattern },
    encoder: testCase.encoder,
    width: testCase.width,
    height: testCase.height,
    frameRate: testCase.frameRate,
  }, { measureEncoderLatency: testCase.measureEncoderLatency ?? true });
  const iterator = run.accessUnits();
  const startedAt = Date.now();
  let window;
  let end;

  // Leaving the loop stops gst-launch-1.0, so the end of the window is read inside it.
  for await (const accessUnit of iterator) {
    const now = Date.now();

    if (window === undefined && now - startedAt >= WARM_UP_MS) {
      window = { at: now, cpu: cpuSeconds(run.pid), stats: run.stats() };
    }

    if (window !== undefined && now - window.at >= Number(seconds) * 1000) {
      end = { at: now, cpu: cpuSeconds(run.pid), stats: run.stats() };
      break;
    }

    void accessUnit;
  }

  const elapsed = (end.at - window.at) / 1000;
  const latency = end.stats.encoderLatency;

  return {
    case: testCase.name,
    size: `${testCase.width}x${testCase.height}@${testCase.frameRate}`,
    fps: ((end.stats.accessUnits - window.stats.accessUnits) / elapsed).toFixed(1),
    'cpu %': (((end.cpu - window.cpu) / elapsed) * 100).toFixed(0),
    'p50 ms': latency?.p50Ms.toFixed(2) ?? '-',
    'p95 ms': latency?.p95Ms.toFixed(2) ?? '-',
    'kB/s': ((end.stats.bytes - window.stats.bytes) / elapsed / 1000).toFixed(0),
  };
}

const rows = [];

for (const testCase of cases) {
  rows.push(await measure(testCase));
  console.log(rows.at(-1));
}

console.log(`\npattern=${pattern}, ${seconds} s per case after ${WARM_UP_MS / 1000} s warm-up; encode times cover the last 4096 frames`);
console.table(rows);
