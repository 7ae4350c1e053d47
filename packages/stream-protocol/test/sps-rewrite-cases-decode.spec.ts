import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { NalUnitType, nalUnitType, parseSps, rewriteSpsBitstreamRestriction, splitNalUnits, toAnnexB } from '../src/index.js';
import { readCase } from './support.js';

/** Decoded frame counts, read with `gst-launch-1.0 -v fdsrc ! h264parse ! avdec_h264 ! fakesink silent=false`. */
const CASES: readonly { name: string; frames: number }[] = [
  { name: 'bframes-main-320x240.h264', frames: 30 },
  { name: 'cropped-1278x718.h264', frames: 30 },
  { name: 'high-level51-1920x1080.h264', frames: 10 },
  { name: 'no-vui-320x240.h264', frames: 20 },
  { name: 'res-change-320x240-to-240x320.h264', frames: 30 },
  { name: 'sps-pps-3sei-idr-no-aud-320x240.h264', frames: 10 },
];

/**
 * Rewrites every SPS of a stream. A stream with B-frames keeps its own `max_num_reorder_frames`, because 0 would make
 * the decoder output its frames in decoding order, which is wrong for it.
 */
function rewriteAllSps(file: Uint8Array): Uint8Array {
  const nalUnits = splitNalUnits(file).map((nalUnit) => {
    if (nalUnitType(nalUnit) !== NalUnitType.Sps) {
      return nalUnit;
    }

    const reorderFrames = parseSps(nalUnit).vui?.bitstreamRestriction?.maxNumReorderFrames ?? 0;

    return rewriteSpsBitstreamRestriction(nalUnit, { maxNumReorderFrames: reorderFrames });
  });

  return toAnnexB(nalUnits);
}

/** Runs gst-launch-1.0 with the stream on standard input and returns its standard output and error. */
function gstLaunch(input: Uint8Array, elements: string[]): { stdout: Buffer; stderr: string } {
  const result = spawnSync('gst-launch-1.0', ['-q', 'fdsrc', '!', 'h264parse', '!', 'avdec_h264', '!', ...elements], {
    input,
    maxBuffer: 256 * 1024 * 1024,
  });

  expect(result.error).toBeUndefined();
  expect(result.status).toBe(0);
  return { stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** Returns the number of frames avdec_h264 decodes, counted as fakesink buffer messages. */
function decodedFrames(input: Uint8Array): number {
  const spawned = spawnSync(
    'gst-launch-1.0',
    ['-v', 'fdsrc', '!', 'h264parse', '!', 'avdec_h264', '!', 'fakesink', 'silent=false'],
    { input, maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' },
  );

  expect(spawned.status).toBe(0);
  return (spawned.stdout.toString('utf8').match(/last-message = chain/g) ?? []).length;
}

/** Returns the SHA-256 of every decoded frame as raw I420. */
function decodedDigest(input: Uint8Array): string {
  const { stdout } = gstLaunch(input, ['videoconvert', '!', 'video/x-raw,format=I420', '!', 'fdsink']);

  return createHash('sha256').update(stdout).digest('hex');
}

describe.each(CASES)('rewritten $name with avdec_h264', ({ name, frames }) => {
  const original = readCase(name);
  const rewritten = rewriteAllSps(original);

  it('carries bitstream restriction', () => {
    const spsList = splitNalUnits(rewritten).filter((nalUnit) => nalUnitType(nalUnit) === NalUnitType.Sps);

    expect(spsList.length).toBeGreaterThan(0);

    for (const sps of spsList) {
      expect(parseSps(sps).vui?.bitstreamRestriction).toBeDefined();
    }
  });

  it('decodes every frame', () => {
    expect(decodedFrames(original)).toBe(frames);
    expect(decodedFrames(rewritten)).toBe(frames);
  });

  it('decodes to identical pixels', () => {
    expect(decodedDigest(rewritten)).toBe(decodedDigest(original));
  });
});
