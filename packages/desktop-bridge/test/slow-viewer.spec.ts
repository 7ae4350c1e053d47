import { afterEach, describe, expect, it } from '@jest/globals';

import { CloseCode, encodeMessage, toAnnexB, type VideoMessage } from '@deskvm/stream-protocol';

import { startBridge, type Bridge } from '../src/bridge.js';
import type { FrameSource, SourceFrame } from '../src/frame-source.js';
import type { Logger, LogFields } from '../src/logger.js';
import { generateToken } from '../src/token.js';
import { caseFile, fileSource } from './support/file-source.js';
import { connectViewerV2 } from './support/viewer-client.js';

const MAX_BUFFERED_BYTES = 256 * 1024;
const FILLER_BYTES = 64 * 1024;
const MAX_CONTROL_BACKLOG_BYTES = 4096;

interface HealthViewer {
  id: number;
  droppedFrames: number;
  bufferedBytes: number;
}

/**
 * Creates a source of the 320x240 case file whose access units each carry a 64 KiB filler data NAL unit (type 12),
 * so a viewer that stops reading fills its socket buffers within a second or two.
 *
 * @param intervalMs time between access units
 */
function paddedSource(intervalMs = 5): () => FrameSource {
  const inner = fileSource(caseFile('sps-pps-3sei-idr-no-aud-320x240.h264'), intervalMs, { started: 0, stopped: 0 });
  const filler = new Uint8Array(FILLER_BYTES).fill(0xff);

  filler[0] = 0x0c;
  filler[FILLER_BYTES - 1] = 0x80;

  return () => {
    const source = inner();

    return {
      frames: async function* (): AsyncGenerator<SourceFrame> {
        for await (const frame of source.frames()) {
          const nalUnits = [...frame.nalUnits, filler];

          yield { ...frame, nalUnits, data: toAnnexB(nalUnits) };
        }
      },
      stop: () => source.stop(),
    };
  };
}

describe('slow viewer', () => {
  let bridge: Bridge | undefined;

  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  it('skips frames without delaying others', async () => {
    const token = generateToken();

    bridge = await startBridge({ token, frameRate: { numerator: 200, denominator: 1 }, source: paddedSource(), maxBufferedBytes: MAX_BUFFERED_BYTES });
    const reader = await connectViewerV2(bridge.streamUrl, token);
    const stalled = await connectViewerV2(bridge.streamUrl, token);
    await stalled.waitForMessages(3);
    stalled.socket.pause();
    const healthUrl = `http://127.0.0.1:${bridge.port}/health`;
    let viewers: HealthViewer[] = [];
    const deadline = Date.now() + 20_000;

    while ((viewers[1]?.droppedFrames ?? 0) <= 50 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      viewers = ((await (await fetch(healthUrl)).json()) as { viewers: HealthViewer[] }).viewers;
    }

    const videos = reader.messages.filter((message): message is VideoMessage => message.type === 'video');
    const steps = videos.slice(1).map((video, index) => video.timestampUs - videos[index]!.timestampUs);

    expect(viewers[1]?.droppedFrames).toBeGreaterThan(50);
    // The limit is checked before each send, so the buffer passes it by at most one access unit.
    expect(viewers[1]?.bufferedBytes).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + FILLER_BYTES + 4096);
    expect(viewers[0]?.droppedFrames).toBe(0);
    expect(steps.length).toBeGreaterThan(50);
    expect(steps.every((step) => step === 5000n)).toBe(true);
    stalled.socket.resume();
  }, 60_000);

  it('closes a viewer that pings without reading', async () => {
    const token = generateToken();
    const warnings: { message: string; fields: LogFields | undefined }[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message, fields) => warnings.push({ message, fields }),
      error: () => undefined,
    };

    bridge = await startBridge({
      token,
      frameRate: { numerator: 100, denominator: 1 },
      // Half the rate of the test above, which is enough to congest and loads machines less when tests run in parallel.
      source: paddedSource(10),
      maxBufferedBytes: MAX_BUFFERED_BYTES,
      maxControlBacklogBytes: MAX_CONTROL_BACKLOG_BYTES,
      // Above the default of 20, so the backlog fills within a second of congestion and the test stays short.
      pingsPerSecond: 1000,
      logger,
    });
    const reader = await connectViewerV2(bridge.streamUrl, token);
    const flooder = await connectViewerV2(bridge.streamUrl, token);
    await flooder.waitForMessages(3);
    flooder.socket.pause();
    const healthUrl = `http://127.0.0.1:${bridge.port}/health`;
    let maxBufferedBytes = 0;
    let viewers: HealthViewer[] = [];
    let pingId = 0;
    const deadline = Date.now() + 30_000;

    // 2,000 pings per second, twice the rate limit, while the flooder reads nothing, until the bridge drops it.
    do {
      for (let count = 0; count < 100; count += 1) {
        flooder.socket.send(encodeMessage({ type: 'ping', id: pingId++, clientTimeUs: 0n }));
      }

      await new Promise((resolve) => setTimeout(resolve, 50));
      viewers = ((await (await fetch(healthUrl)).json()) as { viewers: HealthViewer[] }).viewers;
      maxBufferedBytes = Math.max(maxBufferedBytes, viewers.find((viewer) => viewer.id === 2)?.bufferedBytes ?? 0);
    } while (viewers.some((viewer) => viewer.id === 2) && Date.now() < deadline);

    expect(viewers.map((viewer) => viewer.id)).toEqual([1]);
    expect(maxBufferedBytes).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + FILLER_BYTES + MAX_CONTROL_BACKLOG_BYTES + 4096);
    expect(warnings.map((warning) => warning.message)).toContain('viewer closed: send buffer full');

    const messagesBefore = reader.messages.length;
    await reader.waitForMessages(messagesBefore + 20);
    flooder.socket.resume();
    const closeCode = await flooder.closed;

    // The close frame queues behind the unread data, so the flooder gets 4004 or, once the grace time ran out, 1006.
    expect([CloseCode.SendBufferFull, 1006]).toContain(closeCode);
    expect(viewers[0]?.droppedFrames).toBe(0);
  }, 60_000);
});
