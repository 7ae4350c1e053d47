import { readFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from '@jest/globals';

import { NalUnitType, nalUnitType, parseSps, splitNalUnits, type ServerHello, type VideoMessage } from '@deskvm/stream-protocol';

import { startBridge, type Bridge } from '../src/bridge.js';
import type { FrameSource } from '../src/frame-source.js';
import { generateToken } from '../src/token.js';
import { caseFile, fileSource, VUI_REMOVED_CASE, type FileSourceLog } from './support/file-source.js';
import { closeCodeOf, connectViewer, rawRequestStatus, upgradeStatus } from './support/viewer-client.js';

const frameRate = { numerator: 30, denominator: 1 };

describe('startBridge', () => {
  let bridge: Bridge | undefined;
  const log: FileSourceLog = { started: 0, stopped: 0 };

  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
    log.started = 0;
    log.stopped = 0;
  });

  async function start(intervalMs = 10, extra: { idleStopMs?: number } = {}): Promise<{ bridge: Bridge; token: string }> {
    const token = generateToken();
    bridge = await startBridge({
      token,
      source: fileSource(caseFile('sps-pps-3sei-idr-no-aud-320x240.h264'), intervalMs, log),
      frameRate,
      ...extra,
    });
    return { bridge, token };
  }

  it('binds loopback by default', async () => {
    const { bridge } = await start();

    expect(bridge.host).toBe('127.0.0.1');
    expect(bridge.streamUrl).toBe(`ws://127.0.0.1:${bridge.port}/stream`);
  });

  it('rejects a short token', async () => {
    const promise = startBridge({ token: 'short', source: fileSource(caseFile('no-vui-320x240.h264'), 10, log), frameRate });

    await expect(promise).rejects.toMatchObject({ code: 'BRIDGE_ERR_INVALID_OPTION' });
  });

  it('rejects upgrades without the right token', async () => {
    const { bridge } = await start();

    expect(await closeCodeOf(bridge.streamUrl, ['deskvm.v1'])).toEqual({ code: 4001, reason: 'authentication failed' });
    expect((await closeCodeOf(bridge.streamUrl, ['deskvm.v2', `deskvm.token.${generateToken()}`])).code).toBe(4001);
    expect(await upgradeStatus(bridge.streamUrl, [], { authorization: 'Bearer wrong-token-wrong-token' })).toBe(401);
    expect(await upgradeStatus(bridge.streamUrl, [`deskvm.token.${generateToken()}`])).toBe(401);
  });

  it('rejects other paths and foreign origins', async () => {
    const { bridge, token } = await start();
    const protocols = ['deskvm.v1', `deskvm.token.${token}`];

    expect(await upgradeStatus(`ws://127.0.0.1:${bridge.port}/other`, protocols)).toBe(404);
    expect(await upgradeStatus(bridge.streamUrl, protocols, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(bridge.streamUrl, protocols, { origin: `http://127.0.0.1:${bridge.port}` })).toBe(101);
  });

  it('rejects a token offered without the stream protocol', async () => {
    const { bridge, token } = await start();

    expect(await upgradeStatus(bridge.streamUrl, [`deskvm.token.${token}`])).toBe(400);
  });

  it('accepts a bearer token', async () => {
    const { bridge, token } = await start();

    expect(await upgradeStatus(bridge.streamUrl, [], { authorization: `Bearer ${token}` })).toBe(101);
  });

  it('sends the hello, then a keyframe', async () => {
    const { bridge, token } = await start();

    const viewer = await connectViewer(bridge.streamUrl, token);
    const [hello, first] = await viewer.waitForMessages(2);

    expect(hello).toEqual({
      type: 'server-hello',
      version: 1,
      codec: expect.stringMatching(/^avc1\.[0-9a-f]{6}$/),
      width: 320,
      height: 240,
      frameRateNumerator: 30,
      frameRateDenominator: 1,
    } satisfies Record<keyof ServerHello, unknown>);
    expect(first).toMatchObject({ type: 'video', keyframe: true });
    viewer.socket.close();
  });

  it('replays the group of pictures to a late viewer', async () => {
    const { bridge, token } = await start(20);
    const early = await connectViewer(bridge.streamUrl, token);
    await early.waitForMessages(8);
    const groupStart = early.messages.filter((message): message is VideoMessage => message.type === 'video' && message.keyframe).at(-1);

    const late = await connectViewer(bridge.streamUrl, token);
    const [hello, first, second] = await late.waitForMessages(3);

    expect(hello?.type).toBe('server-hello');
    expect((first as VideoMessage).keyframe).toBe(true);
    expect((first as VideoMessage).timestampUs).toBe(groupStart?.timestampUs);
    expect((second as VideoMessage).keyframe).toBe(false);
    expect((second as VideoMessage).timestampUs).toBeGreaterThan((first as VideoMessage).timestampUs);
    early.socket.close();
    late.socket.close();
  });

  it('shares one pipeline among viewers', async () => {
    const { bridge, token } = await start();

    const viewers = await Promise.all([1, 2, 3].map(() => connectViewer(bridge.streamUrl, token)));
    await Promise.all(viewers.map((viewer) => viewer.waitForMessages(5)));

    expect(log.started).toBe(1);
    viewers.forEach((viewer) => viewer.socket.close());
  });

  it('stops the pipeline when idle', async () => {
    const { bridge, token } = await start(10, { idleStopMs: 50 });
    const viewer = await connectViewer(bridge.streamUrl, token);
    await viewer.waitForMessages(3);

    viewer.socket.close();
    await viewer.closed;
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(log.stopped).toBe(1);
  });

  it('closes viewers with 1001 on shutdown', async () => {
    const { bridge, token } = await start();
    const viewer = await connectViewer(bridge.streamUrl, token);
    await viewer.waitForMessages(2);

    await bridge.close();
    const code = await viewer.closed;

    expect(code).toBe(1001);
    expect(log.stopped).toBe(1);
  });

  it('serves health as JSON', async () => {
    const { bridge, token } = await start();
    const viewer = await connectViewer(bridge.streamUrl, token);
    await viewer.waitForMessages(3);

    const response = await fetch(`http://127.0.0.1:${bridge.port}/health`);
    const health = (await response.json()) as { status: string; viewers: unknown[]; pipeline: { running: boolean; accessUnits: number } };

    expect(response.headers.get('content-type')).toBe('application/json');
    expect(health.status).toBe('ok');
    expect(health.viewers).toHaveLength(1);
    expect(health.pipeline.running).toBe(true);
    expect(health.pipeline.accessUnits).toBeGreaterThanOrEqual(2);
    viewer.socket.close();
  });

  it('answers an invalid request target with 400', async () => {
    const { bridge } = await start();

    const status = await rawRequestStatus(bridge.port, `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\n\r\n`);
    const health = await fetch(`http://127.0.0.1:${bridge.port}/health`);

    expect(status).toBe(400);
    expect(health.status).toBe(200);
  });

  it('answers an invalid upgrade target with 400', async () => {
    const { bridge, token } = await start();
    const upgrade =
      `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${token}\r\n\r\n`;

    const status = await rawRequestStatus(bridge.port, upgrade);

    expect(status).toBe(400);
  });

  it('rejects a foreign Host header', async () => {
    const { bridge, token } = await start();
    const protocols = ['deskvm.v1', `deskvm.token.${token}`];
    const rebound = `rebound.example:${bridge.port}`;

    expect(await rawRequestStatus(bridge.port, `GET /health HTTP/1.1\r\nHost: ${rebound}\r\n\r\n`)).toBe(403);
    expect(await upgradeStatus(bridge.streamUrl, protocols, { host: rebound, origin: `http://${rebound}` })).toBe(403);
    expect(await upgradeStatus(bridge.streamUrl, protocols, { origin: `http://localhost:${bridge.port}` })).toBe(101);
  });

  it.each([
    ['a space', 'abcdefgh ijklmnop'],
    ['base64 padding and slashes', 'Zm9v+YmFy/YmF6cXV4cXV1eA=='],
    ['a newline', 'abcdefghijklmnop\n'],
  ])('rejects a token with %s', async (_name, token) => {
    const promise = startBridge({ token, source: fileSource(caseFile('no-vui-320x240.h264'), 10, log), frameRate });

    await expect(promise).rejects.toMatchObject({ code: 'BRIDGE_ERR_INVALID_OPTION' });
  });

  it('closes a viewer that arrives during shutdown', async () => {
    const { bridge, token } = await start();
    const first = await connectViewer(bridge.streamUrl, token);
    await first.waitForMessages(2);

    const closing = bridge.close();
    const status = await upgradeStatus(bridge.streamUrl, ['deskvm.v1', `deskvm.token.${token}`]);
    await closing;

    expect([0, 503]).toContain(status);
    expect(await first.closed).toBe(1001);
  });

  it('adds a bitstream restriction to the SPS', async () => {
    const token = generateToken();
    const firstSps = (data: Uint8Array): Uint8Array => splitNalUnits(data).find((nalUnit) => nalUnitType(nalUnit) === NalUnitType.Sps)!;
    bridge = await startBridge({ token, source: fileSource(VUI_REMOVED_CASE, 10, log), frameRate });

    const viewer = await connectViewer(bridge.streamUrl, token);
    const [, keyframe] = await viewer.waitForMessages(2);
    const sps = firstSps((keyframe as VideoMessage).data);
    const restriction = parseSps(sps).vui?.bitstreamRestriction;

    expect(parseSps(firstSps(readFileSync(VUI_REMOVED_CASE))).vuiParametersPresent).toBe(false);
    expect(restriction?.maxNumReorderFrames).toBe(0);
    expect(restriction?.maxDecFrameBuffering).toBe(Math.max(1, parseSps(sps).maxNumRefFrames));
    viewer.socket.close();
  });

  it('stops restarting once closed', async () => {
    const token = generateToken();
    let starts = 0;
    const failingSource = (): FrameSource => {
      starts += 1;
      return {
        frames: async function* () {
          yield* [];
          throw new Error('encoder crashed');
        },
        stop: async () => undefined,
      };
    };
    bridge = await startBridge({ token, source: failingSource, frameRate });
    const viewer = await connectViewer(bridge.streamUrl, token);
    await new Promise((resolve) => setTimeout(resolve, 100));

    await bridge.close();
    await viewer.closed;
    await new Promise((resolve) => setTimeout(resolve, 800));

    expect(starts).toBe(1);
  });

  it('survives a source factory that throws', async () => {
    const token = generateToken();
    let starts = 0;
    const throwingFactory = (): FrameSource => {
      starts += 1;
      throw new Error('no encoder');
    };
    bridge = await startBridge({ token, source: throwingFactory, frameRate });

    const viewer = await connectViewer(bridge.streamUrl, token);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const health = await fetch(`http://127.0.0.1:${bridge.port}/health`);

    expect(starts).toBe(2);
    expect(health.status).toBe(200);
    viewer.socket.close();
  });
});
