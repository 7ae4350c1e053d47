import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';

import type { RequestHandler } from '@deskvm/desktop-bridge';

import { CliError } from '../errors.js';

interface Asset {
  readonly contentType: string;
  readonly body: Buffer;
}

const securityHeaders = {
  // media-src blob: lets MediaSource attach its object URL to the video element. frame-ancestors 'none' keeps other
  // sites from framing the page, and X-Frame-Options does the same for browsers without CSP level 2.
  'content-security-policy':
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; media-src blob:; " +
    "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * Creates the handler of the viewer page: `/` (the page), `/viewer.css`, `/viewer.js` (reads the token from the
 * URL fragment, which browsers never send to a server) and `/deskvm-player.js` (the stream-client bundle).
 * Every file is read once, at start, so a missing build fails here and not on the first request.
 * The files are looked up in two layouts: first a `viewer/` folder next to this module (the in-sandbox bundle
 * dist/desktop/deskvm-desktop.mjs), then the workspace (apps/cli/assets and the @deskvm/stream-client package).
 */
export function createViewerSite(): RequestHandler {
  const bundled = new URL('viewer/', import.meta.url);
  const assetsFolder = existsSync(new URL('viewer.html', bundled)) ? bundled : new URL('../../assets/', import.meta.url);
  const playerBundle = assetsFolder === bundled ? new URL('deskvm-player.js', bundled) : playerBundlePath();
  const assets = new Map<string, Asset>([
    ['/', loadAsset(new URL('viewer.html', assetsFolder), 'text/html; charset=utf-8')],
    ['/viewer.css', loadAsset(new URL('viewer.css', assetsFolder), 'text/css; charset=utf-8')],
    ['/viewer.js', loadAsset(new URL('viewer.js', assetsFolder), 'text/javascript; charset=utf-8')],
    ['/deskvm-player.js', loadAsset(playerBundle, 'text/javascript; charset=utf-8')],
  ]);

  return (request: IncomingMessage, response: ServerResponse, path: string): boolean => {
    if (path === '/favicon.ico') {
      response.writeHead(204, securityHeaders);
      response.end();
      return true;
    }

    const asset = assets.get(path);
    if (asset === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return false;
    }

    response.writeHead(200, { 'content-type': asset.contentType, ...securityHeaders });
    response.end(request.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}

function playerBundlePath(): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve('@deskvm/stream-client/browser');
  } catch (error) {
    throw new CliError(
      'CLI_ERR_ASSET_MISSING',
      'The player bundle of @deskvm/stream-client was not found. Build the workspace first: npm run build.',
      { cause: error },
    );
  }
}

function loadAsset(location: URL | string, contentType: string): Asset {
  try {
    return { contentType, body: readFileSync(location) };
  } catch (error) {
    throw new CliError(
      'CLI_ERR_ASSET_MISSING',
      `The viewer file ${String(location)} could not be read. Build the workspace first: npm run build.`,
      { cause: error },
    );
  }
}
