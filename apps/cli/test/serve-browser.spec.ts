import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';

import { launchChromium } from '@deskvm/testing';
import { descendantPids, liveProcesses } from './support/process-tree.js';
import { startServe, type ServeProcess } from './support/serve-process.js';
import { videoSize, waitForColour } from './support/player-page.js';

// The whole stream path against real components: Xvfb, GStreamer's ximagesrc and x264enc, the bridge, and
// Chromium playing the stream through MediaSource.

const width = 640;
const height = 480;

describe('deskvm serve in Chromium', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    serve = await startServe(['--size', `${width}x${height}`, '--fps', '30']);
    browser = await launchChromium();
    page = await browser.newPage();
    // The checks read the <video> element, so the page is held to the MediaSource path. By default Chromium would
    // take WebCodecs, which draws on a canvas.
    await page.goto(`${serve.ready.viewerUrl}&decode=mse`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  }, 30_000);

  it('decodes more than 30 frames', async () => {
    await page.waitForFunction(
      () => {
        const player = (window as unknown as { deskvmPlayer?: { video: HTMLVideoElement } }).deskvmPlayer;
        return (player?.video.getVideoPlaybackQuality().totalVideoFrames ?? 0) > 30;
      },
      undefined,
      { timeout: 30_000 },
    );

    const frames = await page.evaluate(
      () => (window as unknown as { deskvmPlayer: { video: HTMLVideoElement } }).deskvmPlayer.video.getVideoPlaybackQuality().totalVideoFrames,
    );
    expect(frames).toBeGreaterThan(30);
  }, 40_000);

  it('shows the desktop at its own size', async () => {
    expect(await videoSize(page)).toEqual({ width, height });
  });

  it('shows colours painted on the X display', async () => {
    // The bottom band of the screen is bare root window: the terminal and the clock sit at the top.
    const x = width / 2;
    const y = height - 24;
    const env = { DISPLAY: serve.ready.display!, XAUTHORITY: serve.ready.xauthority! };

    for (const [name, rgb] of [
      ['#ff00ff', [255, 0, 255]],
      ['#00c800', [0, 200, 0]],
      ['#1e50dc', [30, 80, 220]],
    ] as const) {
      const paintedAt = Date.now();
      await execa('xsetroot', ['-solid', name], { env });
      const shownAt = await waitForColour(page, x, y, rgb, 40, 10_000);

      expect(shownAt).toBeDefined();
      process.stdout.write(`deskvm serve: ${name} painted to shown in Chromium: ${shownAt! - paintedAt} ms\n`);
    }
  }, 40_000);

  it('rejects X clients without the cookie', async () => {
    const withCookie = await execa('xdpyinfo', [], {
      env: { DISPLAY: serve.ready.display!, XAUTHORITY: serve.ready.xauthority! },
      reject: false,
    });
    const withoutCookie = await execa('xdpyinfo', [], {
      env: { DISPLAY: serve.ready.display!, XAUTHORITY: '/dev/null' },
      reject: false,
    });

    expect(withCookie.exitCode).toBe(0);
    expect(withoutCookie.exitCode).not.toBe(0);
    expect(String(withoutCookie.stderr)).toContain('Authorization required');
  });

  it('removes the token from the address', async () => {
    const hash = await page.evaluate(() => window.location.hash);

    expect(hash).toBe('#decode=mse');
    expect(page.url()).not.toContain(serve.ready.token);
  });

  it('forbids framing of the viewer page', async () => {
    const response = await fetch(new URL('/', serve.ready.healthUrl));
    const policy = response.headers.get('content-security-policy') ?? '';

    expect(response.status).toBe(200);
    expect(policy.split(';').map((directive) => directive.trim())).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('reports one viewer on /health', async () => {
    const response = await fetch(serve.ready.healthUrl);
    const health = (await response.json()) as { status: string; viewers: unknown[]; pipeline: { running: boolean } };

    expect(response.status).toBe(200);
    expect(health.status).toBe('ok');
    expect(health.viewers).toHaveLength(1);
    expect(health.pipeline.running).toBe(true);
  });

  it('stops every process it started', async () => {
    const children = descendantPids(serve.child.pid!);
    expect(children.length).toBeGreaterThanOrEqual(5);

    await browser.close();
    const exitCode = await serve.stop();

    // The terminal's shell gets SIGHUP from xterm and may take a moment to exit after it.
    const deadline = Date.now() + 3000;
    while (liveProcesses(children).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    expect(exitCode).toBe(0);
    expect(liveProcesses(children)).toEqual([]);
  }, 20_000);
});
