import { describe, expect, it } from '@jest/globals';
import { attemptsFromReport, formatProbeReport, parseInspectOutput, type ProbeReport } from '../src/index.js';
import { fixture } from './support/fixtures.js';

const inspected = parseInspectOutput('vah264enc', fixture('gst-inspect/written/vah264enc-1.22.0.txt'));

const report: ProbeReport = {
  gstVersion: '1.22.0',
  platform: 'wsl2',
  vendor: 'amd',
  devices: ['/dev/dxg'],
  probedAt: '2026-12-04T12:00:00.000Z',
  candidates: [
    { encoder: 'vah264enc', env: { LIBVA_DRIVER_NAME: 'd3d12' }, accepted: true, inspected },
    {
      encoder: 'vaapih264enc',
      env: {},
      accepted: false,
      rejection: 'element-not-found',
      reason: 'gst-inspect-1.0 does not know vaapih264enc.',
    },
    { encoder: 'x264enc', env: {}, accepted: true },
  ],
};

describe('attemptsFromReport', () => {
  it('PipeWire into vah264enc tries DMA-BUF first', () => {
    const attempts = attemptsFromReport(report, { source: { kind: 'pipewiresrc', fd: 9, nodeId: 3 }, width: 1280, height: 720, frameRate: 30 });

    expect(attempts.map(({ description }) => [description.encoder.kind, description.source.kind === 'pipewiresrc' && description.source.memory])).toEqual([
      ['vah264enc', 'dmabuf'],
      ['vah264enc', 'system'],
      ['x264enc', undefined],
    ]);
    expect(attempts[0].env).toEqual({ LIBVA_DRIVER_NAME: 'd3d12' });
    expect(attempts[0].inspectedEncoder).toBe(inspected);
  });

  it('ximagesrc gets one attempt per encoder', () => {
    const attempts = attemptsFromReport(report, { source: { kind: 'ximagesrc', display: ':1' }, width: 1280, height: 720, frameRate: 30 });

    expect(attempts.map(({ description }) => description.encoder.kind)).toEqual(['vah264enc', 'x264enc']);
  });

  it('explicit memory is kept', () => {
    const attempts = attemptsFromReport(report, {
      source: { kind: 'pipewiresrc', fd: 9, nodeId: 3, memory: 'system' },
      width: 1280,
      height: 720,
      frameRate: 30,
    });

    expect(attempts).toHaveLength(2);
  });
});

describe('formatProbeReport', () => {
  it('lists each candidate', () => {
    expect(formatProbeReport(report)).toEqual([
      'GStreamer 1.22.0, platform wsl2, GPU vendor amd, devices: /dev/dxg',
      'vah264enc: works',
      'vaapih264enc: rejected (element-not-found): gst-inspect-1.0 does not know vaapih264enc.',
      'x264enc: works',
    ]);
  });
});
