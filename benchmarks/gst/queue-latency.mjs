// Measures how the queue in front of the encoder affects latency when the encoder is slower than real time.
// Run from the repository root after `npm run build`:
//   node benchmarks/gst/queue-latency.mjs [seconds=10] [speedPreset=veryslow] [pattern=snow] [width=1280] [height=720]
// The defaults make x264 slower than real time on a small machine: random noise (snow) is the hardest content.
// For each queue variant it starts videotestsrc (live, 30 fps) -> x264enc -> gdppay, reads the GDP stream for the
// given time, and prints the delivered frame rate and the lag: how far the arrival time of the last access unit is
// behind its PTS, both measured from the first access unit. A lag that grows with the run time is a backlog.
import { execa } from 'execa';
import { GdpParser, renderArgv } from '@deskvm/gst-pipeline';

const [seconds = '10', speedPreset = 'veryslow', pattern = 'snow', width = '1280', height = '720'] = process.argv.slice(2);

const QUEUE_VARIANTS = {
  'leaky queue, 1 buffer (renderArgv)': null,
  'default queue (200 buffers, not leaky)': ['queue'],
  'no queue': [],
};

/** Returns renderArgv's arguments with the queue stage replaced by `queueStage` (null keeps it). */
function variantArgv(queueStage) {
  const argv = renderArgv({
    source: { kind: 'videotestsrc', pattern },
    encoder: { kind: 'x264enc', speedPreset },
    width: Number(width),
    height: Number(height),
    frameRate: 30,
  });

  if (queueStage === null) {
    return argv;
  }

  const start = argv.indexOf('queue');
  const end = argv.indexOf('!', start);

  return [...argv.slice(0, start), ...queueStage, ...argv.slice(queueStage.length === 0 ? end + 1 : end)];
}

async function measure(argv) {
  const subprocess = execa('gst-launch-1.0', argv, { buffer: false, reject: false, killSignal: 'SIGKILL' });
  const parser = new GdpParser();
  const frames = [];

  subprocess.stdout.on('data', (chunk) => {
    const receivedAtUs = process.hrtime.bigint() / 1000n;

    for (const packet of parser.push(chunk)) {
      if (packet.type === 'buffer') {
        frames.push({ ptsUs: packet.ptsNs / 1000n, receivedAtUs });
      }
    }
  });

  await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
  subprocess.kill();
  await subprocess;

  const first = frames[0];
  const last = frames.at(-1);
  const elapsedUs = Number(last.receivedAtUs - first.receivedAtUs);
  const lagMs = (Number(last.receivedAtUs - first.receivedAtUs) - Number(last.ptsUs - first.ptsUs)) / 1000;
  const skippedFrames = Math.round(Number(last.ptsUs - first.ptsUs) / 33_333) + 1 - frames.length;

  return { frames: frames.length, fps: ((frames.length - 1) * 1e6) / elapsedUs, lagMs, skippedFrames };
}

for (const [name, queueStage] of Object.entries(QUEUE_VARIANTS)) {
  const result = await measure(variantArgv(queueStage));

  console.log(
    `${name}: ${result.frames} access units, ${result.fps.toFixed(1)} fps delivered, ` +
      `${result.skippedFrames} frames skipped, lag of the last access unit ${result.lagMs.toFixed(0)} ms`,
  );
}
