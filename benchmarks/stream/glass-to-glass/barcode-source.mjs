// A frame source for the desktop bridge whose pictures carry their capture time. Node draws raw I420 frames (a
// scrolling noise texture under a barcode of the wall-clock time) and writes them at the frame rate into
// `gst-launch-1.0 fdsrc ! rawvideoparse ! queue ! x264enc ! h264parse ! gdppay ! fdsink`, with the x264 settings and
// the one-frame leaky queue that @deskvm/gst-pipeline renders for the bridge. The source records the encode time of
// every frame: from the capture time to the arrival of its access unit in Node.
import { spawn } from 'node:child_process';

import { GdpParser } from '@deskvm/gst-pipeline';
import { NalUnitType, nalUnitType, splitNalUnits } from '@deskvm/stream-protocol';

import { BARCODE_HEIGHT, writeBarcode } from './barcode.mjs';

/** Frame buffers that Node reuses in turn. A frame is skipped while the previous one is still being written. */
const FRAME_BUFFERS = 3;
/** Rows the texture scrolls per frame. */
const SCROLL_ROWS = 4;

/**
 * Creates the source factory and the encode-time log of one configuration.
 *
 * @param {{ width: number, height: number, frameRate: number, bitrateKbps: number, clockUs: () => number }} options
 *   `clockUs` returns the wall-clock time in microseconds that the barcode carries
 * @returns {{ factory: () => import('@deskvm/desktop-bridge').FrameSource, encodeTimes: { captureUs: number, encodeMs: number }[], skippedFrames: () => number }}
 */
export function barcodeSource(options) {
  const encodeTimes = [];
  let skippedFrames = 0;

  const factory = () => {
    const { width, height, frameRate, clockUs } = options;
    const frameBytes = (width * height * 3) / 2;
    const texture = noiseTexture(width, height);
    const buffers = Array.from({ length: FRAME_BUFFERS }, () => Buffer.alloc(frameBytes, 128));
    const captureUsByIndex = new Map();
    const queue = [];
    let wake;
    let ended = false;
    let failure;

    const gst = spawn('gst-launch-1.0', pipelineArgv(options, frameBytes), { stdio: ['pipe', 'pipe', 'pipe'] });
    const parser = new GdpParser();
    // rawvideoparse stamps frame n with PTS n / frameRate, and the encoder shifts every PTS so that the first frame it
    // encodes gets a fixed value (1000 hours with GStreamer 1.22 here). So the first access unit's PTS marks frame 0,
    // provided that frame 0 is the first frame encoded. The writer below therefore sends no second frame before the
    // first access unit is out, because the leaky queue could drop frame 0 while x264 starts up.
    let firstPtsNs;
    let stderr = '';
    gst.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
    gst.stdin.on('error', () => undefined); // EPIPE after stop: the exit handler reports failures.
    gst.stdout.on('data', (chunk) => {
      const arrivedUs = clockUs();
      for (const packet of parser.push(chunk)) {
        if (packet.type !== 'buffer' || packet.ptsNs === undefined) {
          continue;
        }
        firstPtsNs ??= packet.ptsNs;
        const index = Math.round((Number(packet.ptsNs - firstPtsNs) * frameRate) / 1e9);
        const captureUs = captureUsByIndex.get(index);
        for (const written of captureUsByIndex.keys()) {
          // Frames up to this one are encoded or were dropped by the leaky queue.
          if (written > index) {
            break;
          }
          captureUsByIndex.delete(written);
        }
        if (captureUs !== undefined) {
          const encodeMs = (arrivedUs - captureUs) / 1000;
          encodeTimes.push({ captureUs, encodeMs });
          queue.push({ data: packet.payload, captureUs, encodeMs });
        }
      }
      wake?.();
    });
    gst.once('exit', (code, signal) => {
      ended = true;
      if (code !== 0 && signal === null) {
        failure = new Error(`gst-launch-1.0 exited with ${code}: ${stderr.trim()}`);
      }
      wake?.();
    });

    // Writes frames on an absolute schedule. A frame whose turn comes while the pipe is still busy is skipped, as a
    // capture source drops frames the encoder cannot take.
    let written = 0;
    const startMs = performance.now();
    let timer;
    const writeFrame = (tick) => {
      if (ended) {
        return;
      }
      if (written === 1 && firstPtsNs === undefined) {
        // Waits for x264 to start up on frame 0; see firstPtsNs.
      } else if (gst.stdin.writableLength > 0) {
        skippedFrames += 1;
      } else {
        const frame = buffers[written % FRAME_BUFFERS];
        const scroll = ((tick * SCROLL_ROWS) % height) * width;
        texture.copy(frame, BARCODE_HEIGHT * width, scroll + BARCODE_HEIGHT * width, scroll + width * height);
        const captureUs = clockUs();
        writeBarcode(frame, width, captureUs);
        captureUsByIndex.set(written, captureUs);
        written += 1;
        gst.stdin.write(frame);
      }
      timer = setTimeout(() => writeFrame(tick + 1), Math.max(0, startMs + ((tick + 1) * 1000) / frameRate - performance.now()));
    };
    writeFrame(0);

    async function* frames() {
      while (true) {
        const next = queue.shift();
        if (next !== undefined) {
          const nalUnits = splitNalUnits(next.data);
          const keyframe = nalUnits.some((nalUnit) => nalUnitType(nalUnit) === NalUnitType.IdrSlice);
          yield {
            data: next.data,
            nalUnits,
            keyframe,
            timestampUs: BigInt(Math.round(next.captureUs)),
            encoderLatencyUs: Math.round(next.encodeMs * 1000),
          };
          continue;
        }
        if (ended) {
          if (failure !== undefined) {
            throw failure;
          }
          return;
        }
        await new Promise((resolve) => (wake = resolve));
        wake = undefined;
      }
    }

    const stop = async () => {
      clearTimeout(timer);
      if (gst.exitCode === null && gst.signalCode === null) {
        const exited = new Promise((resolve) => gst.once('exit', resolve));
        gst.kill('SIGKILL');
        await exited;
      }
    };

    return { frames, stop };
  };

  return { factory, encodeTimes, skippedFrames: () => skippedFrames };
}

function pipelineArgv({ width, height, frameRate, bitrateKbps }, frameBytes) {
  return [
    '-q',
    'fdsrc', 'fd=0', `blocksize=${frameBytes}`,
    '!', 'rawvideoparse', 'format=i420', `width=${width}`, `height=${height}`, `framerate=${frameRate}/1`,
    '!', 'queue', 'max-size-buffers=1', 'max-size-bytes=0', 'max-size-time=0', 'leaky=downstream',
    '!', 'x264enc', 'tune=zerolatency', 'speed-preset=ultrafast', 'bframes=0', 'b-adapt=false',
    `key-int-max=${2 * frameRate}`, `bitrate=${bitrateKbps}`, 'byte-stream=true',
    '!', 'h264parse', 'config-interval=-1',
    '!', 'video/x-h264,stream-format=byte-stream,alignment=au',
    '!', 'gdppay',
    '!', 'fdsink', 'fd=1', 'sync=false',
  ];
}

/** Builds a luma texture of pseudo-random grey levels, twice the frame height, so that a scrolled window is one copy. */
function noiseTexture(width, height) {
  const texture = Buffer.alloc(width * height * 2);
  for (let index = 0; index < texture.length; index += 1) {
    texture[index] = 48 + ((index * 2654435761) >>> 24) % 160;
  }
  return texture;
}
