import { existsSync } from 'node:fs';

import { chromium, type Browser } from 'playwright-core';

/** Install paths of Chromium on Debian and Ubuntu, in the order they are tried. DESKVM_CHROMIUM overrides them. */
export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

/**
 * Launches headless Chromium from the distribution's packages, because playwright cannot download its own browser
 * here. Background networking is off, so the browser talks only to the pages a test opens on 127.0.0.1.
 *
 * @param extraArgs - Chromium switches added after the defaults, such as `--mse-video-buffer-size-limit-mb=4`
 * @throws Error naming the paths tried when no Chromium is found
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const executablePath = process.env['DESKVM_CHROMIUM'] || CHROMIUM_PATHS.find((path) => existsSync(path));
  if (executablePath === undefined) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM_PATHS.join(', ')}. Run scripts/setup.sh test, or set DESKVM_CHROMIUM.`,
    );
  }

  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}
