import { existsSync } from 'node:fs';

import { chromium, type Browser } from 'playwright-core';

/** Where Debian and Ubuntu install Chromium; DESKVM_CHROMIUM overrides. */
const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

/** Launches headless Chromium from the system packages; playwright cannot download its own browser here. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env['DESKVM_CHROMIUM'] ?? candidates.find((path) => existsSync(path));
  if (executablePath === undefined) {
    throw new Error(`Chromium was not found at ${candidates.join(', ')}. Run scripts/setup.sh test, or set DESKVM_CHROMIUM.`);
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
    ],
  });
}
