// Browser side of the glass-to-glass benchmark. It plays the stream with DeskvmPlayer, the player core of
// @deskvm/stream-client that <deskvm-player> wraps, on a forced decode path, and reads the capture time from the
// barcode of each frame as it reaches the screen. MSE reads it in requestVideoFrameCallback, and WebCodecs in the
// player's `frame` event, right after the player drew the frame on its canvas. Both take performance.now() when the
// handler runs, in the rendering step that composites the frame, and turn it into wall-clock time with an offset
// measured against Date.now(). The `now` of requestVideoFrameCallback and the `presentedAtMs` of the player are the
// start time of that rendering step, which can be earlier than the decode under load, so neither is used.
import { DeskvmPlayer } from '@deskvm/stream-client';

import { BARCODE_HEIGHT, readBarcode } from './barcode.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Returns Date.now() minus (performance.timeOrigin + performance.now()) in ms. It reads both clocks at the moment
 * Date.now() steps to a new millisecond, so the error is the polling step, not up to 1 ms. A preemption between the
 * two reads can only make a sample too small, so the largest of 25 samples is the estimate.
 */
function wallClockOffsetMs() {
  let offsetMs = -Infinity;
  for (let sample = 0; sample < 25; sample += 1) {
    const start = Date.now();
    let now = start;
    while (now === start) {
      now = Date.now();
    }
    offsetMs = Math.max(offsetMs, now - (performance.timeOrigin + performance.now()));
  }
  return offsetMs;
}

/** Reads the barcode band of `source` (a video or canvas element) through a small canvas of its own. */
function createBarcodeReader() {
  const canvas = document.createElement('canvas');
  canvas.height = BARCODE_HEIGHT;
  const context = canvas.getContext('2d', { willReadFrequently: true });

  return (source, width, nowUs) => {
    if (canvas.width !== width) {
      canvas.width = width;
    }
    context.drawImage(source, 0, 0, width, BARCODE_HEIGHT, 0, 0, width, BARCODE_HEIGHT);
    return readBarcode(context.getImageData(0, 0, width, BARCODE_HEIGHT).data, width, nowUs);
  };
}

/**
 * Plays the stream for `warmUpMs` plus `durationMs` on the decode path `path` ('mse' or 'webcodecs') and returns the
 * capture and display times of each distinct frame read during the last `durationMs`.
 */
async function measure({ path, url, token, warmUpMs, durationMs }) {
  const offsetMs = wallClockOffsetMs();
  const toWallMs = (performanceMs) => performance.timeOrigin + performanceMs + offsetMs;
  const readBarcodeOf = createBarcodeReader();
  const samples = [];
  const backlogs = [];
  const seen = new Set();
  let measuring = false;
  let unreadable = 0;

  // `backlog` is what waits behind the frame on screen, in seconds of buffered media (MSE only). A steady backlog is
  // latency that the player could remove.
  const record = (source, width, backlog) => {
    if (!measuring) {
      return;
    }
    if (backlog !== undefined) {
      backlogs.push(backlog);
    }
    const displayedMs = toWallMs(performance.now());
    const captureUs = readBarcodeOf(source, width, displayedMs * 1000);
    if (captureUs === undefined) {
      unreadable += 1;
    } else if (!seen.has(captureUs)) {
      seen.add(captureUs);
      samples.push({ captureUs, displayedMs });
    }
  };

  const video = Object.assign(document.createElement('video'), { muted: true, autoplay: true, playsInline: true });
  const canvas = document.createElement('canvas');
  document.body.append(video, canvas);
  const player = new DeskvmPlayer({ url, token, surfaces: { video, canvas }, decodePath: path, reconnect: false });

  if (path === 'mse') {
    const onVideoFrame = () => {
      const buffered = video.buffered.length > 0 ? video.buffered.end(video.buffered.length - 1) : video.currentTime;
      record(video, video.videoWidth, buffered - video.currentTime);
      video.requestVideoFrameCallback(onVideoFrame);
    };
    video.requestVideoFrameCallback(onVideoFrame);
  } else {
    player.addEventListener('frame', () => record(canvas, canvas.width, undefined));
  }

  // The player's own latency estimate, from the server's timestamps and its ping/pong clock offset, for comparison.
  const estimatesMs = [];
  const errors = [];
  player.addEventListener('stats', (event) => {
    if (measuring && event.detail.latencyMs !== undefined) {
      estimatesMs.push(event.detail.latencyMs);
    }
  });
  player.addEventListener('error', (event) => errors.push(`${event.detail.code}: ${event.detail.message}`));
  player.start();

  await sleep(warmUpMs);
  const before = player.takeStats();
  measuring = true;
  await sleep(durationMs);
  measuring = false;
  const after = player.takeStats();

  player.stop();
  video.remove();
  canvas.remove();

  const counters = { presented: after.presentedFrames - before.presentedFrames, dropped: after.droppedFrames - before.droppedFrames };
  return { samples, backlogs, estimatesMs, unreadable, errors, counters };
}

globalThis.glassToGlass = { measure };
