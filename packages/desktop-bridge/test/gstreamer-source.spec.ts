import { afterEach, describe, expect, it } from '@jest/globals';

import { encodeMessage, type Pong, type ServerHello, type VideoMessage } from '@deskvm/stream-protocol';

import { startBridge, type Bridge } from '../src/bridge.js';
import { gstreamerSource } from '../src/gstreamer-source.js';
import { generateToken } from '../src/token.js';
import { waitFor } from './support/recording-desktop.js';
import { connectViewer, connectViewerV2 } from './support/viewer-client.js';

// The bridge with a real GStreamer pipeline: videotestsrc and x264enc through gst-launch-1.0.

/** Starts a bridge on a real 320x240 x264 pipeline of videotestsrc. */
function startX264Bridge(token: string): Promise<Bridge> {
  return startBridge({
    token,
    frameRate: { numerator: 30, denominator: 1 },
    source: gstreamerSource({
      source: { kind: 'videotestsrc', pattern: 'ball' },
      encoder: { kind: 'x264enc' },
      width: 320,
      height: 240,
      frameRate: 30,
    }),
  });
}

describe('gstreamerSource', () => {
  let bridge: Bridge | undefined;

  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  it('rejects an odd width at once', () => {
    const create = (): unknown =>
      gstreamerSource({ source: { kind: 'videotestsrc' }, encoder: { kind: 'x264enc' }, width: 321, height: 240, frameRate: 30 });

    expect(create).toThrow(expect.objectContaining({ code: 'PIPELINE_ERR_INVALID_DESCRIPTION' }));
  });

  it('streams x264 access units to a viewer', async () => {
    const token = generateToken();
    bridge = await startX264Bridge(token);

    const viewer = await connectViewer(bridge.streamUrl, token);
    const messages = await viewer.waitForMessages(31, 15_000);
    const hello = messages[0] as ServerHello;
    const frames = messages.slice(1) as VideoMessage[];

    expect(hello.type).toBe('server-hello');
    expect(hello.width).toBe(320);
    expect(hello.height).toBe(240);
    expect(hello.codec).toMatch(/^avc1\.(42|4d|64)[0-9a-f]{4}$/);
    expect(frames[0]?.keyframe).toBe(true);
    expect(frames.every((frame) => frame.type === 'video')).toBe(true);
    for (let index = 1; index < frames.length; index++) {
      expect(frames[index]!.timestampUs).toBeGreaterThan(frames[index - 1]!.timestampUs);
    }
    viewer.socket.close();
  }, 30_000);

  it('reports encode time in pongs', async () => {
    const token = generateToken();
    bridge = await startX264Bridge(token);

    const viewer = await connectViewerV2(bridge.streamUrl, token);
    const videoCount = (): number => viewer.messages.filter((message) => message.type === 'video').length;
    await waitFor(() => videoCount() >= 10, 15_000, 'ten video messages');
    viewer.socket.send(encodeMessage({ type: 'ping', id: 5, clientTimeUs: 1n }));
    await waitFor(() => viewer.messages.some((message) => message.type === 'pong'), 5_000, 'the pong');
    const pong = viewer.messages.find((message): message is Pong => message.type === 'pong');

    // The latency tracer measures x264's time per frame; a 320x240 frame takes well under a second.
    expect(pong?.id).toBe(5);
    expect(pong?.encoderLatencyUs).toBeGreaterThan(0);
    expect(pong?.encoderLatencyUs).toBeLessThan(1_000_000);
    viewer.socket.close();
  }, 30_000);
});
