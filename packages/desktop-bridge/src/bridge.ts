import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import { WebSocketServer, type WebSocket } from 'ws';

import { BridgeError } from './errors.js';
import type { FrameSourceFactory } from './frame-source.js';
import { handleHttpRequest, type RequestHandler } from './http-routes.js';
import { silentLogger, type Logger } from './logger.js';
import { originAllowed } from './origin.js';
import { StreamHub, type FrameRate } from './stream-hub.js';
import { presentedToken, STREAM_SUBPROTOCOL, tokenMatches } from './token.js';
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
  if (options.token.length < 16) {
    throw new BridgeError(
      'BRIDGE_ERR_INVALID_OPTION',
      `The token is ${options.token.length} characters long; use at least 16 random characters (generateToken() makes one).`,
    );
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
  });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? 65_536,
    handleProtocols: (offered) => (offered.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false),
  });
  const server = createServer((request, response) => handleHttpRequest(request, response, hub, options.handleRequest));

  let nextViewerId = 1;
  const acceptViewer = (socket: WebSocket, request: IncomingMessage): void => {
    const viewer = new Viewer(nextViewerId++, socket, options.maxBufferedBytes ?? 2 * 1024 * 1024);
    logger.info('viewer joined', { viewerId: viewer.id, remoteAddress: request.socket.remoteAddress });
    socket.on('message', () => {
      logger.debug('viewer message ignored: this protocol version takes none', { viewerId: viewer.id });
    });
    socket.on('error', (error) => logger.warn('viewer socket error', { viewerId: viewer.id, error: error.message }));
    socket.on('close', (code) => {
      hub.removeViewer(viewer);
      logger.info('viewer left', { viewerId: viewer.id, code, ...viewer.stats() });
    });
    hub.addViewer(viewer);
  };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const rejection = rejectUpgrade(request, options);
    if (rejection !== undefined) {
      logger.warn('stream connection rejected', { status: rejection.status, reason: rejection.reason });
      socket.end(`HTTP/1.1 ${rejection.status} ${rejection.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => acceptViewer(webSocket, request));
  });

  const port = await listen(server, host, options.port ?? 0);
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
  let closing: Promise<void> | undefined;

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
): { status: number; reason: string } | undefined {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path !== STREAM_PATH) {
    return { status: 404, reason: 'Not Found' };
  }
  if (!originAllowed(request, options.allowedOrigins ?? [])) {
    return { status: 403, reason: 'Forbidden' };
  }
  if (!tokenMatches(options.token, presentedToken(request))) {
    return { status: 401, reason: 'Unauthorized' };
  }
  return undefined;
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
