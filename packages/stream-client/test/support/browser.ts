import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

import { launchChromium } from '@deskvm/testing';
import type { Browser } from 'playwright-core';

export { launchChromium };

/**
 * Launches headless Chromium with the SourceBuffer video quota set to `megabytes` (Chromium's
 * `--mse-video-buffer-size-limit-mb`), so a test reaches QuotaExceededError in seconds.
 */
export async function launchChromiumWithMseLimit(megabytes: number): Promise<Browser> {
  return launchChromium([`--mse-video-buffer-size-limit-mb=${megabytes}`]);
}

/** Bundles a page entry (a path relative to the package folder) for the browser, from TypeScript sources. */
export async function bundlePage(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../../${entry}`, import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@deskvm/source'],
    write: false,
    logLevel: 'silent',
  });

  return result.outputFiles[0]!.text;
}

/** A static HTTP server on 127.0.0.1 and a random port. */
export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `files` (path to content) and a blank page at `/` that loads `/page.js` as a module. */
export async function startStaticServer(files: Map<string, { type: string; body: string | Uint8Array }>): Promise<StaticServer> {
  const html = '<!doctype html><html><body><script type="module" src="/page.js"></script></body></html>';
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = path === '/' ? { type: 'text/html', body: html } : files.get(path);

    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }

    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
