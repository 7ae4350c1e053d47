// Browser page for the decode path integration tests: feeds the access units of a case file to MsePlayer or
// WebCodecsPlayer at the file's frame rate, as a ServerHello and video messages, and records what reaches the screen.
import { parseSps, PROTOCOL_VERSION, splitAccessUnits, toAnnexB, codecString } from '@deskvm/stream-protocol';
import { MsePlayer, WebCodecsPlayer, type DecodePath, type VideoSink } from '../../src/index.js';

/** Input of `playCase`. */
export interface PlayCaseOptions {
  path: DecodePath;
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
  /** Stream timestamp of each presented frame, in seconds. */
  mediaTimes: number[];
  /** Milliseconds from handing each access unit to the player to the presentation of its frame. */
  presentationDelaysMs: number[];
  /** Codec strings of the `configurationchange` events, in order. */
  codecs: string[];
  errors: { code: string; message: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function playCase(options: PlayCaseOptions): Promise<PlayCaseResult> {
  const response = await fetch(`/cases/${options.name}`);
  const accessUnits = splitAccessUnits(new Uint8Array(await response.arrayBuffer()));
  const limit = Math.min(options.limit ?? accessUnits.length, accessUnits.length);

  const surface = document.createElement(options.path === 'mse' ? 'video' : 'canvas');
  document.body.append(surface);
  const player: VideoSink =
    surface instanceof HTMLVideoElement ? new MsePlayer(surface) : new WebCodecsPlayer(surface as HTMLCanvasElement);
  if (surface instanceof HTMLVideoElement) {
    surface.muted = true;
    surface.playsInline = true;
  }

  const errors: PlayCaseResult['errors'] = [];
  const codecs: string[] = [];
  player.addEventListener('error', (event) => {
    const { code, message } = (event as CustomEvent<{ code: string; message: string }>).detail;
    errors.push({ code, message });
  });
  player.addEventListener('configurationchange', (event) => {
    codecs.push((event as CustomEvent<{ codec: string }>).detail.codec);
  });

  const sizes: string[] = [];
  const mediaTimes: number[] = [];
  const presentedAt = new Map<number, number>();
  player.addEventListener('frame', (event) => {
    const { timestampUs, presentedAtMs } = (event as CustomEvent<{ timestampUs: number; presentedAtMs: number }>).detail;
    const size =
      surface instanceof HTMLVideoElement
        ? `${surface.videoWidth}x${surface.videoHeight}`
        : `${(surface as HTMLCanvasElement).width}x${(surface as HTMLCanvasElement).height}`;
    if (sizes.at(-1) !== size) {
      sizes.push(size);
    }
    mediaTimes.push(timestampUs / 1_000_000);
    presentedAt.set(Math.round((timestampUs * options.frameRate) / 1_000_000), presentedAtMs);
  });

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

  const counters = player.counters;
  const presentationDelaysMs = appendedAt.flatMap((time, index) => {
    const presentedTime = presentedAt.get(index);
    return presentedTime === undefined ? [] : [Math.round(presentedTime - time)];
  });

  player.destroy();
  surface.remove();

  return {
    accessUnitsFed: limit,
    totalVideoFrames: counters.presented + counters.dropped,
    droppedVideoFrames: counters.dropped,
    codecs,
    sizes,
    mediaTimes,
    presentationDelaysMs,
    errors,
  };
}

(globalThis as unknown as { deskvmTest: unknown }).deskvmTest = { playCase };
