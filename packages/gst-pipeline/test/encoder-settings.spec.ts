import { describe, expect, it } from '@jest/globals';
import { parseInspectOutput, renderArgv, type HardwareEncoderKind, type PipelineDescription } from '../src/index.js';
import { fixture } from './support/fixtures.js';

function encoderArguments(kind: HardwareEncoderKind, recording?: string): string[] {
  const description: PipelineDescription = {
    source: { kind: 'videotestsrc' },
    encoder: { kind },
    width: 1920,
    height: 1080,
    frameRate: 30,
    bitrateKbps: 6000,
    keyframeInterval: 60,
  };
  const inspectedEncoder = recording === undefined ? undefined : parseInspectOutput(kind, fixture(recording));
  const argv = renderArgv(description, { inspectedEncoder });
  const start = argv.indexOf(kind);

  return argv.slice(start + 1, argv.indexOf('!', start));
}

describe('encoder settings by version', () => {
  it('nvcudah264enc 1.22 names', () => {
    const properties = encoderArguments('nvcudah264enc', 'gst-inspect/written/nvcudah264enc-1.22.0.txt');

    expect(properties).toEqual(expect.arrayContaining(['preset=low-latency-hq', 'rate-control=cbr-ld-hq', 'b-frames=0', 'zero-reorder-delay=true']));
    expect(properties.some((item) => item.startsWith('tune='))).toBe(false);
  });

  it('nvcudah264enc 1.24 uses p1 and tune', () => {
    const properties = encoderArguments('nvcudah264enc', 'gst-inspect/written/nvcudah264enc-1.24.0.txt');

    expect(properties).toContain('preset=p1');
    expect(properties).toContain('tune=ultra-low-latency');
    expect(properties).toContain('rc-lookahead=0');
  });

  it('nvh264enc uses rc-mode and bframes', () => {
    const properties = encoderArguments('nvh264enc', 'gst-inspect/written/nvh264enc-1.22.0.txt');

    expect(properties).toEqual(expect.arrayContaining(['rc-mode=cbr-ld-hq', 'bframes=0', 'zerolatency=true', 'gop-size=60', 'bitrate=6000']));
  });

  it('nvh264enc without B-frame support', () => {
    const properties = encoderArguments('nvh264enc', 'gst-inspect/written/nvh264enc-1.22.0-no-b-frames.txt');

    expect(properties.some((item) => item.startsWith('bframes='))).toBe(false);
    expect(properties).toContain('zerolatency=true');
  });

  it('uninspected nvcudah264enc uses 1.22 names', () => {
    expect(encoderArguments('nvcudah264enc')).toEqual([
      'preset=low-latency-hq',
      'rate-control=cbr-ld-hq',
      'bitrate=6000',
      'gop-size=60',
      'b-frames=0',
      'zero-reorder-delay=true',
    ]);
  });

  it('vah264enc feeds NV12', () => {
    const argv = renderArgv({ source: { kind: 'videotestsrc' }, encoder: { kind: 'vah264enc' }, width: 640, height: 480, frameRate: 30 });

    expect(argv).toContain('video/x-raw,format=NV12,width=640,height=480,framerate=30/1');
  });

  it('x264enc keeps I420', () => {
    const argv = renderArgv({ source: { kind: 'videotestsrc' }, encoder: { kind: 'x264enc' }, width: 640, height: 480, frameRate: 30 });

    expect(argv).toContain('video/x-raw,format=I420,width=640,height=480,framerate=30/1');
  });

  it('x264enc threads only when set', () => {
    const base = { source: { kind: 'videotestsrc' }, width: 640, height: 480, frameRate: 30 } as const;

    expect(renderArgv({ ...base, encoder: { kind: 'x264enc' } }).some((item) => item.includes('threads'))).toBe(false);
    expect(renderArgv({ ...base, encoder: { kind: 'x264enc', threads: 2, slicedThreads: true } })).toEqual(
      expect.arrayContaining(['threads=2', 'sliced-threads=true']),
    );
  });

  it('vaapih264enc properties', () => {
    expect(encoderArguments('vaapih264enc', 'gst-inspect/written/vaapih264enc-1.22.0.txt')).toEqual([
      'rate-control=cbr',
      'bitrate=6000',
      'keyframe-period=60',
      'max-bframes=0',
      'quality-level=7',
    ]);
  });
});
