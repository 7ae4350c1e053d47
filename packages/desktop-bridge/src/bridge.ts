import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import { WebSocketServer, type WebSocket } from 'ws';

import { BridgeError } from './errors.js';
import type { FrameSourceFactory } from './frame-source.js';
import { handleHttpRequest, type RequestHandler } from './http-routes.js';
import { silentLogger, type Logger } from './logger.js';
import { RequestGuard } from './origin.js';
import type { FrameRate } from './stream-configuration.js';
import { StreamHub } from './stream-hub.js';
import { requestPath } from './request-path.js';
import { presentedToken, STREAM_SUBPROTOCOL, tokenMatches, tokenProblem } from './token.js';
import { Viewer } from './viewer.js';

/** WebSocket close code sent to viewers when the bridge shuts down (1001, "going away"). */
export const CLOSE_GOING_AWAY = 1001;

/** Path of the WebSocket stream endpoint. */
export const STREAM_PATH = '/stream';

/** Settings of {@link startBridge}. */
export interface BridgeOptions {
  /** Session token that viewers must present; at least 16 characters. Never logged. */
  readonly token: string;
  /** Starts the encoder, for example {@link gstreamerSource}. */
  readonly source: FrameSourceFactory;
  /** Frame rate announced to viewers. */
  readonly frameRate: FrameRate;
  /** Address to listen on. Default '127.0.0.1'; anything else exposes the desktop to the network. */
  readonly host?: string;
  /** TCP port; default 0, which picks a free port. */
  readonly port?: number;
  /** Origins allowed to open the stream besides the bridge's own, as `scheme://host:port`. Default none. */
  readonly allowedOrigins?: readonly string[];
  /** Send-buffer size per viewer above which it skips to the next keyframe, in bytes. Default 2 MiB. */
  readonly maxBufferedBytes?: number;
  /** Largest message accepted from a viewer, in bytes. Default 65536. */
  readonly maxMessageBytes?: number;
  /** How long the pipeline keeps running after the last viewer left, in milliseconds. Default 60000. */
  readonly idleStopMs?: number;
  /**
   * Whether to add `bitstream_restriction_flag` with `max_num_reorder_frames` 0 to each SPS, so browsers show frames
   * without waiting. Default true; set false for a source that encodes B-frames.
   */
  readonly rewriteSps?: boolean;
  /** Serves requests the bridge does not handle itself, such as a viewer page. */
  readonly handleRequest?: RequestHandler;
  /** Receives starts, stops, viewer joins and leaves, restarts and errors. Default: silent. */
  readonly logger?: Logger;
}

/** A running bridge. */
export interface Bridge {
  /** The address it listens on. */
  readonly host: string;
  /** The TCP port it listens on. */
  readonly port: number;
  /** The WebSocket URL of the stream, without the token. */
  readonly streamUrl: string;
  /** Closes every viewer, stops the pipeline and the server, and resolves when all are gone. */
  close(): Promise<void>;
}

/** Starts the bridge: `GET /health` and the WebSocket stream at {@link STREAM_PATH}, guarded by the token. */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const problem = tokenProblem(options.token);
  if (problem !== undefined) {
    throw new BridgeError('BRIDGE_ERR_INVALID_OPTION', `${problem} generateToken() makes a valid one.`);
  }

  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const hub = new StreamHub({
    startSource: options.source,
    frameRate: options.frameRate,
    logger,
    idleStopMs: options.idleStopMs ?? 60_000,
    restartDelayMs: 500,
    maxRestartDelayMs: 10_000,
    rewriteSps: options.rewriteSps ?? true,
  });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? 65_536,
    handleProtocols: (offered) => (offered.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false),
  });
  let closing: Promise<void> | undefined;
  const server = createServer();

  let nextViewerId = 1;
  const acceptViewer = (socket: WebSocket, request: IncomingMessage): void => {
    const viewer = new Viewer(nextViewerId++, socket, options.maxBufferedBytes ?? 2 * 1024 * 1024);
    logger.info('viewer joined', { viewerId: viewer.id, remoteAddress: request.socket.remoteAddress });
    let ignoredMessages = 0;
    socket.on('message', () => {
      ignoredMessages += 1;
      if (isLogWorthy(ignoredMessages)) {
        logger.debug('viewer messages ignored: this protocol version takes none', { viewerId: viewer.id, ignoredMessages });
      }
    });
    socket.on('error', (error) => logger.warn('viewer socket error', { viewerId: viewer.id, error: error.message }));
    socket.on('close', (code) => {
      hub.removeViewer(viewer);
      logger.info('viewer left', { viewerId: viewer.id, code, ...viewer.stats() });
    });
    if (!hub.addViewer(viewer)) {
      viewer.close(CLOSE_GOING_AWAY, 'server shutdown');
    }
  };

  // Handlers are attached after listen() because the guard needs the port. No request can arrive in between,
  // because the event loop does not run until this function yields.
  const port = await listen(server, host, options.port ?? 0);
  const guard = new RequestGuard(host, port, options.allowedOrigins ?? []);
  let rejections = 0;
  const logRejection = (message: string, fields: Record<string, unknown>): void => {
    rejections += 1;
    if (isLogWorthy(rejections)) {
      logger.warn(message, { ...fields, rejections });
    }
  };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!guard.hostAllowed(request)) {
      logRejection('request rejected: unknown Host header', { host: request.headers.host });
      response.writeHead(403, { 'content-type': 'text/plain' });
      response.end('Forbidden: the Host header does not name this server.\n');
      return;
    }
    handleHttpRequest(request, response, hub, options.handleRequest);
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const rejection = closing !== undefined ? { status: 503, reason: 'Service Unavailable' } : rejectUpgrade(request, options, guard);
    if (rejection !== undefined) {
      logRejection('stream connection rejected', { status: rejection.status, reason: rejection.reason });
      socket.end(`HTTP/1.1 ${rejection.status} ${rejection.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => acceptViewer(webSocket, request));
  });

  logger.info('bridge started', { host, port });

  const close = async (): Promise<void> => {
    const closed = [...sockets.clients].map(
      (client) => new Promise<void>((resolve) => client.once('close', () => resolve())),
    );
    for (const client of sockets.clients) {
      client.close(CLOSE_GOING_AWAY, 'server shutdown');
    }
    await hub.close();

    // A viewer that does not complete the close handshake within a second is terminated.
    const grace = setTimeout(() => sockets.clients.forEach((client) => client.terminate()), 1000);
    await Promise.all(closed);
    clearTimeout(grace);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    logger.info('bridge stopped', { host, port });
  };

  return {
    host,
    port,
    streamUrl: `ws://${formatHost(host)}:${port}${STREAM_PATH}`,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

function rejectUpgrade(
  request: IncomingMessage,
  options: BridgeOptions,
  guard: RequestGuard,
): { status: number; reason: string } | undefined {
  const path = requestPath(request.url);
  if (path === undefined) {
    return { status: 400, reason: 'Bad Request' };
  }
  if (path !== STREAM_PATH) {
    return { status: 404, reason: 'Not Found' };
  }
  if (!guard.hostAllowed(request) || !guard.originAllowed(request)) {
    return { status: 403, reason: 'Forbidden' };
  }
  if (!tokenMatches(options.token, presentedToken(request))) {
    return { status: 401, reason: 'Unauthorized' };
  }
  if (request.headers['sec-websocket-protocol'] !== undefined && !offersStreamProtocol(request)) {
    // A client that offers subprotocols must offer ours, or it would fail only after the 101 response.
    return { status: 400, reason: 'Bad Request' };
  }
  return undefined;
}

/** True for the 1st, 10th, 100th, ... occurrence, so a flood of the same event cannot flood the log. */
function isLogWorthy(count: number): boolean {
  return Number.isInteger(Math.log10(count));
}

function offersStreamProtocol(request: IncomingMessage): boolean {
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((item) => item.trim());
  return offered.includes(STREAM_SUBPROTOCOL);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new BridgeError('BRIDGE_ERR_LISTEN_FAILED', `Could not listen on ${host}:${port}: ${error.message}. Pick another port.`, {
          cause: error,
        }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
