import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeMessage, PROTOCOL_VERSION, type StreamMessage } from '@deskvm/stream-protocol';
import type { Browser, Page } from 'playwright-core';
import { WebSocketServer } from 'ws';

import { bundlePage, launchChromium, startStaticServer, type StaticServer } from './support/browser.js';
import { readCaseMessages } from './support/cases.js';
import type { WatchResult } from './page/element-page.js';

const TEST_TIMEOUT_MS = 60_000;
const TOKEN = 'test-token-0123456789';

let browser: Browser;
let server: StaticServer;
let streamServer: WebSocketServer;
let streamUrl: string;
let page: Page;

// Streams a case file to every viewer that offers the right token, at 30 frames per second; closes others with 4001.
async function startStreamServer(): Promise<void> {
  streamServer = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'deskvm.v1' });
  await new Promise((resolve) => streamServer.once('listening', resolve));
  streamUrl = `ws://127.0.0.1:${(streamServer.address() as AddressInfo).port}/stream`;

  streamServer.on('connection', async (socket, request) => {
    const protocols = String(request.headers['sec-websocket-protocol']).split(/,\s*/);
    if (!protocols.includes(`deskvm.token.${TOKEN}`)) {
      socket.close(4001, 'invalid token');
      return;
    }

    const name = request.url?.includes('bframes') ? 'bframes-main-320x240.h264' : 'res-change-320x240-to-240x320.h264';
    const messages: StreamMessage[] = [
      {
        type: 'server-hello',
        version: PROTOCOL_VERSION,
        codec: 'avc1.f4000d',
        width: 320,
        height: 240,
        frameRateNumerator: 30,
        frameRateDenominator: 1,
      },
      ...(await readCaseMessages(name)),
    ];

    for (const message of messages) {
      if (socket.readyState !== socket.OPEN) {
        return;
      }
      socket.send(encodeMessage(message));
      await new Promise((resolve) => setTimeout(resolve, 33));
    }
  });
}

beforeAll(async () => {
  const files = new Map([['/page.js', { type: 'text/javascript', body: await bundlePage('test/page/element-page.ts') }]]);
  server = await startStaticServer(files);
  await startStreamServer();
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => 'deskvmTest' in globalThis);
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const client of streamServer?.clients ?? []) {
    client.terminate();
  }
  await new Promise((resolve) => streamServer?.close(resolve));
});

function watchPlayer(url: string, token: string, durationMs: number): Promise<WatchResult> {
  return page.evaluate(
    ([pageUrl, pageToken, duration]) =>
      (
        globalThis as unknown as { deskvmTest: { watchPlayer(u: string, t: string, d: number): Promise<WatchResult> } }
      ).deskvmTest.watchPlayer(pageUrl, pageToken, duration),
    [url, token, durationMs] as const,
  );
}

describe('<deskvm-player> in Chromium', () => {
  it(
    'plays res-change over WebSocket',
    async () => {
      const result = await watchPlayer(streamUrl, TOKEN, 2500);

      expect(result.events).toEqual(['deskvm-connected', 'deskvm-playing']);
      expect(result.sizes).toEqual(['320x240', '240x320']);
      expect(result.totalVideoFrames).toBeGreaterThanOrEqual(28);
      expect(result.defineIsIdempotent).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports a rejected token',
    async () => {
      const result = await watchPlayer(streamUrl, 'wrong-token', 1000);

      expect(result.errorCodes).toEqual(['CLIENT_ERR_CONNECTION_CLOSED']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports B-frames as deskvm-error',
    async () => {
      const result = await watchPlayer(`${streamUrl}?case=bframes`, TOKEN, 1000);

      expect(result.errorCodes).toEqual(['CLIENT_ERR_B_FRAMES_UNSUPPORTED']);
    },
    TEST_TIMEOUT_MS,
  );
});
