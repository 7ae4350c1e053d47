import { connect } from 'node:net';

import { decodeMessage, type StreamMessage } from '@deskvm/stream-protocol';
import WebSocket from 'ws';

import { STREAM_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../../src/token.js';

/** A test viewer that records every decoded message it receives. */
export interface TestViewer {
  readonly socket: WebSocket;
  readonly messages: StreamMessage[];
  /** Resolves once `count` messages have arrived. */
  waitForMessages(count: number, timeoutMs?: number): Promise<StreamMessage[]>;
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
}

/** Opens the stream the way browsers do: the token in a subprotocol next to `deskvm.v1`. */
export async function connectViewer(streamUrl: string, token: string, headers: Record<string, string> = {}): Promise<TestViewer> {
  const socket = new WebSocket(streamUrl, [STREAM_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`], { headers });
  return recordViewer(socket);
}

/** Opens the stream offering versions 2 and 1, as a version 2 player does; the server selects version 2. */
export async function connectViewerV2(streamUrl: string, token: string): Promise<TestViewer> {
  const socket = new WebSocket(streamUrl, ['deskvm.v2', 'deskvm.v1', `${TOKEN_SUBPROTOCOL_PREFIX}${token}`]);
  return recordViewer(socket);
}

/** Connects with `protocols` and returns the close code the server sends, or the HTTP status of a rejected upgrade. */
export async function closeCodeOf(url: string, protocols: string[]): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, protocols);
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ code: response.statusCode ?? 0, reason: 'http' });
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

/** Wraps a socket that is connecting, and resolves when it is open. */
export async function recordViewer(socket: WebSocket): Promise<TestViewer> {
  const messages: StreamMessage[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data: Buffer) => {
    messages.push(decodeMessage(new Uint8Array(data)));
    for (const waiter of waiters.splice(0)) {
      waiter();
    }
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  return {
    socket,
    messages,
    closed,
    waitForMessages: async (count, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`Received ${messages.length} of ${count} messages within ${timeoutMs} ms.`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return messages.slice(0, count);
    },
  };
}

/** Returns the HTTP status of a rejected upgrade, or 101 when the upgrade succeeded. */
export async function upgradeStatus(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, protocols, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', () => resolve(0));
  });
}

/** Sends raw bytes to the server, which no HTTP client would send, and returns the status code of the response. */
export async function rawRequestStatus(port: number, request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let response = '';
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response);
      if (status !== null) {
        resolve(Number(status[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(0));
  });
}
