import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';

import { bundlePage, launchChromium, startStaticServer, type StaticServer } from './support/browser.js';
import { NalUnitType, nalUnitType, rewriteSpsBitstreamRestriction, splitNalUnits, toAnnexB } from '@deskvm/stream-protocol';

import { CASE_FILES, readCaseFile, readVuiRemovedCase } from './support/cases.js';
import type { PlayCaseOptions, PlayCaseResult } from './page/sink-page.js';

// Chromium start, bundling and up to 2 s of playback per case; generous so a loaded CI machine does not flake.
const TEST_TIMEOUT_MS = 60_000;

let browser: Browser;
let server: StaticServer;
let page: Page;

beforeAll(async () => {
  const files = new Map<string, { type: string; body: string | Uint8Array }>();
  files.set('/page.js', { type: 'text/javascript', body: await bundlePage('test/page/sink-page.ts') });
  for (const name of CASE_FILES) {
    files.set(`/cases/${name}`, { type: 'application/octet-stream', body: await readCaseFile(name) });
  }

  // A stream whose SPS has no VUI, before and after the rewrite that the bridge applies to every SPS.
  const vuiRemoved = await readVuiRemovedCase();
  const rewritten = toAnnexB(
    splitNalUnits(vuiRemoved).map((nalUnit) =>
      nalUnitType(nalUnit) === NalUnitType.Sps ? rewriteSpsBitstreamRestriction(nalUnit) : nalUnit,
    ),
  );
  files.set('/cases/vui-removed.h264', { type: 'application/octet-stream', body: vuiRemoved });
  files.set('/cases/vui-removed-rewritten.h264', { type: 'application/octet-stream', body: rewritten });

  server = await startStaticServer(files);
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => 'deskvmTest' in globalThis);
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function playCase(options: PlayCaseOptions): Promise<PlayCaseResult> {
  return page.evaluate(
    (pageOptions) =>
      (globalThis as unknown as { deskvmTest: { playCase(o: PlayCaseOptions): Promise<PlayCaseResult> } }).deskvmTest.playCase(
        pageOptions,
      ),
    options,
  );
}

describe.each(['mse', 'webcodecs'] as const)('%s path in Chromium', (path) => {
  it.each([
    ['cropped-1278x718.h264', 30, '1278x718', undefined],
    // The SPS of this file declares Constrained Baseline (0x42, flags 0xc0) at level 5.1 (0x33).
    ['high-level51-1920x1080.h264', 60, '1920x1080', 'avc1.42c033'],
    ['no-vui-320x240.h264', 30, '320x240', undefined],
    ['sps-pps-3sei-idr-no-aud-320x240.h264', 30, '320x240', undefined],
  ])(
    'plays %s',
    async (name, frameRate, size, codec) => {
      const result = await playCase({ path, name, frameRate, settleMs: 1000 });
      console.info(`${path} ${name}: ${JSON.stringify({ ...result, mediaTimes: result.mediaTimes.length })}`);

      expect(result.errors).toEqual([]);
      expect(result.totalVideoFrames).toBeGreaterThanOrEqual(result.accessUnitsFed - 2);
      expect(result.sizes).toEqual([size]);
      expect(result.codecs).toHaveLength(1);
      if (codec !== undefined) {
        expect(result.codecs[0]).toBe(codec);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shows both sizes of res-change',
    async () => {
      const result = await playCase({ path, name: 'res-change-320x240-to-240x320.h264', frameRate: 30, settleMs: 1000 });
      console.info(`${path} res-change: ${JSON.stringify({ ...result, mediaTimes: result.mediaTimes.length })}`);

      expect(result.errors).toEqual([]);
      expect(result.sizes).toEqual(['320x240', '240x320']);
      expect(result.codecs).toHaveLength(2);
      expect(result.totalVideoFrames).toBeGreaterThanOrEqual(result.accessUnitsFed - 2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shows the first access unit',
    async () => {
      // Only the first access unit (SPS, PPS, 3 SEI, IDR) arrives; nothing follows that could flush the decoder.
      const result = await playCase({ path, name: 'sps-pps-3sei-idr-no-aud-320x240.h264', frameRate: 30, limit: 1, settleMs: 1500 });

      expect(result.errors).toEqual([]);
      expect(result.totalVideoFrames).toBeGreaterThanOrEqual(1);
      expect(result.mediaTimes[0]).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'plays a rewritten SPS without VUI',
    async () => {
      const whole = await playCase({ path, name: 'vui-removed-rewritten.h264', frameRate: 30, settleMs: 1000 });
      const first = await playCase({ path, name: 'vui-removed-rewritten.h264', frameRate: 30, limit: 1, settleMs: 1500 });
      const before = await playCase({ path, name: 'vui-removed.h264', frameRate: 30, limit: 1, settleMs: 1500 });
      console.info(`${path} SPS without VUI, first access unit only: ${before.totalVideoFrames} frames before the rewrite, ${first.totalVideoFrames} after`);

      expect(whole.errors).toEqual([]);
      expect(whole.sizes).toEqual(['320x240']);
      expect(whole.totalVideoFrames).toBeGreaterThanOrEqual(whole.accessUnitsFed - 2);
      expect(first.errors).toEqual([]);
      expect(first.totalVideoFrames).toBeGreaterThanOrEqual(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rejects bframes-main with an error',
    async () => {
      // The player does not reorder B-frames; it must fail with a clear error instead of stalling or misordering.
      const result = await playCase({ path, name: 'bframes-main-320x240.h264', frameRate: 30, settleMs: 200 });

      expect(result.errors.map((error) => error.code)).toEqual(['CLIENT_ERR_B_FRAMES_UNSUPPORTED']);
      expect(result.errors[0]?.message).toMatch(/B-frames/);
    },
    TEST_TIMEOUT_MS,
  );
});
