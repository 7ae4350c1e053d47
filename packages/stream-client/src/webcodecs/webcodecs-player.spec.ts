import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { toAnnexB, type VideoMessage } from '@deskvm/stream-protocol';

import { WebCodecsPlayer } from './webcodecs-player.js';

// A stand-in for the browser's VideoDecoder that records calls, so the player's recovery logic runs in Node.
class FakeVideoDecoder {
  static instances: FakeVideoDecoder[] = [];
  state: 'unconfigured' | 'configured' | 'closed' = 'unconfigured';
  decodeQueueSize = 0;
  readonly configs: VideoDecoderConfig[] = [];
  readonly chunks: { type: string; timestamp: number }[] = [];

  constructor(readonly init: { output: (frame: unknown) => void; error: (error: DOMException) => void }) {
    FakeVideoDecoder.instances.push(this);
  }

  configure(config: VideoDecoderConfig): void {
    this.configs.push(config);
    this.state = 'configured';
  }

  decode(chunk: { type: string; timestamp: number }): void {
    this.chunks.push({ type: chunk.type, timestamp: chunk.timestamp });
  }

  close(): void {
    this.state = 'closed';
  }

  fail(name: string): void {
    this.state = 'closed';
    this.init.error(new DOMException('decode failed', name));
  }
}

class FakeChunk {
  readonly type: string;
  readonly timestamp: number;

  constructor(init: { type: string; timestamp: number }) {
    this.type = init.type;
    this.timestamp = init.timestamp;
  }
}

const fakeCanvas = { getContext: () => ({ drawImage: () => undefined }), width: 0, height: 0 } as unknown as HTMLCanvasElement;

// SPS of a 320x240 Constrained Baseline stream and one with another level, a PPS, and slice NAL units.
const SPS_A = Uint8Array.of(0x67, 0x42, 0xc0, 0x0d, 0xda, 0x05, 0x07, 0xe8, 0x40, 0x00, 0x00, 0x03, 0x00, 0x40, 0x00, 0x00, 0x0f, 0x03, 0xc5, 0x0a, 0xa8);
const SPS_B = Uint8Array.of(0x67, 0x42, 0xc0, 0x1e, 0xda, 0x05, 0x07, 0xe8, 0x40, 0x00, 0x00, 0x03, 0x00, 0x40, 0x00, 0x00, 0x0f, 0x03, 0xc5, 0x0a, 0xa8);
const PPS = Uint8Array.of(0x68, 0xce, 0x3c, 0x80);
// first_mb_in_slice 0, slice_type 7 (I) for the IDR and 5 (P) for the delta frame.
const IDR = Uint8Array.of(0x65, 0x88, 0x80, 0x40);
const DELTA = Uint8Array.of(0x41, 0x9a, 0x00, 0x40);

let nextTimestamp = 0;
function video(keyframe: boolean, nalUnits: Uint8Array[]): VideoMessage {
  nextTimestamp += 33_333;
  return { type: 'video', keyframe, timestampUs: BigInt(nextTimestamp), data: toAnnexB(nalUnits) };
}

const keyframe = (sps = SPS_A) => video(true, [sps, PPS, IDR]);
const delta = () => video(false, [DELTA]);

function createPlayer(options: { maxDecodeQueueSize?: number } = {}) {
  const player = new WebCodecsPlayer(fakeCanvas, options);
  const events: string[] = [];
  for (const type of ['error', 'configurationchange', 'keyframerequest']) {
    player.addEventListener(type, () => events.push(type));
  }
  return { player, events };
}

const globals = globalThis as Record<string, unknown>;

describe('WebCodecsPlayer', () => {
  beforeEach(() => {
    FakeVideoDecoder.instances = [];
    globals['VideoDecoder'] = FakeVideoDecoder;
    globals['EncodedVideoChunk'] = FakeChunk;
    globals['requestAnimationFrame'] = () => 1;
    globals['cancelAnimationFrame'] = () => undefined;
  });

  afterEach(() => {
    for (const name of ['VideoDecoder', 'EncodedVideoChunk', 'requestAnimationFrame', 'cancelAnimationFrame']) {
      delete globals[name];
    }
  });

  it('configures from the SPS', () => {
    const { player, events } = createPlayer();

    player.handleMessage(delta());
    player.handleMessage(keyframe());
    player.handleMessage(delta());

    const decoder = FakeVideoDecoder.instances[0]!;
    expect(decoder.configs).toEqual([{ codec: 'avc1.42c00d', optimizeForLatency: true, hardwareAcceleration: 'no-preference' }]);
    expect(decoder.chunks.map((chunk) => chunk.type)).toEqual(['key', 'delta']);
    expect(events).toEqual(['configurationchange']);
    expect(player.counters.dropped).toBe(1);
  });

  it('reconfigures on a new SPS', () => {
    const { player, events } = createPlayer();

    player.handleMessage(keyframe(SPS_A));
    player.handleMessage(keyframe(SPS_A));
    player.handleMessage(keyframe(SPS_B));

    const decoder = FakeVideoDecoder.instances[0]!;
    expect(decoder.configs.map((config) => config.codec)).toEqual(['avc1.42c00d', 'avc1.42c01e']);
    expect(events).toEqual(['configurationchange', 'configurationchange']);
  });

  it('recovers from a decode error', () => {
    const { player, events } = createPlayer();
    player.handleMessage(keyframe());

    FakeVideoDecoder.instances[0]!.fail('EncodingError');
    player.handleMessage(delta());
    player.handleMessage(delta());
    player.handleMessage(keyframe());
    player.handleMessage(delta());

    const replacement = FakeVideoDecoder.instances[1]!;
    expect(FakeVideoDecoder.instances).toHaveLength(2);
    expect(replacement.configs).toHaveLength(1);
    expect(replacement.chunks.map((chunk) => chunk.type)).toEqual(['key', 'delta']);
    expect(events).toEqual(['configurationchange', 'keyframerequest', 'configurationchange']);
    expect(player.counters.decodeErrors).toBe(1);
    expect(player.counters.dropped).toBe(2);
  });

  it('fails on an unsupported codec', () => {
    const { player, events } = createPlayer();
    player.handleMessage(keyframe());

    FakeVideoDecoder.instances[0]!.fail('NotSupportedError');
    player.handleMessage(keyframe());

    expect(events).toEqual(['configurationchange', 'error']);
    expect(FakeVideoDecoder.instances).toHaveLength(1);
  });

  it('skips a decoder backlog', () => {
    const { player, events } = createPlayer({ maxDecodeQueueSize: 2 });
    player.handleMessage(keyframe());
    const decoder = FakeVideoDecoder.instances[0]!;

    decoder.decodeQueueSize = 3;
    player.handleMessage(delta());
    player.handleMessage(delta());
    decoder.decodeQueueSize = 0;
    player.handleMessage(delta());
    player.handleMessage(keyframe());

    expect(decoder.chunks.map((chunk) => chunk.type)).toEqual(['key', 'key']);
    expect(events).toEqual(['configurationchange', 'keyframerequest']);
  });

  it('adds remembered parameter sets to a bare keyframe', () => {
    const { player } = createPlayer();
    player.handleMessage(keyframe());

    player.handleMessage(video(true, [IDR]));

    expect(FakeVideoDecoder.instances[0]!.chunks.map((chunk) => chunk.type)).toEqual(['key', 'key']);
  });

  it('waits for a keyframe after a hello', () => {
    const { player } = createPlayer();
    player.handleMessage(keyframe());

    player.handleMessage({ type: 'configuration', codec: 'avc1.42c00d', codedWidth: 320, codedHeight: 240, width: 320, height: 240, frameRateNumerator: 30, frameRateDenominator: 1 });
    player.handleMessage(delta());

    expect(FakeVideoDecoder.instances[0]!.chunks.map((chunk) => chunk.type)).toEqual(['key']);
  });
});
