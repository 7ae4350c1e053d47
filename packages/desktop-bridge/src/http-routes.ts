import type { IncomingMessage, ServerResponse } from 'node:http';

import type { StreamHub } from './stream-hub.js';

/**
 * Handles a request the bridge does not serve itself, such as a viewer page. Returns true when it sent a response.
 */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/** Serves `GET /health`, then the caller's handler, then 404. */
export function handleHttpRequest(
  request: IncomingMessage,
  response: ServerResponse,
  hub: StreamHub,
  fallback: RequestHandler | undefined,
): void {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/health' && (request.method === 'GET' || request.method === 'HEAD')) {
    const body = JSON.stringify({ status: 'ok', viewers: hub.viewerStats(), pipeline: hub.pipelineStats() });
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
    return;
  }

  if (fallback?.(request, response)) {
    return;
  }

  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end(`Not found: ${path}\n`);
}
