import { readFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from '@jest/globals';

import {
  Capability,
  ErrorCode,
  MAX_CLIPBOARD_BYTES,
  encodeMessage,
  splitAccessUnits,
  toAnnexB,
  type ErrorMessage,
  type Hello,
  type StreamMessage,
  type VideoMessage,
} from '@deskvm/stream-protocol';

import { startBridge, type Bridge, type BridgeOptions } from '../src/bridge.js';
import type { FrameSource } from '../src/frame-source.js';
import { generateToken } from '../src/token.js';
import { caseFile, fileSource, type FileSourceLog } from './support/file-source.js';
import { RecordingDesktop, waitFor } from './support/recording-desktop.js';
import { closeCodeOf, connectViewer, connectViewerV2, upgradeStatus, type TestViewer } from './support/viewer-client.js';

const frameRate = { numerator: 30, denominator: 1 };

function ofType<Type extends StreamMessage['type']>(viewer: TestViewer, type: Type): Extract<StreamMessage, { type: Type }>[] {
  return viewer.messages.filter((message): message is Extract<StreamMessage, { type: Type }> => message.type === type);
}

function errorCodes(viewer: TestViewer): number[] {
  return ofType(viewer, 'error').map((error: ErrorMessage) => error.code);
}

describe('protocol version 2', () => {
  let bridge: Bridge | undefined;
  const log: FileSourceLog = { started: 0, stopped: 0 };

  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  async function start(extra: Partial<BridgeOptions> = {}): Promise<{ bridge: Bridge; token: string }> {
    const token = generateToken();

    bridge = await startBridge({
      token,
      source: fileSource(caseFile('sps-pps-3sei-idr-no-aud-320x240.h264'), 10, log),
      frameRate,
      ...extra,
    });
    return { bridge, token };
  }

  it('sends hello, configuration, keyframe', async () => {
    const { bridge, token } = await start({ desktop: new RecordingDesktop() });
    const before = BigInt(Date.now()) * 1000n;

    const viewer = await connectViewerV2(bridge.streamUrl, token);
    const [hello, configuration, first] = await viewer.waitForMessages(3);

    expect(viewer.socket.protocol).toBe('deskvm.v2');
    expect(hello).toMatchObject({ type: 'hello', version: 2, maxMessageBytes: 1024 * 1024 + 16 });
    expect((hello as Hello).capabilities).toBe(Capability.Input | Capability.Clipboard | Capability.Resize);
    expect((hello as Hello).serverTimeUs).toBeGreaterThanOrEqual(before);
    expect(configuration).toEqual({
      type: 'configuration',
      codec: expect.stringMatching(/^avc1\.[0-9a-f]{6}$/),
      codedWidth: 320,
      codedHeight: 240,
      width: 320,
      height: 240,
      frameRateNumerator: 30,
      frameRateDenominator: 1,
    });
    expect(first).toMatchObject({ type: 'video', keyframe: true });
  });

  it('announces no capability without desktop', async () => {
    const { bridge, token } = await start();

    const viewer = await connectViewerV2(bridge.streamUrl, token);
    const [hello] = await viewer.waitForMessages(1);

    expect((hello as Hello).capabilities).toBe(0);
  });

  it('keeps version 1 for old clients', async () => {
    const { bridge, token } = await start();

    const viewer = await connectViewer(bridge.streamUrl, token);
    const [hello] = await viewer.waitForMessages(1);

    expect(viewer.socket.protocol).toBe('deskvm.v1');
    expect(hello?.type).toBe('server-hello');
  });

  it('closes unsupported version with 4002', async () => {
    const { bridge, token } = await start();

    const closed = await closeCodeOf(bridge.streamUrl, ['deskvm.v9', `deskvm.token.${token}`]);

    expect(closed).toEqual({ code: 4002, reason: 'supported versions: 2, 1' });
  });

  it('closes wrong token with 4001', async () => {
    const { bridge } = await start();

    const closed = await closeCodeOf(bridge.streamUrl, ['deskvm.v2', 'deskvm.v1', `deskvm.token.${generateToken()}`]);

    expect(closed.code).toBe(4001);
  });

  it('rejects token without version', async () => {
    const { bridge, token } = await start();

    expect(await upgradeStatus(bridge.streamUrl, [`deskvm.token.${token}`, 'other'])).toBe(400);
  });

  it('supersedes same client id', async () => {
    const { bridge, token } = await start();
    const older = await connectViewerV2(bridge.streamUrl, token);
    await older.waitForMessages(3);
    older.socket.send(encodeMessage({ type: 'client-hello', clientId: 'tab-1' }));
    const other = await connectViewerV2(bridge.streamUrl, token);
    other.socket.send(encodeMessage({ type: 'client-hello', clientId: 'tab-2' }));

    const newer = await connectViewerV2(bridge.streamUrl, token);
    newer.socket.send(encodeMessage({ type: 'client-hello', clientId: 'tab-1' }));

    expect(await older.closed).toBe(4003);
    await newer.waitForMessages(5);
    expect(newer.socket.readyState).toBe(newer.socket.OPEN);
    expect(other.socket.readyState).toBe(other.socket.OPEN);
  });

  it('replays group on keyframe request', async () => {
    const { bridge, token } = await start({ keyframeIntervalMs: 60_000 });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await viewer.waitForMessages(6);
    const keyframesBefore = ofType(viewer, 'video').filter((video) => video.keyframe).length;

    viewer.socket.send(encodeMessage({ type: 'keyframe-request' }));
    await waitFor(() => ofType(viewer, 'video').filter((video) => video.keyframe).length > keyframesBefore);
    viewer.socket.send(encodeMessage({ type: 'keyframe-request' }));
    await waitFor(() => errorCodes(viewer).length > 0);

    const keyframes = ofType(viewer, 'video').filter((video: VideoMessage) => video.keyframe);

    expect(keyframes.at(-1)?.timestampUs).toBeLessThan(ofType(viewer, 'video').at(-2)?.timestampUs ?? 0n);
    expect(errorCodes(viewer)).toEqual([ErrorCode.RateLimited]);
  });

  it('forces keyframe when the source can', async () => {
    let requests = 0;
    const accessUnits = splitAccessUnits(readFileSync(caseFile('sps-pps-3sei-idr-no-aud-320x240.h264')));
    const [keyframe, ...deltas] = accessUnits.map((accessUnit) => ({
      data: toAnnexB(accessUnit.nalUnits),
      nalUnits: accessUnit.nalUnits,
      keyframe: accessUnit.keyframe,
    }));
    // One keyframe, then delta frames only, until a keyframe request makes the next frame a keyframe again.
    const forcingSource = Object.assign((): FrameSource => {
      let forced = false;
      let stopped = false;

      return {
        frames: async function* () {
          for (let index = 0; !stopped; index += 1) {
            const frame = index === 0 || forced ? keyframe! : deltas[index % deltas.length]!;

            forced = false;
            yield { ...frame, timestampUs: BigInt(index) * 10_000n };
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        },
        stop: async () => {
          stopped = true;
        },
        requestKeyframe: () => {
          requests += 1;
          forced = true;
        },
      };
    }, { forcesKeyframes: true });
    const { bridge, token } = await start({ source: forcingSource });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await viewer.waitForMessages(6);
    const newestBefore = ofType(viewer, 'video').at(-1)!.timestampUs;

    viewer.socket.send(encodeMessage({ type: 'keyframe-request' }));
    await waitFor(() => ofType(viewer, 'video').filter((video) => video.keyframe).length > 1, 5000, 'a second keyframe');

    const keyframes = ofType(viewer, 'video').filter((video: VideoMessage) => video.keyframe);

    expect((ofType(viewer, 'hello')[0] as Hello).capabilities & Capability.ForcedKeyframe).toBe(Capability.ForcedKeyframe);
    expect(requests).toBe(1);
    expect(keyframes[1]?.timestampUs).toBeGreaterThan(newestBefore);
  });

  it('answers ping with pong', async () => {
    const { bridge, token } = await start();
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    const before = BigInt(Date.now()) * 1000n;

    viewer.socket.send(encodeMessage({ type: 'ping', id: 77, clientTimeUs: 123n }));
    await waitFor(() => ofType(viewer, 'pong').length === 1);

    const pong = ofType(viewer, 'pong')[0];

    expect(pong).toMatchObject({ id: 77, clientTimeUs: 123n, encoderLatencyUs: undefined });
    expect(pong?.serverTimeUs).toBeGreaterThanOrEqual(before);
  });

  it('reports invalid messages', async () => {
    const { bridge, token } = await start();
    const viewer = await connectViewerV2(bridge.streamUrl, token);

    viewer.socket.send(Uint8Array.of(0x43, 0x00));
    viewer.socket.send(Uint8Array.of(0x7f));
    viewer.socket.send(encodeMessage({ type: 'pong', id: 1, clientTimeUs: 0n, serverTimeUs: 0n, encoderLatencyUs: 1 }));
    viewer.socket.send('text frame');
    await waitFor(() => errorCodes(viewer).length === 4);

    expect(errorCodes(viewer)).toEqual([
      ErrorCode.InvalidMessage,
      ErrorCode.InvalidMessage,
      ErrorCode.UnexpectedMessage,
      ErrorCode.InvalidMessage,
    ]);
    expect(ofType(viewer, 'error')[0]?.message).toContain('Truncated pointer move');
    expect(viewer.socket.readyState).toBe(viewer.socket.OPEN);
  });

  it('closes oversized message with 1009', async () => {
    const { bridge, token } = await start({ maxMessageBytes: 1000 });
    const viewer = await connectViewerV2(bridge.streamUrl, token);

    viewer.socket.send(encodeMessage({ type: 'client-clipboard', text: 'x'.repeat(1000) }));

    expect(await viewer.closed).toBe(1009);
  });

  it('injects input scaled to desktop', async () => {
    const desktop = new RecordingDesktop();
    desktop.width = 640;
    desktop.height = 480;
    const { bridge, token } = await start({ desktop });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await viewer.waitForMessages(3);

    viewer.socket.send(encodeMessage({ type: 'pointer-move', x: 160, y: 120 }));
    viewer.socket.send(encodeMessage({ type: 'pointer-relative', dx: -3, dy: 4 }));
    viewer.socket.send(encodeMessage({ type: 'pointer-button', button: 2, pressed: true }));
    viewer.socket.send(encodeMessage({ type: 'wheel', deltaX: 0, deltaY: 60 }));
    viewer.socket.send(encodeMessage({ type: 'wheel', deltaX: 0, deltaY: 200 }));
    viewer.socket.send(encodeMessage({ type: 'key', pressed: true, repeat: false, modifiers: 1, code: 'KeyA', key: 'A' }));
    viewer.socket.send(encodeMessage({ type: 'touch', phase: 0, id: 5, x: 10, y: 20 }));
    viewer.socket.send(encodeMessage({ type: 'touch', phase: 2, id: 5, x: 10, y: 20 }));
    await waitFor(() => desktop.calls.length === 9);

    expect(desktop.calls).toEqual([
      { kind: 'pointer-move', x: 320, y: 240 },
      { kind: 'pointer-relative', dx: -3, dy: 4 },
      { kind: 'pointer-button', button: 2, pressed: true },
      { kind: 'wheel', notchesX: 0, notchesY: 2 },
      { kind: 'key', input: { code: 'KeyA', key: 'A', pressed: true, modifiers: 1 } },
      { kind: 'pointer-move', x: 20, y: 40 },
      { kind: 'pointer-button', button: 0, pressed: true },
      { kind: 'pointer-move', x: 20, y: 40 },
      { kind: 'pointer-button', button: 0, pressed: false },
    ]);
  });

  it('rate-limits input', async () => {
    const desktop = new RecordingDesktop();
    const { bridge, token } = await start({ desktop, inputPerSecond: 10 });
    const viewer = await connectViewerV2(bridge.streamUrl, token);

    for (let index = 0; index < 50; index += 1) {
      viewer.socket.send(encodeMessage({ type: 'pointer-move', x: index, y: 0 }));
    }

    await waitFor(() => errorCodes(viewer).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(desktop.calls.length).toBeGreaterThanOrEqual(5);
    expect(desktop.calls.length).toBeLessThan(15);
    expect(new Set(errorCodes(viewer))).toEqual(new Set([ErrorCode.RateLimited]));
  });

  it('rate-limits pings', async () => {
    const { bridge, token } = await start({ pingsPerSecond: 10 });
    const viewer = await connectViewerV2(bridge.streamUrl, token);

    for (let id = 0; id < 50; id += 1) {
      viewer.socket.send(encodeMessage({ type: 'ping', id, clientTimeUs: 0n }));
    }

    await waitFor(() => errorCodes(viewer).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(ofType(viewer, 'pong').length).toBeGreaterThanOrEqual(5);
    expect(ofType(viewer, 'pong').length).toBeLessThan(15);
    expect(new Set(errorCodes(viewer))).toEqual(new Set([ErrorCode.RateLimited]));
  });

  it('syncs clipboard both ways', async () => {
    const desktop = new RecordingDesktop();
    const { bridge, token } = await start({ desktop });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await viewer.waitForMessages(2);

    viewer.socket.send(encodeMessage({ type: 'client-clipboard', text: 'from viewer ✓' }));
    desktop.copyOnDesktop('from desktop');
    await waitFor(() => desktop.calls.length === 1 && ofType(viewer, 'server-clipboard').length === 1);
    const late = await connectViewerV2(bridge.streamUrl, token);
    await waitFor(() => ofType(late, 'server-clipboard').length === 1);

    expect(desktop.calls).toEqual([{ kind: 'clipboard', text: 'from viewer ✓' }]);
    expect(ofType(viewer, 'server-clipboard')).toEqual([{ type: 'server-clipboard', text: 'from desktop' }]);
    expect(ofType(late, 'server-clipboard')).toEqual([{ type: 'server-clipboard', text: 'from desktop' }]);
  });

  it('reports unreadable desktop clipboard', async () => {
    const desktop = new RecordingDesktop();
    const { bridge, token } = await start({ desktop });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await viewer.waitForMessages(2);

    desktop.copyOnDesktop('older text');
    desktop.failClipboardRead(new Error('The desktop clipboard contains more than 262080 bytes.'));
    await waitFor(() => errorCodes(viewer).length === 1);
    const late = await connectViewerV2(bridge.streamUrl, token);
    await late.waitForMessages(3);
    const [error] = ofType(viewer, 'error');

    expect(error?.code).toBe(ErrorCode.ClipboardFailed);
    expect(error?.message).toContain('more than 262080 bytes');
    // The text known before the failed read is out of date, so a new viewer gets none.
    expect(ofType(late, 'server-clipboard')).toEqual([]);
  });

  it('reports desktop clipboard over protocol maximum', async () => {
    const desktop = new RecordingDesktop();
    const { bridge, token } = await start({ desktop });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await viewer.waitForMessages(2);

    desktop.copyOnDesktop('x'.repeat(MAX_CLIPBOARD_BYTES + 1));
    await waitFor(() => errorCodes(viewer).length === 1);
    const [error] = ofType(viewer, 'error');

    expect(error?.code).toBe(ErrorCode.ClipboardFailed);
    expect(error?.message).toContain(`${MAX_CLIPBOARD_BYTES + 1} bytes`);
    expect(ofType(viewer, 'server-clipboard')).toEqual([]);
  });

  it('reports missing desktop control', async () => {
    const { bridge, token } = await start();
    const viewer = await connectViewerV2(bridge.streamUrl, token);

    viewer.socket.send(encodeMessage({ type: 'client-clipboard', text: 'x' }));
    viewer.socket.send(encodeMessage({ type: 'resize-request', width: 640, height: 480 }));
    viewer.socket.send(encodeMessage({ type: 'key', pressed: true, repeat: false, modifiers: 0, code: 'KeyA', key: 'a' }));
    await waitFor(() => errorCodes(viewer).length === 3);

    expect(errorCodes(viewer)).toEqual([ErrorCode.ClipboardFailed, ErrorCode.ResizeFailed, ErrorCode.InputFailed]);
  });

  it('rejects odd resize size', async () => {
    const desktop = new RecordingDesktop();
    const { bridge, token } = await start({ desktop });
    const viewer = await connectViewerV2(bridge.streamUrl, token);

    viewer.socket.send(encodeMessage({ type: 'resize-request', width: 641, height: 480 }));
    await waitFor(() => errorCodes(viewer).length === 1);

    expect(ofType(viewer, 'error')[0]?.message).toContain('641x480');
    expect(desktop.calls).toEqual([]);
  });

  it('rejects resize past desktop maximum', async () => {
    const desktop = Object.assign(new RecordingDesktop(), { maxSize: () => ({ width: 3840, height: 2160 }) });
    const { bridge, token } = await start({ desktop });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await viewer.waitForMessages(2);

    viewer.socket.send(encodeMessage({ type: 'resize-request', width: 4000, height: 2200 }));
    await waitFor(() => errorCodes(viewer).length === 1);
    const [error] = ofType(viewer, 'error');

    expect(error?.code).toBe(ErrorCode.ResizeFailed);
    expect(error?.message).toContain('Invalid resize to 4000x2200');
    expect(error?.message).toContain('even width from 64 to 3840 and an even height from 64 to 2160');
    expect(error?.message).toContain('3840x2160 is the largest size this desktop can take');
    expect(desktop.calls).toEqual([]);
  });

  it('resizes and sends new configuration', async () => {
    const desktop = new RecordingDesktop();
    const path = caseFile('res-change-320x240-to-240x320.h264');
    const small = fileSource(path, 10, log, true, { end: 15 });
    const rotated = fileSource(path, 10, log, true, { start: 15 });
    const { bridge, token } = await start({ desktop, source: () => (desktop.width === 320 ? small() : rotated()) });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await viewer.waitForMessages(4);

    viewer.socket.send(encodeMessage({ type: 'resize-request', width: 240, height: 320 }));
    await waitFor(() => ofType(viewer, 'configuration').length === 2);
    await waitFor(() => viewer.messages.at(-1)?.type === 'video');

    const configurations = ofType(viewer, 'configuration');
    const afterChange = viewer.messages.slice(viewer.messages.indexOf(configurations[1]!) + 1);

    expect(desktop.calls).toEqual([{ kind: 'resize', width: 240, height: 320 }]);
    expect(configurations.map(({ width, height }) => `${width}x${height}`)).toEqual(['320x240', '240x320']);
    expect(afterChange[0]).toMatchObject({ type: 'video', keyframe: true });
  });

  it('answers same-size resize with configuration', async () => {
    const desktop = new RecordingDesktop();
    const { bridge, token } = await start({ desktop });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await viewer.waitForMessages(3);

    viewer.socket.send(encodeMessage({ type: 'resize-request', width: 320, height: 240 }));
    await waitFor(() => ofType(viewer, 'configuration').length === 2);

    expect(ofType(viewer, 'configuration')[1]).toEqual(ofType(viewer, 'configuration')[0]);
    expect(desktop.calls).toEqual([]);
  });

  it('sends server stats', async () => {
    const { bridge, token } = await start({ statsIntervalMs: 50 });
    const viewer = await connectViewerV2(bridge.streamUrl, token);

    await waitFor(() => ofType(viewer, 'server-stats').length >= 2);

    const stats = ofType(viewer, 'server-stats').at(-1);

    expect(stats?.viewers).toBe(1);
    expect(stats?.sentFrames).toBeGreaterThan(0);
  });

  it('sends configuration change on SPS change', async () => {
    const { bridge, token } = await start({ source: fileSource(caseFile('res-change-320x240-to-240x320.h264'), 5, log) });
    const viewer = await connectViewerV2(bridge.streamUrl, token);

    await waitFor(() => ofType(viewer, 'configuration').length >= 2);

    const [first, second] = ofType(viewer, 'configuration');
    const next = viewer.messages[viewer.messages.indexOf(second!) + 1] ?? (await viewer.waitForMessages(viewer.messages.length + 1)).at(-1);
    const videosBefore = viewer.messages.slice(0, viewer.messages.indexOf(second!)).filter((message) => message.type === 'video');

    expect(first).toMatchObject({ width: 320, height: 240, codedWidth: 320, codedHeight: 240 });
    expect(second).toMatchObject({ width: 240, height: 320, codedWidth: 240, codedHeight: 320 });
    expect(videosBefore).toHaveLength(15);
    expect(next).toMatchObject({ type: 'video', keyframe: true });
  });
});
