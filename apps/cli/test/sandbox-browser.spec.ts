import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';

import { launchChromium } from '@deskvm/testing';
import { jsonLines, sandboxUnderTest } from './support/sandbox-cli.js';
import { videoSize, waitForColour, waitForPresentedFrames } from './support/player-page.js';

// The whole main job: `deskvm up` starts the desktop in a container, and Chromium plays its stream from the address
// that `up` printed. Colours painted inside the container through `deskvm exec` must reach the page.

const width = 640;
const height = 480;
const sandbox = sandboxUnderTest('browser');
let browser: Browser;
let page: Page;
let viewerUrl: string;

beforeAll(async () => {
  const up = await sandbox.run(['up', '--json', '--size', `${width}x${height}`]);
  const ready = jsonLines(up.stdout).at(-1);
  if (up.exitCode !== 0 || ready?.['type'] !== 'ready') {
    throw new Error(`deskvm up failed with exit ${up.exitCode}: ${String(up.stderr)}`);
  }

  viewerUrl = String(ready['viewerUrl']);
  browser = await launchChromium();
  page = await browser.newPage();
  // The checks read the <video> element, so the page is held to the MediaSource path.
  await page.goto(`${viewerUrl}&decode=mse`);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await sandbox.dispose();
}, 60_000);

describe('the sandboxed desktop in Chromium', () => {
  it('plays more than 30 frames', async () => {
    await waitForPresentedFrames(page, 30, 30_000);
  }, 40_000);

  it('shows the desktop at its own size', async () => {
    expect(await videoSize(page)).toEqual({ width, height });
  });

  it('shows colours painted through deskvm exec', async () => {
    // The bottom band of the screen is bare root window: the terminal and the clock sit at the top.
    for (const [name, rgb] of [
      ['#ff00ff', [255, 0, 255]],
      ['#00c800', [0, 200, 0]],
    ] as const) {
      const painted = await sandbox.run(['exec', '--', 'xsetroot', '-solid', name]);
      const shownAt = await waitForColour(page, width / 2, height - 24, rgb, 40, 10_000);

      expect(painted.exitCode).toBe(0);
      expect(shownAt).toBeDefined();
    }
  }, 60_000);

  it('rejects the stream without the token', async () => {
    const streamUrl = new URL('/stream', viewerUrl);
    streamUrl.protocol = 'ws:';
    const closed = await page.evaluate(
      (url) =>
        new Promise<number>((resolve) => {
          const socket = new WebSocket(url);
          socket.onclose = (event) => resolve(event.code);
        }),
      streamUrl.href,
    );

    // 4001 when the bridge closes an accepted socket for the token, 1006 when it refuses the upgrade itself.
    expect([1006, 4001]).toContain(closed);
  }, 20_000);
});
