import type { IncomingMessage, ServerResponse } from 'node:http';

import { requestPath } from './request-path.js';
import type { StreamHub } from './stream-hub.js';

/**
 * Handles a request the bridge does not serve itself, such as a viewer page. `path` is the parsed path of the
 * request target. Returns true when it sent a response.
 */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse, path: string) => boolean;

/** Serves `GET /health`, then the caller's handler, then 404. */
export function handleHttpRequest(
  request: IncomingMessage,
  response: ServerResponse,
  hub: StreamHub,
  fallback: RequestHandler | undefined,
): void {
  const path = requestPath(request.url);
  if (path === undefined) {
    response.writeHead(400, { 'content-type': 'text/plain' });
    response.end('Bad request: the request target is not a valid URL path.\n');
    return;
  }

  if (path === '/health' && (request.method === 'GET' || request.method === 'HEAD')) {
    const body = JSON.stringify({ status: 'ok', viewers: hub.viewerStats(), pipeline: hub.pipelineStats() });
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
    return;
  }

  if (fallback?.(request, response, path)) {
    return;
  }

  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end(`Not found: ${path}\n`);
}
