import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import { CloseCode, LATEST_PROTOCOL_VERSION, encodeMessage } from '@deskvm/stream-protocol';
import { WebSocketServer, type WebSocket } from 'ws';

import { DEFAULT_MAX_MESSAGE_BYTES, type BridgeOptions } from './bridge-options.js';
import { ClientMessageHandler, type ClientContext } from './client-messages.js';
import { DesktopSession } from './desktop-session.js';
import { BridgeError } from './errors.js';
import { handleHttpRequest } from './http-routes.js';
import { silentLogger } from './logger.js';
import { RequestGuard } from './origin.js';
import { StreamHub } from './stream-hub.js';
import { tokenProblem } from './token.js';
import { sendStats } from './stats-broadcast.js';
import { STREAM_PATH, decideUpgrade, type UpgradeDecision } from './upgrade-policy.js';
import { Viewer } from './viewer.js';
import { ViewerRegistry } from './viewer-registry.js';

export { STREAM_PATH } from './upgrade-policy.js';
export type { BridgeOptions } from './bridge-options.js';

/** WebSocket close code sent to viewers when the bridge shuts down (1001, "going away"). */
export const CLOSE_GOING_AWAY = CloseCode.ServerShutdown;

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
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const hub = new StreamHub({
    startSource: options.source,
    frameRate: options.frameRate,
    logger,
    idleStopMs: options.idleStopMs ?? 60_000,
    restartDelayMs: options.restartDelayMs ?? 500,
    maxRestartDelayMs: options.maxRestartDelayMs ?? 10_000,
    stallTimeoutMs: options.stallTimeoutMs ?? 10_000,
    circuitFailures: options.circuitFailures ?? 5,
    circuitWindowMs: options.circuitWindowMs ?? 60_000,
    circuitOpenMs: options.circuitOpenMs ?? 30_000,
    rewriteSps: options.rewriteSps ?? true,
  });
  const desktop = new DesktopSession(options.desktop, hub, logger);
  const registry = new ViewerRegistry(logger);
  const decisions = new WeakMap<IncomingMessage, UpgradeDecision>();
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxMessageBytes,
    handleProtocols: (_offered, request) => {
      const decision = decisions.get(request);

      return decision?.kind === 'close' ? decision.protocol : (decision?.kind === 'accept' && decision.protocol) || false;
    },
  });
  const context: ClientContext = {
    hub,
    desktop: options.desktop,
    logger,
    limits: {
      maxMessageBytes,
      inputPerSecond: options.inputPerSecond ?? 1000,
      pingsPerSecond: options.pingsPerSecond ?? 20,
      keyframeIntervalMs: options.keyframeIntervalMs ?? 1000,
    },
    claimClientId: (viewer, clientId) => registry.claim(viewer, clientId),
    resize: (viewer, width, height) => desktop.resize(viewer, width, height),
    toDesktop: (x, y) => desktop.toDesktop(x, y, hub.configurationSize),
  };
  let closing: Promise<void> | undefined;
  const server = createServer();
  let nextViewerId = 1;

  const acceptViewer = (socket: WebSocket, request: IncomingMessage, version: number): void => {
    const limits = {
      maxBufferedBytes: options.maxBufferedBytes ?? 2 * 1024 * 1024,
      maxControlBacklogBytes: options.maxControlBacklogBytes ?? 2 * 1024 * 1024,
    };
    const viewer = new Viewer(nextViewerId++, version, socket, limits, logger);
    const handler = new ClientMessageHandler(viewer, context);

    logger.info('viewer joined', { viewerId: viewer.id, version, remoteAddress: request.socket.remoteAddress });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (version >= 2) {
        handler.handle(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), isBinary);
      }
    });
    socket.on('error', (error) => logger.warn('viewer socket error', { viewerId: viewer.id, error: error.message }));
    socket.on('close', (code) => {
      hub.removeViewer(viewer);
      registry.release(viewer);
      logger.info('viewer left', { viewerId: viewer.id, code, ...viewer.stats(), ...handler.stats() });
    });

    if (version >= 2) {
      viewer.sendControl(
        encodeMessage({
          type: 'hello',
          version: LATEST_PROTOCOL_VERSION,
          capabilities: desktop.capabilities(),
          maxMessageBytes,
          serverTimeUs: BigInt(Date.now()) * 1000n,
        }),
      );
    }

    if (!hub.addViewer(viewer)) {
      viewer.close(CLOSE_GOING_AWAY, 'server shutdown');
      return;
    }

    desktop.welcome(viewer);
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
    const decision: UpgradeDecision =
      closing !== undefined
        ? { kind: 'reject', status: 503, reason: 'Service Unavailable' }
        : decideUpgrade(request, options.token, guard);

    if (decision.kind === 'reject') {
      logRejection('stream connection rejected', { status: decision.status, reason: decision.reason });
      socket.end(`HTTP/1.1 ${decision.status} ${decision.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }

    decisions.set(request, decision);
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      if (decision.kind === 'close') {
        logRejection('stream connection closed', { code: decision.code, reason: decision.reason });
        webSocket.close(decision.code, decision.reason);
        return;
      }

      acceptViewer(webSocket, request, decision.version);
    });
  });

  const statsTimer = setInterval(() => sendStats(hub), options.statsIntervalMs ?? 1000);

  statsTimer.unref();
  logger.info('bridge started', { host, port });

  const close = async (): Promise<void> => {
    clearInterval(statsTimer);

    const closed = [...sockets.clients].map(
      (client) => new Promise<void>((resolve) => client.once('close', () => resolve())),
    );

    for (const client of sockets.clients) {
      client.close(CLOSE_GOING_AWAY, 'server shutdown');
    }

    await hub.close();
    await desktop.close();

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

/** True for the 1st, 10th, 100th, ... occurrence, so a flood of the same event cannot flood the log. */
function isLogWorthy(count: number): boolean {
  return Number.isInteger(Math.log10(count));
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
