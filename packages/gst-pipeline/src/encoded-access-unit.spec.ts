import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { nalUnitType } from '@deskvm/stream-protocol';
import { AccessUnitBuilder, type EncodedAccessUnit } from './encoded-access-unit.js';
import { GdpParser, type GdpBufferPacket } from './gdp/gdp-parser.js';
import type { Logger } from './logger.js';

const fixture = new Uint8Array(readFileSync(new URL('../test/fixtures/x264-64x48-5-frames.gdp', import.meta.url)));

function fixtureBuffers(): GdpBufferPacket[] {
  return new GdpParser().push(fixture).filter((packet): packet is GdpBufferPacket => packet.type === 'buffer');
}

function recordingLogger(warnings: string[]): Logger {
  const ignore = (): void => undefined;

  return { debug: ignore, info: ignore, warn: (message) => warnings.push(message), error: ignore };
}

function buildAll(builder: AccessUnitBuilder, packets: GdpBufferPacket[]): EncodedAccessUnit[] {
  return packets.flatMap((packet, index) => builder.build(packet, BigInt(index)) ?? []);
}

describe('AccessUnitBuilder', () => {
  it('one access unit per buffer', () => {
    const accessUnits = buildAll(new AccessUnitBuilder(recordingLogger([])), fixtureBuffers());

    expect(accessUnits).toHaveLength(5);
  });

  it('keyframes from flags and IDR', () => {
    const accessUnits = buildAll(new AccessUnitBuilder(recordingLogger([])), fixtureBuffers());

    expect(accessUnits.map((accessUnit) => accessUnit.keyframe)).toEqual([true, false, false, true, false]);
  });

  it('NAL unit types', () => {
    const accessUnits = buildAll(new AccessUnitBuilder(recordingLogger([])), fixtureBuffers());

    expect(accessUnits.map((accessUnit) => accessUnit.nalUnits.map(nalUnitType))).toEqual([
      [9, 7, 8, 6, 5],
      [9, 1],
      [9, 1],
      [9, 7, 8, 5],
      [9, 1],
    ]);
  });

  it('timestamps in microseconds', () => {
    const accessUnits = buildAll(new AccessUnitBuilder(recordingLogger([])), fixtureBuffers());

    expect(accessUnits.map((accessUnit) => accessUnit.ptsUs - 3_600_000_000_000n)).toEqual([0n, 33_333n, 66_666n, 100_000n, 133_333n]);
    expect(accessUnits.map((accessUnit) => accessUnit.durationUs)).toEqual(Array(5).fill(33_333n));
  });

  it('data is the buffer payload', () => {
    const packets = fixtureBuffers();

    const accessUnit = new AccessUnitBuilder(recordingLogger([])).build(packets[1], 7n);

    expect(accessUnit?.data).toBe(packets[1].payload);
    expect(accessUnit?.receivedAtUs).toBe(7n);
  });

  it('DELTA_UNIT on an IDR is not a keyframe', () => {
    const warnings: string[] = [];
    const builder = new AccessUnitBuilder(recordingLogger(warnings));
    const packet = { ...fixtureBuffers()[0], flags: 0x2000 };

    const accessUnit = builder.build(packet, 0n);

    expect(accessUnit?.keyframe).toBe(false);
    expect(builder.keyframeMismatches).toBe(1);
    expect(warnings).toHaveLength(1);
  });

  it('missing DELTA_UNIT without IDR is not a keyframe', () => {
    const builder = new AccessUnitBuilder(recordingLogger([]));
    const packet = { ...fixtureBuffers()[1], flags: 0x0000 };

    const accessUnit = builder.build(packet, 0n);

    expect(accessUnit?.keyframe).toBe(false);
    expect(builder.keyframeMismatches).toBe(1);
  });

  it('parameter sets carried to next buffer', () => {
    const builder = new AccessUnitBuilder(recordingLogger([]));
    const parameterSets: GdpBufferPacket = {
      type: 'buffer',
      payload: new Uint8Array([0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xc0, 0x0d, 0x00, 0x00, 0x00, 0x01, 0x68, 0xce, 0x3c, 0x80]),
      ptsNs: 0n,
      flags: 0x0400,
    };
    const idr: GdpBufferPacket = {
      type: 'buffer',
      payload: new Uint8Array([0x00, 0x00, 0x00, 0x01, 0x65, 0x88, 0x84]),
      ptsNs: 0n,
      flags: 0x0000,
    };

    const parameterSetsResult = builder.build(parameterSets, 1n);
    const accessUnit = builder.build(idr, 2n);

    expect(parameterSetsResult).toBeUndefined();
    expect(accessUnit?.nalUnits.map(nalUnitType)).toEqual([7, 8, 5]);
    expect(accessUnit?.keyframe).toBe(true);
    expect([...(accessUnit?.data ?? [])]).toEqual([
      0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xc0, 0x0d, 0x00, 0x00, 0x00, 0x01, 0x68, 0xce, 0x3c, 0x80, 0x00, 0x00, 0x00,
      0x01, 0x65, 0x88, 0x84,
    ]);
  });

  it('PTS falls back to DTS', () => {
    const packet = { ...fixtureBuffers()[1], ptsNs: undefined, dtsNs: 5_000n };

    const accessUnit = new AccessUnitBuilder(recordingLogger([])).build(packet, 0n);

    expect(accessUnit?.ptsUs).toBe(5n);
  });

  it('no timestamp skips buffer', () => {
    const warnings: string[] = [];
    const builder = new AccessUnitBuilder(recordingLogger(warnings));
    const packet = { ...fixtureBuffers()[1], ptsNs: undefined, dtsNs: undefined };

    const accessUnit = builder.build(packet, 0n);

    expect(accessUnit).toBeUndefined();
    expect(builder.skippedBuffers).toBe(1);
    expect(warnings).toHaveLength(1);
  });
});
