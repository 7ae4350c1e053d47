import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { exitError } from './exit-error.js';
import { StderrTail } from './stderr-tail.js';

// stderr of gst-launch-1.0 1.22.0 for each failure, recorded on Debian 12.
const missingElementStderr = 'WARNING: erroneous pipeline: no element "foo"\n';
const notNegotiatedStderr = [
  'ERROR: from element /GstPipeline:pipeline0/GstVideoTestSrc:videotestsrc0: Internal data stream error.',
  'Additional debug info:',
  '../libs/gst/base/gstbasesrc.c(3132): gst_base_src_loop (): /GstPipeline:pipeline0/GstVideoTestSrc:videotestsrc0:',
  'streaming stopped, reason not-negotiated (-4)',
  '',
].join('\n');
const couldNotLinkStderr =
  'WARNING: erroneous pipeline: could not link videotestsrc0 to x264enc0, x264enc0 can\'t handle caps video/x-raw, format=(string)RGB\n';
const noDisplayStderr = [
  'ERROR: from element /GstPipeline:pipeline0/GstXImageSrc:ximagesrc0: Could not open X display for reading',
  'Additional debug info:',
  '../sys/ximage/gstximagesrc.c(158): gst_ximage_src_open_display (): /GstPipeline:pipeline0/GstXImageSrc:ximagesrc0:',
  'NULL returned from getting xcontext',
  'ERROR: pipeline doesn\'t want to preroll.',
  '',
].join('\n');

describe('exitError', () => {
  it('missing element', () => {
    const error = exitError({ exitCode: 1 }, missingElementStderr, 0);

    expect(error.code).toBe('PIPELINE_ERR_MISSING_ELEMENT');
    expect(error.element).toBe('foo');
    expect(error.message).toContain('gst-launch-1.0 exited with code 1 before the first access unit: no element "foo"');
    expect(error.message).toContain('gst-inspect-1.0 foo');
  });

  it('not negotiated', () => {
    const error = exitError({ exitCode: 1 }, notNegotiatedStderr, 0);

    expect(error.code).toBe('PIPELINE_ERR_NOT_NEGOTIATED');
    expect(error.message).toContain('streaming stopped, reason not-negotiated (-4)');
  });

  it('could not link', () => {
    const error = exitError({ exitCode: 1 }, couldNotLinkStderr, 0);

    expect(error.code).toBe('PIPELINE_ERR_NOT_NEGOTIATED');
  });

  it('display unavailable', () => {
    const error = exitError({ exitCode: 255 }, noDisplayStderr, 0);

    expect(error.code).toBe('PIPELINE_ERR_DISPLAY_UNAVAILABLE');
    expect(error.exitCode).toBe(255);
  });

  it('other exit after frames', () => {
    const error = exitError({ signal: 'SIGSEGV' }, '', 12);

    expect(error.code).toBe('PIPELINE_ERR_EXITED');
    expect(error.message).toBe('gst-launch-1.0 was killed by SIGSEGV after 12 access units: no output on stderr.');
    expect(error.signal).toBe('SIGSEGV');
  });

  it('keeps stderr tail', () => {
    const error = exitError({ exitCode: 1 }, missingElementStderr, 0);

    expect(error.stderrTail).toBe(missingElementStderr);
  });
});

describe('StderrTail', () => {
  it('keeps short output', () => {
    const tail = new StderrTail(16);

    tail.append('abc');
    tail.append(new Uint8Array([0x64, 0x65]));

    expect(tail.toString()).toBe('abcde');
  });

  it('keeps the last bytes', () => {
    const tail = new StderrTail(8);

    tail.append('0123456789');
    tail.append('abc');

    expect(tail.toString()).toBe('56789abc');
  });

  it('default is 8 KiB', () => {
    const tail = new StderrTail();

    tail.append('x'.repeat(10_000));

    expect(tail.toString()).toHaveLength(8192);
  });
});

describe('exitError on recorded output', () => {
  const read = (name: string): string =>
    readFileSync(fileURLToPath(new URL(`../test/fixtures/stderr/${name}`, import.meta.url)), 'utf8');

  it('D3D12 init failure is a device error', () => {
    const error = exitError({ exitCode: 1 }, read('written-wsl2-d3d12-init-failed.txt'), 0);

    expect(error.code).toBe('PIPELINE_ERR_DEVICE');
    expect(error.message).toContain('libva error: /usr/lib/x86_64-linux-gnu/dri/d3d12_drv_video.so init failed');
    expect(error.element).toBe('videotestsrc0');
  });

  it('OpenH264 size rejection names the element', () => {
    const error = exitError({ exitCode: 1 }, read('this-machine-openh264enc-7680x4320.txt'), 0);

    expect(error.code).toBe('PIPELINE_ERR_NOT_NEGOTIATED');
    expect(error.element).toBe('videotestsrc0');
  });

  it('missing nvcudah264enc', () => {
    const error = exitError({ exitCode: 1 }, read('this-machine-launch-nvcudah264enc-missing.txt'), 0);

    expect(error.code).toBe('PIPELINE_ERR_MISSING_ELEMENT');
    expect(error.element).toBe('nvcudah264enc');
  });
});
