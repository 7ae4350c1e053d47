import type { AddressInfo } from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { encodeMessage, PROTOCOL_VERSION, type ServerHello } from '@deskvm/stream-protocol';
import { WebSocket as NodeWebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';

import { StreamClientError } from '../errors.js';
import { StreamConnection, type WebSocketConstructor } from './stream-connection.js';

const HELLO: ServerHello = {
  type: 'server-hello',
  version: PROTOCOL_VERSION,
  codec: 'avc1.42c01f',
  width: 1280,
  height: 720,
  frameRateNumerator: 60,
  frameRateDenominator: 1,
};

interface Upgrade {
  socket: ServerSocket;
  protocols: string[];
  path: string;
}

let server: WebSocketServer;
let upgrades: Promise<Upgrade>;
let url: string;

beforeEach(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'deskvm.v1' });
  upgrades = new Promise((resolve) => {
    server.once('connection', (socket, request) => {
      const protocols = String(request.headers['sec-websocket-protocol']).split(/,\s*/);
      resolve({ socket, protocols, path: request.url ?? '' });
    });
  });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
});

afterEach(async () => {
  for (const client of server.clients) {
    client.terminate();
  }
  await new Promise((resolve) => server.close(resolve));
});

function connect(token = 'token-1234'): StreamConnection {
  return new StreamConnection({ url, token, WebSocket: NodeWebSocket as unknown as WebSocketConstructor });
}

function nextEvent<T>(target: EventTarget, type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) => target.addEventListener(type, (event) => resolve(event as CustomEvent<T>), { once: true }));
}

describe('StreamConnection', () => {
  it('sends the token as a subprotocol', async () => {
    const connection = connect();

    const upgrade = await upgrades;

    expect(upgrade.protocols).toEqual(['deskvm.v2', 'deskvm.v1', 'deskvm.token.token-1234']);
    expect(upgrade.path).toBe('/stream');
    connection.close();
  });

  it('reports the open state', async () => {
    const connection = connect();

    const state = await nextEvent<string>(connection, 'statechange');

    expect(state.detail).toBe('open');
    expect(connection.state).toBe('open');
    connection.close();
  });

  it('decodes a server hello', async () => {
    const connection = connect();
    const message = nextEvent<ServerHello>(connection, 'message');

    (await upgrades).socket.send(encodeMessage(HELLO));

    expect((await message).detail).toEqual(HELLO);
    connection.close();
  });

  it('reports an invalid message', async () => {
    const connection = connect();
    const error = nextEvent<StreamClientError>(connection, 'error');

    (await upgrades).socket.send(Uint8Array.of(0x7f, 0x00));

    expect((await error).detail.code).toBe('CLIENT_ERR_INVALID_MESSAGE');
    connection.close();
  });

  it('reports the close code', async () => {
    const connection = connect();
    const close = nextEvent<{ code: number; reason: string }>(connection, 'close');
    const error = nextEvent<StreamClientError>(connection, 'error');

    (await upgrades).socket.close(4001, 'invalid token');

    expect((await close).detail.code).toBe(4001);
    expect((await close).detail.reason).toBe('invalid token');
    expect((await error).detail.code).toBe('CLIENT_ERR_AUTH_FAILED');
    expect(connection.state).toBe('closed');
  });

  it('reports an abnormal close', async () => {
    const connection = connect();
    const error = nextEvent<StreamClientError>(connection, 'error');

    (await upgrades).socket.close(4999, 'other');

    expect((await error).detail.code).toBe('CLIENT_ERR_CONNECTION_CLOSED');
    expect((await error).detail.message).toContain('close code 4999, reason "other"');
  });

  it('skips an invalid client message', async () => {
    const connection = connect();
    const upgrade = await upgrades;
    upgrade.socket.send(encodeMessage({ type: 'hello', version: 2, capabilities: 0, maxMessageBytes: 1024, serverTimeUs: 0n }));
    await nextEvent(connection, 'message');

    const sent = connection.send({ type: 'resize-request', width: 0, height: 720 });

    expect(sent).toBe(false);
    expect(connection.send({ type: 'keyframe-request' })).toBe(true);
    connection.close();
  });

  it('closes normally without an error', async () => {
    const connection = connect();
    let errors = 0;
    connection.addEventListener('error', () => (errors += 1));
    await upgrades;
    await nextEvent(connection, 'statechange');

    connection.close();
    const close = await nextEvent<{ code: number }>(connection, 'close');

    expect(close.detail.code).toBe(1000);
    expect(errors).toBe(0);
  });

  it('rejects a token with spaces', () => {
    let error: StreamClientError | undefined;

    try {
      connect('secret value');
    } catch (caught) {
      error = caught as StreamClientError;
    }

    expect(error?.code).toBe('CLIENT_ERR_INVALID_OPTION');
    expect(error?.message).not.toContain('secret');
  });

  it('rejects an http URL', () => {
    const create = () => new StreamConnection({ url: 'http://127.0.0.1:1/stream', token: 'abc' });

    expect(create).toThrow(expect.objectContaining({ code: 'CLIENT_ERR_INVALID_OPTION' }));
  });
});
