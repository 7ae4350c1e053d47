// Browser page for the MsePlayer integration test: feeds the access units of a case file to MsePlayer at the
// file's frame rate, as a ServerHello and video messages, and records what the video element shows.
import { parseSps, PROTOCOL_VERSION, splitAccessUnits, toAnnexB, codecString } from '@deskvm/stream-protocol';
import { MsePlayer } from '../../src/index.js';

/** Input of `playCase`. */
export interface PlayCaseOptions {
  name: string;
  frameRate: number;
  /** Number of access units to feed; default all. */
  limit?: number;
  /** Time to wait after the last access unit, in ms. */
  settleMs: number;
}

/** What the page saw. */
export interface PlayCaseResult {
  accessUnitsFed: number;
  totalVideoFrames: number;
  droppedVideoFrames: number;
  /** Distinct `videoWidth`x`videoHeight` values at presented frames, in order. */
  sizes: string[];
  /** Media time of each presented frame, in seconds. */
  mediaTimes: number[];
  /** Milliseconds from appending each access unit to the presentation of its frame (matched by media time). */
  presentationDelaysMs: number[];
  errors: { code: string; message: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function playCase(options: PlayCaseOptions): Promise<PlayCaseResult> {
  const response = await fetch(`/cases/${options.name}`);
  const accessUnits = splitAccessUnits(new Uint8Array(await response.arrayBuffer()));
  const limit = Math.min(options.limit ?? accessUnits.length, accessUnits.length);

  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  document.body.append(video);

  const player = new MsePlayer(video);
  const errors: PlayCaseResult['errors'] = [];
  player.addEventListener('error', (event) => errors.push({ code: event.detail.code, message: event.detail.message }));

  const sizes: string[] = [];
  const mediaTimes: number[] = [];
  const presentedAt = new Map<number, number>();
  const onFrame = (now: DOMHighResTimeStamp, metadata: VideoFrameCallbackMetadata) => {
    const size = `${video.videoWidth}x${video.videoHeight}`;
    if (sizes.at(-1) !== size) {
      sizes.push(size);
    }
    mediaTimes.push(metadata.mediaTime);
    presentedAt.set(Math.round(metadata.mediaTime * options.frameRate), metadata.presentationTime);
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);

  const firstSps = accessUnits[0]!.nalUnits.find((nalUnit) => (nalUnit[0]! & 0x1f) === 7)!;
  const sps = parseSps(firstSps);
  player.handleMessage({
    type: 'server-hello',
    version: PROTOCOL_VERSION,
    codec: codecString(sps),
    width: sps.width,
    height: sps.height,
    frameRateNumerator: options.frameRate,
    frameRateDenominator: 1,
  });

  const appendedAt: number[] = [];
  const startedAt = performance.now();
  for (let index = 0; index < limit; index += 1) {
    const accessUnit = accessUnits[index]!;
    appendedAt.push(performance.now());
    player.handleMessage({
      type: 'video',
      keyframe: accessUnit.keyframe,
      timestampUs: BigInt(Math.round((index * 1_000_000) / options.frameRate)),
      data: toAnnexB(accessUnit.nalUnits),
    });

    // Pace by the schedule, not by the previous sleep, so the feed keeps the frame rate on average.
    const nextAt = startedAt + ((index + 1) * 1000) / options.frameRate;
    await sleep(Math.max(0, nextAt - performance.now()));
  }

  await sleep(options.settleMs);

  const quality = video.getVideoPlaybackQuality();
  const presentationDelaysMs = appendedAt.flatMap((time, index) => {
    const presentedTime = presentedAt.get(index);
    return presentedTime === undefined ? [] : [Math.round(presentedTime - time)];
  });

  player.destroy();
  video.remove();

  return {
    accessUnitsFed: limit,
    totalVideoFrames: quality.totalVideoFrames,
    droppedVideoFrames: quality.droppedVideoFrames,
    sizes,
    mediaTimes,
    presentationDelaysMs,
    errors,
  };
}

(globalThis as unknown as { deskvmTest: unknown }).deskvmTest = { playCase };
