import { afterEach, describe, expect, it } from '@jest/globals';

import { CloseCode, ErrorCode, encodeMessage, type VideoMessage } from '@deskvm/stream-protocol';

import { startBridge, type Bridge } from '../src/bridge.js';
import type { DesktopControl } from '../src/desktop-control.js';
import type { FrameSource, SourceFrame } from '../src/frame-source.js';
import { generateToken } from '../src/token.js';
import { caseFile, fileSource } from './support/file-source.js';
import { waitFor } from './support/recording-desktop.js';
import { connectViewerV2 } from './support/viewer-client.js';

const MESSAGES = 10_000;
const FRAME_INTERVAL_MS = 5;
/** Fuzz messages sent between two pauses of one frame interval: 200 batches in all. */
const BATCH_SIZE = 50;
/** Minimum number of video messages the watcher must receive while the fuzz runs, to show that the two overlapped. */
const MIN_FRAMES_DURING_FUZZ = 20;

/**
 * Largest pause between two video messages at the watching viewer while the fuzz runs. A pipeline restart costs at
 * least the 500 ms default restart delay plus the wait for a keyframe, so on an idle machine pauses stay far below
 * this. The bound is generous because a loaded 2-core CI machine was seen to pause the test process itself for
 * 450 to 540 ms. Lost or skipped frames are checked exactly, by counting, not by this bound.
 */
const MAX_GAP_MS = 2_000;

/** A source wrapper that counts the access units it passes on, and can hold back the rest without ending. */
interface CountedSource {
  readonly factory: () => FrameSource;
  /** Access units passed on so far. */
  readonly produced: () => number;
  /** Stops passing on access units. The source stays open, so the bridge gets no end of stream and restarts nothing. */
  readonly hold: () => void;
}

function countedSource(factory: () => FrameSource): CountedSource {
  let produced = 0;
  let holding = false;

  return {
    produced: () => produced,
    hold: () => {
      holding = true;
    },
    factory: () => {
      const source = factory();

      async function* frames(): AsyncGenerator<SourceFrame> {
        for await (const frame of source.frames()) {
          if (holding) {
            continue;
          }

          produced += 1;
          yield frame;
        }
      }

      return { frames, stop: () => source.stop() };
    },
  };
}

/** mulberry32: a seeded generator of floats in [0, 1), so a failure repeats with the same messages. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;

    let mixed = Math.imul(state ^ (state >>> 15), state | 1);

    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Returns a random message. Two thirds start with a defined type byte and have a length near the real sizes, so
 * they reach the field checks. The rest are random bytes of any type.
 */
function randomMessage(random: () => number): Uint8Array {
  const typed = random() < 2 / 3;
  const length = typed ? Math.floor(random() * 24) + 1 : Math.floor(random() * 96);
  const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));

  if (typed) {
    bytes[0] = random() < 0.8 ? 0x40 + Math.floor(random() * 12) : 0x01 + Math.floor(random() * 7);
  }

  return bytes;
}

/** Input and clipboard that do nothing, so valid random input cannot act on a desktop; no resize, so no restarts. */
const inertDesktop: DesktopControl = {
  pointerMove: async () => undefined,
  pointerRelative: async () => undefined,
  pointerButton: async () => undefined,
  wheel: async () => undefined,
  key: async () => undefined,
  setClipboard: async () => undefined,
};

describe('client message fuzzing', () => {
  let bridge: Bridge | undefined;

  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  it('keeps other viewer streaming', async () => {
    const token = generateToken();

    const source = countedSource(
      fileSource(caseFile('sps-pps-3sei-idr-no-aud-320x240.h264'), FRAME_INTERVAL_MS, { started: 0, stopped: 0 }),
    );
    bridge = await startBridge({
      token,
      frameRate: { numerator: 200, denominator: 1 },
      source: source.factory,
      desktop: inertDesktop,
    });
    const watcher = await connectViewerV2(bridge.streamUrl, token);
    const arrivals: number[] = [];
    watcher.socket.on('message', () => arrivals.push(performance.now()));
    await watcher.waitForMessages(5);
    const fuzzer = await connectViewerV2(bridge.streamUrl, token);
    const random = seededRandom(20261204);
    const fuzzStart = performance.now();

    // The messages go out in batches between frames, so the fuzz overlaps many access units at the watcher.
    for (let index = 0; index < MESSAGES; index += 1) {
      fuzzer.socket.send(randomMessage(random));

      if (index % BATCH_SIZE === BATCH_SIZE - 1) {
        await new Promise((resolve) => setTimeout(resolve, FRAME_INTERVAL_MS));
      }
    }

    fuzzer.socket.send(encodeMessage({ type: 'ping', id: 1, clientTimeUs: 1n }));
    await waitFor(() => fuzzer.messages.some((message) => message.type === 'pong'), 60_000, 'the pong after the fuzz');
    const fuzzEnd = performance.now();
    source.hold();
    const videoCount = (): number => watcher.messages.filter((message) => message.type === 'video').length;
    // Every access unit the source passed on must reach the watcher; one skipped to a keyframe never would.
    await waitFor(() => videoCount() >= source.produced(), 10_000, 'the watcher to receive every access unit').catch(
      () => undefined,
    );

    const videos = watcher.messages.filter((message): message is VideoMessage => message.type === 'video');
    const steps = videos.slice(1).map((video, index) => video.timestampUs - videos[index]!.timestampUs);
    const window = arrivals.filter((time) => time >= fuzzStart && time <= fuzzEnd + 100);
    const gaps = window.slice(1).map((time, index) => time - window[index]!);
    const errorCodes = new Set(fuzzer.messages.flatMap((message) => (message.type === 'error' ? [message.code] : [])));
    const health = (await (await fetch(`http://127.0.0.1:${bridge.port}/health`)).json()) as {
      pipeline: { restarts: number };
      viewers: { droppedFrames: number; id: number }[];
    };

    expect(videos.length).toBe(source.produced());
    expect(steps.every((step) => step > 0n)).toBe(true);
    expect(window.length).toBeGreaterThanOrEqual(MIN_FRAMES_DURING_FUZZ);
    expect(Math.max(...gaps)).toBeLessThan(MAX_GAP_MS);
    expect(health.pipeline.restarts).toBe(0);
    expect(health.viewers[0]?.droppedFrames).toBe(0);
    expect(errorCodes.size).toBeGreaterThan(0);
    expect([...errorCodes].every((code) => Object.values(ErrorCode).includes(code as ErrorCode))).toBe(true);
    expect(fuzzer.socket.readyState).toBe(fuzzer.socket.OPEN);

    fuzzer.socket.close();
    expect(await fuzzer.closed).not.toBe(CloseCode.MessageTooBig);
  }, 120_000);
});
