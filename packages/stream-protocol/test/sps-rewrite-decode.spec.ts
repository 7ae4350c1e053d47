import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parseSps, rewriteSpsBitstreamRestriction, splitNalUnits } from '../src/index.js';
import { mapSps, stripVui } from './strip-vui.js';
import { readCase } from './support.js';

const directory = mkdtempSync(join(tmpdir(), 'stream-protocol-'));

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/**
 * Decodes an Annex-B file with GStreamer's openh264dec and returns the SHA-256 of all decoded frames. openh264dec
 * decodes only Constrained Baseline, so the test uses the Constrained Baseline case file. It does not use avdec_h264
 * because gst-libav is not installed on every machine that runs these tests.
 */
function decodeDigest(name: string, annexB: Uint8Array): string {
  const input = join(directory, `${name}.h264`);
  const output = join(directory, `${name}.yuv`);

  writeFileSync(input, annexB);

  const result = spawnSync(
    'gst-launch-1.0',
    ['-q', 'filesrc', `location=${input}`, '!', 'h264parse', '!', 'openh264dec', '!', 'filesink', `location=${output}`],
    { encoding: 'utf8' },
  );

  expect(result.error).toBeUndefined();
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);

  const frames = readFileSync(output);

  // 10 frames of 1920x1080 I420: 1.5 bytes per pixel.
  expect(frames.length).toBe(10 * 1920 * 1080 * 1.5);
  return createHash('sha256').update(frames).digest('hex');
}

describe('SPS rewrite with GStreamer', () => {
  it('decodes rewritten stream like original', () => {
    const original = readCase('high-level51-1920x1080.h264');
    const withoutVui = mapSps(original, stripVui);
    const rewritten = mapSps(withoutVui, (sps) => rewriteSpsBitstreamRestriction(sps));

    const originalDigest = decodeDigest('original', original);
    const rewrittenDigest = decodeDigest('rewritten', rewritten);

    expect(parseSps(splitNalUnits(withoutVui)[1]).vuiParametersPresent).toBe(false);
    expect(parseSps(splitNalUnits(rewritten)[1]).vui?.bitstreamRestriction?.maxNumReorderFrames).toBe(0);
    expect(rewrittenDigest).toBe(originalDigest);
  });
});
