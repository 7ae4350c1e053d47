import { execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NalUnitType, nalUnitType, parseSps } from '@deskvm/stream-protocol';
import { runPipeline, type EncodedAccessUnit, type EncoderDescription, type PipelineRun } from '../src/index.js';
import { isProcessAlive } from './support/process.js';
import { take } from './support/take.js';

const FRAMES = 30;

function hasElement(name: string): boolean {
  return execaSync('gst-inspect-1.0', ['--exists', name], { reject: false }).exitCode === 0;
}

const encoders: Array<{ encoder: EncoderDescription; available: boolean }> = [
  { encoder: { kind: 'x264enc' }, available: hasElement('x264enc') },
  { encoder: { kind: 'openh264enc' }, available: hasElement('openh264enc') },
];

for (const { encoder, available } of encoders) {
  // Skipped only when `gst-inspect-1.0 --exists` reports that the encoder's plugin is not installed.
  const describeEncoder = available ? describe : describe.skip;

  describeEncoder(`videotestsrc with ${encoder.kind} at 320x240`, () => {
    let run: PipelineRun;
    let accessUnits: EncodedAccessUnit[];
    let caps: string;

    beforeAll(async () => {
      run = runPipeline({
        source: { kind: 'videotestsrc', pattern: 'ball' },
        encoder,
        width: 320,
        height: 240,
        frameRate: 30,
        keyframeInterval: 10,
      });
      accessUnits = await take(run.accessUnits(), FRAMES);
      caps = await run.caps;
    });

    afterAll(async () => {
      await run.stop();
    });

    it('delivers all frames', () => {
      expect(accessUnits).toHaveLength(FRAMES);
    });

    it('first access unit is a keyframe', () => {
      expect(accessUnits[0].keyframe).toBe(true);
    });

    it('first access unit has SPS, PPS and IDR', () => {
      const types = accessUnits[0].nalUnits.map(nalUnitType);

      expect(types).toContain(NalUnitType.Sps);
      expect(types).toContain(NalUnitType.Pps);
      expect(types).toContain(NalUnitType.IdrSlice);
    });

    it('SPS gives 320x240', () => {
      const sps = accessUnits[0].nalUnits.find((nalUnit) => nalUnitType(nalUnit) === NalUnitType.Sps);
      const parsed = parseSps(sps as Uint8Array);

      expect(parsed.width).toBe(320);
      expect(parsed.height).toBe(240);
    });

    it('keyframes every 10 frames', () => {
      const keyframeIndexes = accessUnits.flatMap((accessUnit, index) => (accessUnit.keyframe ? [index] : []));

      expect(keyframeIndexes).toEqual([0, 10, 20]);
    });

    it('PTS increases', () => {
      for (let index = 1; index < accessUnits.length; index++) {
        expect(accessUnits[index].ptsUs).toBeGreaterThan(accessUnits[index - 1].ptsUs);
      }
    });

    it('no B-frames: DTS equals PTS', () => {
      for (const accessUnit of accessUnits) {
        expect(accessUnit.dtsUs).toBe(accessUnit.ptsUs);
      }
    });

    it('receive times increase', () => {
      for (let index = 1; index < accessUnits.length; index++) {
        expect(accessUnits[index].receivedAtUs).toBeGreaterThanOrEqual(accessUnits[index - 1].receivedAtUs);
      }
    });

    it('data is Annex-B of the NAL units', () => {
      const [first] = accessUnits;

      expect([...first.data.subarray(0, 4)]).toEqual([0x00, 0x00, 0x00, 0x01]);
      expect(first.nalUnits.reduce((sum, nalUnit) => sum + nalUnit.length, 0)).toBeLessThan(first.data.length);
    });

    it('caps report the size', () => {
      expect(caps).toMatch(/^video\/x-h264, /);
      expect(caps).toContain('stream-format=(string)byte-stream');
      expect(caps).toContain('alignment=(string)au');
      expect(caps).toContain('width=(int)320');
      expect(caps).toContain('height=(int)240');
      expect(caps).toContain('framerate=(fraction)30/1');
    });

    it('stats count events and caps', () => {
      const stats = run.stats();

      expect(stats.events).toBeGreaterThanOrEqual(2);
      expect(stats.capsPackets).toBeGreaterThanOrEqual(1);
      expect(stats.keyframeMismatches).toBe(0);
      expect(stats.accessUnits).toBeGreaterThanOrEqual(FRAMES);
    });

    it('stop ends the process', async () => {
      const pid = run.pid as number;

      await run.stop();

      expect(isProcessAlive(pid)).toBe(false);
    });
  });
}
