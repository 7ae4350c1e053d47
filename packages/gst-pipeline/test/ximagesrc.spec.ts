import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NalUnitType, nalUnitType, parseSps } from '@deskvm/stream-protocol';
import { runPipeline, type EncodedAccessUnit, type PipelineRun } from '../src/index.js';
import { isProcessAlive } from './support/process.js';
import { take } from './support/take.js';
import { startXvfb, type XServer } from './support/x-server.js';

describe('ximagesrc on Xvfb', () => {
  let xServer: XServer;
  let run: PipelineRun;
  let accessUnits: EncodedAccessUnit[];

  beforeAll(async () => {
    xServer = await startXvfb('320x240x24');
    run = runPipeline({
      source: { kind: 'ximagesrc', display: xServer.display },
      encoder: { kind: 'x264enc' },
      width: 320,
      height: 240,
      frameRate: 15,
    });
    accessUnits = await take(run.accessUnits(), 10);
  });

  afterAll(async () => {
    await run?.stop();
    await xServer?.stop();
  });

  it('delivers frames', () => {
    expect(accessUnits).toHaveLength(10);
  });

  it('first is a keyframe', () => {
    expect(accessUnits[0].keyframe).toBe(true);
  });

  it('SPS gives screen size', () => {
    const sps = accessUnits[0].nalUnits.find((nalUnit) => nalUnitType(nalUnit) === NalUnitType.Sps);
    const parsed = parseSps(sps as Uint8Array);

    expect(parsed.width).toBe(320);
    expect(parsed.height).toBe(240);
  });

  it('caps report 15 fps', async () => {
    const caps = await run.caps;

    expect(caps).toContain('framerate=(fraction)15/1');
  });

  it('stop leaves no process', async () => {
    const pid = run.pid as number;

    await run.stop();

    expect(isProcessAlive(pid)).toBe(false);
  });
});

describe('ximagesrc with XDamage', () => {
  it('useDamage still delivers frames', async () => {
    const xServer = await startXvfb('320x240x24');
    const run = runPipeline({
      source: { kind: 'ximagesrc', display: xServer.display, useDamage: true },
      encoder: { kind: 'x264enc' },
      width: 320,
      height: 240,
      frameRate: 15,
    });

    try {
      const accessUnits = await take(run.accessUnits(), 5);

      expect(run.argv).toContain('use-damage=true');
      expect(accessUnits).toHaveLength(5);
      expect(accessUnits[0].keyframe).toBe(true);
    } finally {
      await run.stop();
      await xServer.stop();
    }
  });
});
