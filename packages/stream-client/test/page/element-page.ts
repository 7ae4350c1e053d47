// Browser page for the <deskvm-player> integration tests: registers the element, points it at the fake bridge that
// the test runs, and records events, presented frames and what the test page did to it.
import { defineDeskvmPlayer, type DeskvmPlayerElement, type PresentedFrameDetail } from '../../src/index.js';

/** Input of `watchPlayer`. */
export interface WatchOptions {
  url: string;
  token: string;
  durationMs: number;
  /** Attributes to set on the element, such as `{ 'decode-path': 'mse' }`. */
  attributes?: Record<string, string>;
  /** Blocks the main thread for `blockMs` at `blockAtMs` after the start, as a long task would. */
  blockAtMs?: number;
  blockMs?: number;
  /** Removes `VideoDecoder` from the page first, as in a browser without WebCodecs. */
  withoutWebCodecs?: boolean;
  /** Pretends the page is hidden from `hideAtMs` to `showAtMs` after the start (visibilityState and the event). */
  hideAtMs?: number;
  showAtMs?: number;
}

/** One presented frame, as the page saw it. */
export interface FrameRecord {
  /** Page time of presentation, ms after the start. */
  atMs: number;
  /** Wall-clock age of the frame's timestamp at presentation, in ms (timestamps are send times). */
  ageMs: number;
}

/** What the page saw while the element played. */
export interface WatchResult {
  events: string[];
  errorCodes: string[];
  fatalErrors: number;
  /** `width`x`height` of each `deskvm-configurationchange`. */
  sizes: string[];
  decodePaths: string[];
  frames: FrameRecord[];
  /** Page time of the first presented frame, ms after the start. */
  firstFrameAtMs: number | undefined;
  /** Page time of the first `deskvm-connected`, ms after the start; the server's first video follows its hello. */
  connectedAtMs: number | undefined;
  /** Page time of the first `deskvm-configurationchange`: the decode path took the first keyframe. */
  configuredAtMs: number | undefined;
  videoPaused: boolean;
  /** Seconds buffered ahead of and behind the playhead on the MSE path at the end. */
  bufferedAheadSeconds: number;
  bufferedBehindSeconds: number;
  /** Largest buffered duration seen on the MSE path, in seconds. */
  maxBufferedSeconds: number;
  lastStats: unknown;
  /** Text of the stats overlay, or undefined when it is hidden. */
  overlayText: string | undefined;
  /** Messages the player logged at warn level. */
  warnings: string[];
  defineIsIdempotent: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let hidden = false;
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });

function setHidden(value: boolean, video: HTMLVideoElement): void {
  hidden = value;
  // Browsers stop rendering hidden tabs, so the page pauses the video to emulate that on the MSE path.
  if (value) {
    video.pause();
  }
  document.dispatchEvent(new Event('visibilitychange'));
}

function blockMainThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy on purpose: a long task that keeps every event, timer and animation frame waiting.
  }
}

function bufferedSeconds(video: HTMLVideoElement): number {
  const { buffered } = video;
  return buffered.length === 0 ? 0 : buffered.end(buffered.length - 1) - buffered.start(0);
}

async function watchPlayer(options: WatchOptions): Promise<WatchResult> {
  if (options.withoutWebCodecs === true) {
    delete (globalThis as { VideoDecoder?: unknown }).VideoDecoder;
  }

  const elementClass = defineDeskvmPlayer();
  const defineIsIdempotent = defineDeskvmPlayer() === elementClass;

  const element = document.createElement('deskvm-player') as DeskvmPlayerElement;
  element.style.cssText = 'width: 640px; height: 360px';
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    element.setAttribute(name, value);
  }

  const warnings: string[] = [];
  const ignore = () => undefined;
  element.logger = { debug: ignore, info: ignore, warn: (message) => warnings.push(message), error: ignore };

  const events: string[] = [];
  const errorCodes: string[] = [];
  const sizes: string[] = [];
  const decodePaths: string[] = [];
  let fatalErrors = 0;
  let lastStats: unknown;
  for (const type of ['deskvm-connected', 'deskvm-playing', 'deskvm-error', 'deskvm-configurationchange', 'deskvm-stats', 'deskvm-disconnected']) {
    element.addEventListener(type, (event) => {
      const detail = (event as CustomEvent).detail;
      if (type !== 'deskvm-stats') {
        events.push(type);
      }
      if (type === 'deskvm-error') {
        errorCodes.push(detail.code);
        fatalErrors += detail.fatal ? 1 : 0;
      }
      if (type === 'deskvm-configurationchange') {
        sizes.push(`${detail.width}x${detail.height}`);
        decodePaths.push(detail.decodePath);
      }
      if (type === 'deskvm-stats') {
        lastStats = detail;
      }
    });
  }

  const startedAt = performance.now();
  const frames: FrameRecord[] = [];
  let maxBufferedSeconds = 0;
  let listening = false;
  let connectedAtMs: number | undefined;
  let configuredAtMs: number | undefined;
  element.addEventListener('deskvm-configurationchange', () => {
    configuredAtMs ??= performance.now() - startedAt;
  });
  const sampler = setInterval(() => {
    maxBufferedSeconds = Math.max(maxBufferedSeconds, bufferedSeconds(element.video));
  }, 50);
  element.addEventListener('deskvm-connected', () => {
    if (listening) {
      return;
    }
    listening = true;
    connectedAtMs = performance.now() - startedAt;
    element.core?.addEventListener('frame', (event) => {
      const detail: PresentedFrameDetail = event.detail;
      const presentedAtWallMs = performance.timeOrigin + detail.presentedAtMs;
      frames.push({ atMs: detail.presentedAtMs - startedAt, ageMs: presentedAtWallMs - detail.timestampUs / 1000 });
    });
  });

  element.url = options.url;
  element.token = options.token;
  document.body.append(element);

  const steps: [number, () => void][] = [];
  if (options.blockAtMs !== undefined) {
    steps.push([options.blockAtMs, () => blockMainThread(options.blockMs ?? 0)]);
  }
  if (options.hideAtMs !== undefined) {
    steps.push([options.hideAtMs, () => setHidden(true, element.video)]);
    steps.push([options.showAtMs ?? options.durationMs, () => setHidden(false, element.video)]);
  }
  steps.sort((left, right) => left[0] - right[0]);
  for (const [atMs, step] of steps) {
    await sleep(Math.max(0, startedAt + atMs - performance.now()));
    step();
    maxBufferedSeconds = Math.max(maxBufferedSeconds, bufferedSeconds(element.video));
  }
  await sleep(Math.max(0, startedAt + options.durationMs - performance.now()));

  clearInterval(sampler);
  const overlay = element.shadowRoot?.querySelector('pre');
  const overlayText = overlay === null || overlay === undefined || overlay.hidden ? undefined : (overlay.textContent ?? '');
  const video = element.video;
  const end = video.buffered.length === 0 ? 0 : video.buffered.end(video.buffered.length - 1);
  const result: WatchResult = {
    events: [...new Set(events)],
    errorCodes,
    fatalErrors,
    sizes,
    decodePaths: [...new Set(decodePaths)],
    frames,
    firstFrameAtMs: frames[0]?.atMs,
    connectedAtMs,
    configuredAtMs,
    videoPaused: video.paused,
    bufferedAheadSeconds: end - video.currentTime,
    bufferedBehindSeconds: video.buffered.length === 0 ? 0 : video.currentTime - video.buffered.start(0),
    maxBufferedSeconds,
    lastStats,
    overlayText,
    warnings,
    defineIsIdempotent,
  };
  element.remove();
  return result;
}

/** Input of `mountPlayer`. */
export interface MountOptions {
  url: string;
  token: string;
  attributes?: Record<string, string>;
  /** CSS of the element. */
  style: string;
}

/** What `mountPlayer` leaves in the page: the element's place and the events it dispatched so far. */
export interface MountResult {
  rect: { left: number; top: number; width: number; height: number };
  events: string[];
}

/**
 * Mounts a `<deskvm-player>` at the top left of the page and resolves when it plays. It stays in the page, and the
 * events it dispatches later go to `globalThis.deskvmEvents`.
 */
async function mountPlayer(options: MountOptions): Promise<MountResult> {
  defineDeskvmPlayer();
  document.body.style.margin = '0';
  const element = document.createElement('deskvm-player') as DeskvmPlayerElement;
  element.style.cssText = options.style;
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    element.setAttribute(name, value);
  }

  const events: string[] = [];
  (globalThis as unknown as { deskvmEvents: unknown }).deskvmEvents = events;
  for (const type of ['deskvm-connected', 'deskvm-playing', 'deskvm-error', 'deskvm-clipboard']) {
    element.addEventListener(type, (event) => events.push(`${type} ${JSON.stringify((event as CustomEvent).detail)}`));
  }

  const playing = new Promise((resolve) => element.addEventListener('deskvm-playing', resolve, { once: true }));
  element.url = options.url;
  element.token = options.token;
  document.body.append(element);
  await Promise.race([playing, sleep(5000)]);

  const { left, top, width, height } = element.getBoundingClientRect();
  return { rect: { left, top, width, height }, events };
}

(globalThis as unknown as { deskvmTest: unknown }).deskvmTest = { watchPlayer, mountPlayer };
