import type { AddressInfo } from 'node:net';

import {
  Capability,
  CloseCode,
  codecString,
  decodeClientMessage,
  encodeMessage,
  parseSps,
  splitAccessUnits,
  toAnnexB,
  type AccessUnit,
  type ClientMessage,
  type ServerMessage,
} from '@deskvm/stream-protocol';
import { WebSocketServer, type WebSocket } from 'ws';

import { readCaseFile } from './cases.js';

/**
 * What one connection of the fake bridge does, read from the query string of the stream URL:
 * - `case`: the case file to stream, looped (default `res-change-320x240-to-240x320.h264`);
 * - `fps`: frames per second (default 30);
 * - `frames`: how many access units to send in all (default one pass over the file);
 * - `start`: index in the looped sequence of the first live access unit (default 0). The group of pictures before it
 *   goes out at once first, as the bridge replays it to a viewer that joins mid-stream;
 * - `terminate`: drop the first connection to this URL without a close frame after this many access units, for
 *   reconnect tests;
 * - `jumpAt` and `jumpUs`: add `jumpUs` (may be negative) to every timestamp from access unit `jumpAt` on;
 * - `version`: 1 for a version 1 session (server hello only), default 2;
 * - `clipboard`: text of a server clipboard message sent after the configuration;
 * - `corruptAt`: overwrite the slice data of the access unit with this index with 0xff bytes, which Chromium's
 *   decoder reports as a decode error;
 * - `mediaClock`: with `1`, timestamps advance by one frame interval of `fps` per access unit however fast they are
 *   sent, and `sendFps` sets the send rate, so a test can push minutes of media in seconds.
 *
 * Otherwise timestamps are the send time in microseconds since the Unix epoch, the clock of the pongs, so the player
 * can compute latency. Pings get pongs; every client message is recorded in `received`.
 */
export interface FakeBridge {
  url: string;
  /** Decoded client messages, per connection in order. */
  received: ClientMessage[][];
  /** `Date.now()` at each connection, in order. */
  connectedAt: number[];
  close(): Promise<void>;
}

/** Starts a fake bridge on 127.0.0.1 that accepts `token` and closes others with `CloseCode.AuthFailed`. */
export async function startFakeBridge(token: string): Promise<FakeBridge> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('deskvm.v2') ? 'deskvm.v2' : 'deskvm.v1'),
  });
  await new Promise((resolve) => server.once('listening', resolve));

  const received: ClientMessage[][] = [];
  const connectedAt: number[] = [];
  const connectionsPerUrl = new Map<string, number>();
  server.on('connection', (socket, request) => {
    const connectionNumber = (connectionsPerUrl.get(request.url ?? '') ?? 0) + 1;
    connectionsPerUrl.set(request.url ?? '', connectionNumber);
    const messages: ClientMessage[] = [];
    received.push(messages);
    connectedAt.push(Date.now());
    const protocols = String(request.headers['sec-websocket-protocol']).split(/,\s*/);
    if (!protocols.includes(`deskvm.token.${token}`)) {
      socket.close(CloseCode.AuthFailed, 'invalid token');
      return;
    }

    socket.on('message', (data: Buffer) => {
      const message = decodeClientMessage(new Uint8Array(data));
      messages.push(message);
      if (message.type === 'ping') {
        send(socket, { type: 'pong', id: message.id, clientTimeUs: message.clientTimeUs, serverTimeUs: nowUs(), encoderLatencyUs: 5000 });
      }
    });
    void stream(socket, new URL(request.url ?? '/', 'http://127.0.0.1').searchParams, connectionNumber);
  });

  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`,
    received,
    connectedAt,
    close: async () => {
      for (const client of server.clients) {
        client.terminate();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function nowUs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

// Keeps each slice's NAL header byte and fills the rest with 0xff.
function corrupted(accessUnit: AccessUnit): AccessUnit {
  const nalUnits = accessUnit.nalUnits.map((nalUnit) => {
    const type = nalUnit[0]! & 0x1f;
    return type === 1 || type === 5 ? nalUnit.slice().fill(0xff, 1) : nalUnit;
  });
  return { ...accessUnit, nalUnits };
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) {
    socket.send(encodeMessage(message));
  }
}

async function stream(socket: WebSocket, query: URLSearchParams, connectionNumber: number): Promise<void> {
  const accessUnits = splitAccessUnits(await readCaseFile(query.get('case') ?? 'res-change-320x240-to-240x320.h264'));
  const fps = Number(query.get('fps') ?? 30);
  const total = Number(query.get('frames') ?? accessUnits.length);
  const start = Number(query.get('start') ?? 0);
  const terminateAfter = query.has('terminate') && connectionNumber === 1 ? Number(query.get('terminate')) : Infinity;
  const jumpAt = Number(query.get('jumpAt') ?? Infinity);
  const jumpUs = BigInt(query.get('jumpUs') ?? 0);
  const corruptAt = Number(query.get('corruptAt') ?? -1);
  const mediaClock = query.get('mediaClock') === '1';
  const sendFps = Number(query.get('sendFps') ?? fps);
  const firstTimestampUs = nowUs();

  const sps = parseSps(accessUnits[0]!.nalUnits.find((nalUnit) => (nalUnit[0]! & 0x1f) === 7)!);
  const configuration = {
    codec: codecString(sps),
    width: sps.width,
    height: sps.height,
    frameRateNumerator: fps,
    frameRateDenominator: 1,
  };
  if (query.get('version') === '1') {
    send(socket, { type: 'server-hello', version: 1, ...configuration });
  } else {
    const capabilities = Capability.Input | Capability.Clipboard | Capability.Resize;
    send(socket, { type: 'hello', version: 2, capabilities, maxMessageBytes: 2 ** 20, serverTimeUs: nowUs() });
    send(socket, { type: 'configuration', ...configuration, codedWidth: sps.codedWidth, codedHeight: sps.codedHeight });
  }
  if (query.has('clipboard')) {
    send(socket, { type: 'server-clipboard', text: query.get('clipboard') ?? '' });
  }

  const at = (index: number) => accessUnits[index % accessUnits.length]!;
  let keyframe = start;
  while (keyframe > 0 && !at(keyframe).keyframe) {
    keyframe -= 1;
  }

  const startedAt = performance.now();
  for (let index = keyframe; index < start + total; index += 1) {
    if (socket.readyState !== socket.OPEN) {
      return;
    }
    if (index - start >= terminateAfter) {
      socket.terminate();
      return;
    }

    const jump = index >= jumpAt ? jumpUs : 0n;
    const accessUnit = index === corruptAt ? corrupted(at(index)) : at(index);
    const timestampUs = mediaClock ? firstTimestampUs + BigInt(Math.round(((index - keyframe) * 1e6) / fps)) : nowUs();
    send(socket, { type: 'video', keyframe: accessUnit.keyframe, timestampUs: timestampUs + jump, data: toAnnexB(accessUnit.nalUnits) });

    // The replayed group of pictures goes out at once; live access units follow the frame rate.
    if (index >= start) {
      const nextAt = startedAt + ((index - start + 1) * 1000) / sendFps;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextAt - performance.now())));
    }
  }
}
