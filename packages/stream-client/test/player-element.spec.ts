import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';

import type { StaticServer } from './support/browser.js';
import type { FakeBridge } from './support/fake-bridge.js';
import { closeElementHarness, startElementHarness, watchPlayerIn } from './support/element-harness.js';
import type { WatchOptions, WatchResult } from './page/element-page.js';

const TEST_TIMEOUT_MS = 60_000;
const TOKEN = 'test-token-0123456789';

let browser: Browser;
let server: StaticServer;
let bridge: FakeBridge;

beforeAll(async () => {
  ({ browser, server, bridge } = await startElementHarness(TOKEN));
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await closeElementHarness({ browser, server, bridge });
});

async function watchPlayer(options: Omit<WatchOptions, 'token'> & { token?: string }): Promise<WatchResult> {
  return watchPlayerIn(browser, server.origin, { token: TOKEN, ...options });
}

describe.each(['mse', 'webcodecs'] as const)('<deskvm-player> on %s', (path) => {
  const attributes = { 'decode-path': path };

  it(
    'plays res-change over WebSocket',
    async () => {
      const result = await watchPlayer({ url: bridge.url, durationMs: 2500, attributes });

      expect(result.events).toEqual(['deskvm-connected', 'deskvm-configurationchange', 'deskvm-playing']);
      expect(result.sizes).toEqual(['320x240', '240x320']);
      expect(result.decodePaths).toEqual([path]);
      // 30 access units; a loaded machine drops some on the MSE path, a stalled player shows none after the first.
      expect(result.frames.length).toBeGreaterThanOrEqual(15);
      expect(result.defineIsIdempotent).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'plays a version 1 server',
    async () => {
      const result = await watchPlayer({ url: `${bridge.url}?version=1`, durationMs: 1500, attributes });

      expect(result.errorCodes).toEqual([]);
      expect(result.frames.length).toBeGreaterThanOrEqual(10);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports B-frames as fatal',
    async () => {
      const result = await watchPlayer({ url: `${bridge.url}?case=bframes-main-320x240.h264`, durationMs: 1000, attributes });

      expect(result.errorCodes).toEqual(['CLIENT_ERR_B_FRAMES_UNSUPPORTED']);
      expect(result.fatalErrors).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('<deskvm-player> connection', () => {
  it(
    'reports a rejected token',
    async () => {
      const connections = bridge.received.length;
      const result = await watchPlayer({ url: bridge.url, token: 'wrong-token', durationMs: 1500 });

      expect(result.errorCodes).toEqual(['CLIENT_ERR_AUTH_FAILED']);
      expect(result.fatalErrors).toBe(1);
      // No reconnect after an auth failure.
      expect(bridge.received.length - connections).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'picks WebCodecs on auto',
    async () => {
      const result = await watchPlayer({ url: bridge.url, durationMs: 1500 });

      expect(result.decodePaths).toEqual(['webcodecs']);
      expect(result.overlayText).toBeUndefined();
      expect((result.lastStats as { decodePath: string }).decodePath).toBe('webcodecs');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'picks MSE without WebCodecs',
    async () => {
      const result = await watchPlayer({ url: bridge.url, durationMs: 1500, withoutWebCodecs: true });

      expect(result.errorCodes).toEqual([]);
      expect(result.decodePaths).toEqual(['mse']);
      expect(result.frames.length).toBeGreaterThanOrEqual(10);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rejects forced WebCodecs without it',
    async () => {
      const result = await watchPlayer({ url: bridge.url, durationMs: 1000, withoutWebCodecs: true, attributes: { 'decode-path': 'webcodecs' } });

      expect(result.errorCodes).toEqual(['CLIENT_ERR_WEBCODECS_UNSUPPORTED']);
      expect(result.fatalErrors).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reconnects after a dropped connection',
    async () => {
      const connections = bridge.received.length;
      const result = await watchPlayer({ url: `${bridge.url}?terminate=10&frames=60`, durationMs: 4000 });

      expect(result.events).toContain('deskvm-disconnected');
      expect(bridge.received.length - connections).toBe(2);
      expect(result.errorCodes).toEqual(['CLIENT_ERR_CONNECTION_CLOSED']);
      // Frames before the drop, then frames from the second connection.
      expect(result.frames.length).toBeGreaterThanOrEqual(40);
      expect((result.lastStats as { reconnects: number }).reconnects).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'requests a keyframe after a decode error',
    async () => {
      const connections = bridge.received.length;
      // Access unit 25 of the looped 20-unit file is corrupt; the next keyframe is access unit 40.
      const result = await watchPlayer({ url: `${bridge.url}?case=no-vui-320x240.h264&frames=60&corruptAt=25`, durationMs: 2800, attributes: { 'decode-path': 'webcodecs' } });
      const messages = bridge.received[connections]!;
      const stats = result.lastStats as { decodeErrors: number };

      expect(result.errorCodes).toEqual([]);
      expect(messages.filter((message) => message.type === 'keyframe-request')).toHaveLength(1);
      expect(stats.decodeErrors).toBe(1);
      // Frames from the keyframe at access unit 40 on are shown again.
      expect(result.frames.filter((frame) => frame.atMs > (result.connectedAtMs ?? 0) + 1350).length).toBeGreaterThanOrEqual(10);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'waits for a visible page to reconnect',
    async () => {
      const connections = bridge.received.length;
      const startedAt = Date.now();
      // The page is hidden from 100 ms to 2000 ms; the connection drops at access unit 10, about 330 ms in.
      const result = await watchPlayer({ url: `${bridge.url}?terminate=10&frames=60&hidden`, durationMs: 3500, hideAtMs: 100, showAtMs: 2000 });
      const reconnectAfterMs = (bridge.connectedAt[connections + 1] ?? Infinity) - startedAt;

      expect(bridge.received.length - connections).toBe(2);
      // Without the wait, the first attempt would come within 500 ms of the drop.
      expect(reconnectAfterMs).toBeGreaterThanOrEqual(2000);
      expect(result.events).toContain('deskvm-disconnected');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports stats with latency',
    async () => {
      const result = await watchPlayer({ url: `${bridge.url}?frames=90`, durationMs: 2500, attributes: { 'stats-overlay': '' } });
      const stats = result.lastStats as { framesPerSecond: number; bitrateBitsPerSecond: number; latencyMs: number; roundTripMs: number; encoderLatencyMs: number };

      expect(stats.framesPerSecond).toBeGreaterThan(20);
      expect(stats.framesPerSecond).toBeLessThan(40);
      expect(stats.bitrateBitsPerSecond).toBeGreaterThan(0);
      // The clock offset from ping/pong is accurate to half the round trip, so a small negative value is possible.
      expect(stats.latencyMs).toBeGreaterThanOrEqual(-stats.roundTripMs / 2 - 1);
      expect(stats.latencyMs).toBeLessThan(200);
      expect(stats.roundTripMs).toBeLessThan(100);
      expect(stats.encoderLatencyMs).toBe(5);
      expect(result.overlayText).toMatch(/^webcodecs \d+\.\d fps \d+\.\d\d Mbit\/s\nlatency -?\d+ ms rtt \d+ ms encoder 5 ms\n/);
    },
    TEST_TIMEOUT_MS,
  );
});
