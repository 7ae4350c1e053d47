import type { Page } from 'playwright-core';

/** Average colour of a 16x16 patch of the playing video centred on (x, y), read through a canvas. */
export async function sampleColour(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return page.evaluate(
    ([px, py]) => {
      const video = (window as unknown as { deskvmPlayer: { video: HTMLVideoElement } }).deskvmPlayer.video;
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext('2d', { willReadFrequently: true })!;
      context.drawImage(video, 0, 0);
      const pixels = context.getImageData(px - 8, py - 8, 16, 16).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < pixels.length; i += 4) {
        sum[0]! += pixels[i]!;
        sum[1]! += pixels[i + 1]!;
        sum[2]! += pixels[i + 2]!;
      }
      const count = pixels.length / 4;
      return [sum[0]! / count, sum[1]! / count, sum[2]! / count] as [number, number, number];
    },
    [x, y] as const,
  );
}

/** Waits until the patch at (x, y) is within `tolerance` of `expected` on every channel; returns the wall time. */
export async function waitForColour(
  page: Page,
  x: number,
  y: number,
  expected: readonly number[],
  tolerance: number,
  timeoutMs: number,
): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const colour = await sampleColour(page, x, y);
    if (colour.every((value, channel) => Math.abs(value - expected[channel]!) <= tolerance)) {
      return Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return undefined;
}

/** Waits until the viewer page's player has presented more than `count` frames, on either decode path. */
export async function waitForPresentedFrames(page: Page, count: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (minimum) => ((window as unknown as { deskvmPlayer?: { stats?: { presentedFrames: number } } }).deskvmPlayer?.stats?.presentedFrames ?? 0) > minimum,
    count,
    { timeout: timeoutMs },
  );
}

/** Returns the size of the video that the viewer page's player shows through MediaSource, in pixels. */
export async function videoSize(page: Page): Promise<{ width: number; height: number }> {
  return page.evaluate(() => {
    const video = (window as unknown as { deskvmPlayer: { video: HTMLVideoElement } }).deskvmPlayer.video;
    return { width: video.videoWidth, height: video.videoHeight };
  });
}
