// Browser page for the <deskvm-player> integration test: registers the element, points it at a WebSocket server
// that the test runs, and records events and presented frame sizes.
import { defineDeskvmPlayer, type DeskvmPlayerElement } from '../../src/index.js';

/** What the page saw while the element played. */
export interface WatchResult {
  events: string[];
  errorCodes: string[];
  sizes: string[];
  totalVideoFrames: number;
  /** Whether a second `defineDeskvmPlayer()` call returned the same class. */
  defineIsIdempotent: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function watchPlayer(url: string, token: string, durationMs: number): Promise<WatchResult> {
  const elementClass = defineDeskvmPlayer();
  const defineIsIdempotent = defineDeskvmPlayer() === elementClass;

  const element = document.createElement('deskvm-player') as DeskvmPlayerElement;
  const events: string[] = [];
  const errorCodes: string[] = [];
  for (const type of ['deskvm-connected', 'deskvm-playing', 'deskvm-error']) {
    element.addEventListener(type, (event) => {
      events.push(type);
      if (type === 'deskvm-error') {
        errorCodes.push((event as CustomEvent<{ code: string }>).detail.code);
      }
    });
  }

  const sizes: string[] = [];
  const onFrame = () => {
    const size = `${element.video.videoWidth}x${element.video.videoHeight}`;
    if (sizes.at(-1) !== size) {
      sizes.push(size);
    }
    element.video.requestVideoFrameCallback(onFrame);
  };
  element.video.requestVideoFrameCallback(onFrame);

  element.url = url;
  element.token = token;
  document.body.append(element);
  await sleep(durationMs);

  const totalVideoFrames = element.video.getVideoPlaybackQuality().totalVideoFrames;
  element.remove();

  return { events: [...new Set(events)], errorCodes, sizes, totalVideoFrames, defineIsIdempotent };
}

(globalThis as unknown as { deskvmTest: unknown }).deskvmTest = { watchPlayer };
