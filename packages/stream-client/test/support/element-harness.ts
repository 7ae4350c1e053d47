import type { Browser } from 'playwright-core';

import type { WatchOptions, WatchResult } from '../page/element-page.js';

import { bundlePage, launchChromium, startStaticServer, type StaticServer } from './browser.js';
import { startFakeBridge, type FakeBridge } from './fake-bridge.js';

/** What the `<deskvm-player>` tests share: Chromium, a server for the test page and a fake bridge on 127.0.0.1. */
export interface ElementHarness {
  readonly browser: Browser;
  /** Serves `/page.js`, the bundle of `test/page/element-page.ts`. */
  readonly server: StaticServer;
  readonly bridge: FakeBridge;
}

/**
 * Starts the test page server, a fake bridge that accepts `token`, and Chromium (`launchChromium` by default). What
 * has started is closed again when a later step fails.
 */
export async function startElementHarness(
  token: string,
  launch: () => Promise<Browser> = launchChromium,
): Promise<ElementHarness> {
  const files = new Map([['/page.js', { type: 'text/javascript', body: await bundlePage('test/page/element-page.ts') }]]);
  const server = await startStaticServer(files);
  let bridge: FakeBridge | undefined;
  try {
    bridge = await startFakeBridge(token);
    return { browser: await launch(), server, bridge };
  } catch (error) {
    await bridge?.close();
    await server.close();
    throw error;
  }
}

/** Closes what {@link startElementHarness} started; fields left undefined by a failed start are skipped. */
export async function closeElementHarness(harness: Partial<ElementHarness>): Promise<void> {
  await harness.browser?.close();
  await harness.server?.close();
  await harness.bridge?.close();
}

/**
 * Opens the test page in a new page of `browser`, runs the page's `watchPlayer` with `options` and closes the page.
 * Each call gets a fresh page, so visibility overrides and custom element state do not leak between tests.
 */
export async function watchPlayerIn(browser: Browser, origin: string, options: WatchOptions): Promise<WatchResult> {
  const page = await browser.newPage();

  await page.goto(`${origin}/`);
  await page.waitForFunction(() => 'deskvmTest' in globalThis);

  const result = await page.evaluate(
    (pageOptions) =>
      (globalThis as unknown as { deskvmTest: { watchPlayer(o: WatchOptions): Promise<WatchResult> } }).deskvmTest.watchPlayer(
        pageOptions,
      ),
    options,
  );

  await page.close();
  return result;
}
