import { describe, expect, it } from '@jest/globals';
import type { PipelineDescription } from './description.js';
import { PipelineError } from './errors.js';
import { renderArgv } from './render-argv.js';

const x264Description: PipelineDescription = {
  source: { kind: 'videotestsrc' },
  encoder: { kind: 'x264enc' },
  width: 320,
  height: 240,
  frameRate: 30,
};

const openh264Description: PipelineDescription = {
  source: { kind: 'ximagesrc', display: ':99', showPointer: false },
  encoder: { kind: 'openh264enc' },
  width: 1280,
  height: 720,
  frameRate: { numerator: 30000, denominator: 1001 },
  bitrateKbps: 2500,
};

function rejectionOf(description: PipelineDescription): PipelineError {
  try {
    renderArgv(description);
  } catch (error) {
    return error as PipelineError;
  }

  throw new Error('renderArgv accepted the description');
}

describe('renderArgv', () => {
  it('videotestsrc with x264enc', () => {
    const argv = renderArgv(x264Description);

    expect(argv).toEqual([
      '-q',
      '-e',
      'videotestsrc',
      'is-live=true',
      'pattern=smpte',
      '!',
      'videoconvert',
      '!',
      'videoscale',
      '!',
      'video/x-raw,format=I420,width=320,height=240,framerate=30/1',
      '!',
      'queue',
      'max-size-buffers=1',
      'max-size-bytes=0',
      'max-size-time=0',
      'leaky=downstream',
      '!',
      'x264enc',
      'tune=zerolatency',
      'speed-preset=ultrafast',
      'bframes=0',
      'b-adapt=false',
      'key-int-max=60',
      'bitrate=4000',
      'byte-stream=true',
      '!',
      'h264parse',
      'config-interval=-1',
      '!',
      'video/x-h264,stream-format=byte-stream,alignment=au',
      '!',
      'gdppay',
      '!',
      'fdsink',
      'fd=1',
      'sync=false',
    ]);
  });

  it('ximagesrc with openh264enc', () => {
    const argv = renderArgv(openh264Description);

    expect(argv).toEqual([
      '-q',
      '-e',
      'ximagesrc',
      'display-name=:99',
      'show-pointer=false',
      'use-damage=false',
      '!',
      'videoconvert',
      '!',
      'videoscale',
      '!',
      'video/x-raw,format=I420,width=1280,height=720,framerate=30000/1001',
      '!',
      'queue',
      'max-size-buffers=1',
      'max-size-bytes=0',
      'max-size-time=0',
      'leaky=downstream',
      '!',
      'openh264enc',
      'complexity=low',
      'usage-type=screen',
      'rate-control=bitrate',
      'bitrate=2500000',
      'gop-size=60',
      'enable-frame-skip=false',
      '!',
      'h264parse',
      'config-interval=-1',
      '!',
      'video/x-h264,stream-format=byte-stream,alignment=au',
      '!',
      'gdppay',
      '!',
      'fdsink',
      'fd=1',
      'sync=false',
    ]);
  });

  it('pointer shown by default', () => {
    const argv = renderArgv({ ...x264Description, source: { kind: 'ximagesrc', display: ':5.0' } });

    expect(argv.slice(2, 6)).toEqual(['ximagesrc', 'display-name=:5.0', 'show-pointer=true', 'use-damage=false']);
  });

  it('keyframe interval defaults to 2 s', () => {
    const at60 = renderArgv({ ...x264Description, frameRate: 60 });
    const atNtsc = renderArgv({ ...x264Description, frameRate: { numerator: 30000, denominator: 1001 } });

    expect(at60).toContain('key-int-max=120');
    expect(atNtsc).toContain('key-int-max=60');
  });

  it('explicit settings', () => {
    const argv = renderArgv({
      ...x264Description,
      encoder: { kind: 'x264enc', speedPreset: 'veryfast' },
      source: { kind: 'videotestsrc', pattern: 'ball' },
      keyframeInterval: 15,
      bitrateKbps: 800,
    });

    expect(argv).toContain('speed-preset=veryfast');
    expect(argv).toContain('pattern=ball');
    expect(argv).toContain('key-int-max=15');
    expect(argv).toContain('bitrate=800');
  });

  it('every ! is its own item', () => {
    const argv = renderArgv(x264Description);

    expect(argv.filter((item) => item.includes('!'))).toEqual(Array(9).fill('!'));
  });
});

describe('renderArgv validation', () => {
  it('hostile display', () => {
    const error = rejectionOf({
      ...x264Description,
      source: { kind: 'ximagesrc', display: ':99 ! filesrc location=/etc/passwd' },
    });

    expect(error).toBeInstanceOf(PipelineError);
    expect(error.code).toBe('PIPELINE_ERR_INVALID_DESCRIPTION');
    expect(error.message).toContain('":99 ! filesrc location=/etc/passwd"');
  });

  it.each([
    ['remote display', { source: { kind: 'ximagesrc', display: 'example.com:0' } }, 'source.display'],
    ['pattern with spaces', { source: { kind: 'videotestsrc', pattern: 'smpte ! fakesink' } }, 'source.pattern'],
    ['showPointer string', { source: { kind: 'ximagesrc', display: ':1', showPointer: 'yes' } }, 'source.showPointer'],
    ['speed preset', { encoder: { kind: 'x264enc', speedPreset: 'ultrafast tune=0' } }, 'encoder.speedPreset'],
    ['usage type', { encoder: { kind: 'openh264enc', usageType: 'game' } }, 'encoder.usageType'],
    ['unknown source', { source: { kind: 'filesrc' } }, 'source.kind'],
    ['unknown encoder', { encoder: { kind: 'ffenc_h264' } }, 'encoder.kind'],
    ['odd width', { width: 321 }, 'width 321'],
    ['odd height', { height: 239 }, 'height 239'],
    ['tiny width', { width: 8 }, 'width 8'],
    ['huge height', { height: 10000 }, 'height 10000'],
    ['fractional width', { width: 320.5 }, 'width 320.5'],
    ['width as string', { width: '320' }, 'width "320"'],
    ['zero frame rate', { frameRate: 0 }, 'frameRate 0'],
    ['frame rate above 240', { frameRate: { numerator: 500, denominator: 1 } }, 'frameRate 500/1'],
    ['frame rate 1000/1', { frameRate: { numerator: 1000, denominator: 1 } }, 'frameRate 1000/1'],
    ['frame rate 0/1', { frameRate: { numerator: 0, denominator: 1 } }, 'frameRate.numerator 0'],
    ['frame rate number 1000', { frameRate: 1000 }, 'frameRate 1000'],
    ['frame rate Infinity', { frameRate: Number.POSITIVE_INFINITY }, 'frameRate Infinity'],
    ['zero bitrate', { bitrateKbps: 0 }, 'bitrateKbps 0'],
    ['fractional frame rate number', { frameRate: 29.97 }, 'frameRate 29.97'],
    ['zero denominator', { frameRate: { numerator: 30, denominator: 0 } }, 'frameRate.denominator 0'],
    ['negative bitrate', { bitrateKbps: -1 }, 'bitrateKbps -1'],
    ['bitrate NaN', { bitrateKbps: Number.NaN }, 'bitrateKbps NaN'],
    ['zero keyframe interval', { keyframeInterval: 0 }, 'keyframeInterval 0'],
    ['frame beyond level 6.2', { width: 7680, height: 7680 }, '230400 macroblocks per frame'],
    ['macroblock rate beyond level 6.2', { width: 7680, height: 4320, frameRate: 240 }, 'at most 128 fps'],
  ])('rejects %s', (_name, override, expectedText) => {
    const error = rejectionOf({ ...x264Description, ...(override as Partial<PipelineDescription>) });

    expect(error.code).toBe('PIPELINE_ERR_INVALID_DESCRIPTION');
    expect(error.message).toContain(expectedText);
  });

  it('fractional frame rate suggests a fraction', () => {
    const error = rejectionOf({ ...x264Description, frameRate: 29.97 });

    expect(error.message).toContain('Invalid frameRate 29.97');
    expect(error.message).toContain('{ numerator: 30000, denominator: 1001 }');
  });

  it('odd size suggests even ones', () => {
    const error = rejectionOf({ ...x264Description, width: 321 });

    expect(error.message).toContain('pass 320 or 322');
  });
});

describe('renderArgv new sources and encoders', () => {
  const base = { width: 320, height: 240, frameRate: 30 } as const;

  it('ximagesrc useDamage true', () => {
    const argv = renderArgv({ ...base, source: { kind: 'ximagesrc', display: ':5', useDamage: true }, encoder: { kind: 'x264enc' } });

    expect(argv).toContain('use-damage=true');
  });

  it('pipewiresrc reads fd 3 and resends frames', () => {
    const argv = renderArgv({ ...base, source: { kind: 'pipewiresrc', fd: 17, nodeId: 42 }, encoder: { kind: 'x264enc' } });

    expect(argv.slice(0, 8)).toEqual(['-q', '-e', 'pipewiresrc', 'fd=3', 'path=42', 'keepalive-time=100', 'resend-last=true', 'do-timestamp=true']);
  });

  it.each([
    ['pipewiresrc without nodeId', { source: { kind: 'pipewiresrc', fd: 3 } }, 'source.nodeId undefined'],
    ['pipewiresrc negative fd', { source: { kind: 'pipewiresrc', fd: -1, nodeId: 1 } }, 'source.fd -1'],
    ['pipewiresrc zero keepalive', { source: { kind: 'pipewiresrc', fd: 3, nodeId: 1, keepaliveMs: 0 } }, 'source.keepaliveMs 0'],
    ['pipewiresrc unknown memory', { source: { kind: 'pipewiresrc', fd: 3, nodeId: 1, memory: 'gpu' } }, 'source.memory "gpu"'],
    ['dmabuf with x264enc', { source: { kind: 'pipewiresrc', fd: 3, nodeId: 1, memory: 'dmabuf' } }, 'use vah264enc or vah264lpenc'],
    ['useDamage string', { source: { kind: 'ximagesrc', display: ':1', useDamage: 'yes' } }, 'source.useDamage "yes"'],
    ['x264 threads 65', { encoder: { kind: 'x264enc', threads: 65 } }, 'encoder.threads 65'],
    ['x264 slicedThreads number', { encoder: { kind: 'x264enc', slicedThreads: 1 } }, 'encoder.slicedThreads 1'],
  ])('rejects %s', (_name, override, expectedText) => {
    const error = rejectionOf({ ...base, source: { kind: 'videotestsrc' }, encoder: { kind: 'x264enc' }, ...(override as Partial<PipelineDescription>) });

    expect(error.code).toBe('PIPELINE_ERR_INVALID_DESCRIPTION');
    expect(error.message).toContain(expectedText);
  });
});
