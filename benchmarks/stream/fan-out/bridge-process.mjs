// The bridge side of the fan-out benchmark, started by fan-out.mjs through child_process.fork. It runs startBridge
// with a frame source that replays recorded x264 access units in a loop at a fixed frame rate, so the encoder's CPU
// is not part of the bridge's figures. Each access unit carries the wall-clock time at which the source hands it to
// the bridge, in an SEI message (see send-time-sei.mjs), so a viewer on the same machine can compute the delivery
// delay from it.
//
// Argument: the Annex-B file and the frame rate. Messages from the parent: `sample` (returns CPU time and memory) and
// `stop` (closes the bridge and exits). Messages to the parent: `ready` with the stream URL and the token, `sample`.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { generateToken, startBridge } from '@deskvm/desktop-bridge';
import { toAnnexB } from '@deskvm/stream-protocol';

import { toAccessUnits } from '../support/encode-stream.mjs';
import { wallClockUs } from '../support/statistics.mjs';
import { withSendTime } from './send-time-sei.mjs';

const [streamPath, frameRateArgument] = process.argv.slice(2);
const frameRate = Number(frameRateArgument);
const accessUnits = toAccessUnits(readFileSync(streamPath));
let sentFrames = 0;

/** Creates a frame source that replays `accessUnits` at `frameRate` on an absolute schedule, so timer jitter does not add up. */
function replaySource() {
  const controller = new AbortController();

  async function* frames() {
    const intervalMs = 1000 / frameRate;
    const startMs = performance.now();
    for (let index = 0; !controller.signal.aborted; index += 1) {
      const accessUnit = accessUnits[index % accessUnits.length];
      const sendTimeUs = wallClockUs();
      const nalUnits = withSendTime(accessUnit.nalUnits, sendTimeUs);
      yield { data: toAnnexB(nalUnits), nalUnits, keyframe: accessUnit.keyframe, timestampUs: BigInt(Math.round(sendTimeUs)) };
      sentFrames += 1;

      const delayMs = startMs + (index + 1) * intervalMs - performance.now();
      await sleep(Math.max(0, delayMs), undefined, { signal: controller.signal }).catch(() => undefined);
    }
  }

  return { frames, stop: async () => controller.abort() };
}

const token = generateToken();
const bridge = await startBridge({
  token,
  source: replaySource,
  frameRate: { numerator: frameRate, denominator: 1 },
  // The pipeline keeps running between the runs of viewers, so each run starts on a warm bridge.
  idleStopMs: 600_000,
});

// The highest RSS and heap since the last sample, read every 100 ms, because a single reading misses short peaks.
let maxRssBytes = 0;
let maxHeapUsedBytes = 0;
const memoryTimer = setInterval(() => {
  const memory = process.memoryUsage();
  maxRssBytes = Math.max(maxRssBytes, memory.rss);
  maxHeapUsedBytes = Math.max(maxHeapUsedBytes, memory.heapUsed);
}, 100);

process.on('message', async (message) => {
  if (message.type === 'sample') {
    const memory = process.memoryUsage();
    process.send({
      type: 'sample',
      cpu: process.cpuUsage(),
      wallMs: performance.now(),
      sentFrames,
      maxRssBytes: Math.max(maxRssBytes, memory.rss),
      maxHeapUsedBytes: Math.max(maxHeapUsedBytes, memory.heapUsed),
    });
    maxRssBytes = 0;
    maxHeapUsedBytes = 0;
  } else if (message.type === 'stop') {
    clearInterval(memoryTimer);
    await bridge.close();
    process.disconnect();
  }
});

// The parent ends this process with `stop`. If the parent dies first, the IPC channel closes, and nothing else would.
process.once('disconnect', () => {
  clearInterval(memoryTimer);
  void bridge.close().finally(() => process.exit(0));
});

process.send({ type: 'ready', streamUrl: bridge.streamUrl, token, accessUnits: accessUnits.length });
