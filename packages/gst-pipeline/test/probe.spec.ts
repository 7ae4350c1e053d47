import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  ProbeCache,
  chosenCandidate,
  execaToolRunner,
  platformProfile,
  probeEncoders,
  type GstToolResult,
  type GstToolRunner,
} from '../src/index.js';
import { fixture } from './support/fixtures.js';
import { isProcessAlive } from './support/process.js';

const SOFTWARE = new Set(['x264enc', 'openh264enc']);

interface Recording {
  inspect?: string;
  launch?: { stderr: string; exitCode: number };
}

/**
 * Returns recorded gst-inspect-1.0 and gst-launch-1.0 output for hardware encoders, and runs the real tools for the
 * software encoders, which this machine has.
 */
function recordedRunner(recordings: Record<string, Recording>, calls: string[][] = []): GstToolRunner {
  return async (tool, args, options): Promise<GstToolResult> => {
    calls.push([tool, ...args]);
    const element = tool === 'gst-inspect-1.0' ? args[0] : args.find((argument) => argument in recordings || SOFTWARE.has(argument));

    if (args[0] === '--version' || (element !== undefined && SOFTWARE.has(element))) {
      return execaToolRunner(tool, args, options);
    }

    const recording = element === undefined ? undefined : recordings[element];

    if (tool === 'gst-inspect-1.0') {
      return recording?.inspect === undefined
        ? { exitCode: 255, stdout: '', stderr: fixture('stderr/this-machine-inspect-vah264enc-missing.txt').replace('vah264enc', args[0]), timedOut: false }
        : { exitCode: 0, stdout: recording.inspect, stderr: '', timedOut: false };
    }

    return { exitCode: recording?.launch?.exitCode ?? 0, stdout: '', stderr: recording?.launch?.stderr ?? '', timedOut: false };
  };
}

const allFiles = (): boolean => true;

describe('probeEncoders with recordings', () => {
  it('WSL2 with a failing D3D12 driver falls to x264enc', async () => {
    const report = await probeEncoders({
      profile: platformProfile('wsl2', 'nvidia', {}),
      devices: ['/dev/dxg'],
      size: { width: 320, height: 240, frameRate: 30 },
      fileExists: allFiles,
      runner: recordedRunner({
        // The va plugin skips a device whose VA display fails to open (gstvadevice.c), so it registers no vah264enc.
        vaapih264enc: {
          inspect: fixture('gst-inspect/written/vaapih264enc-1.22.0.txt'),
          launch: { exitCode: 1, stderr: fixture('stderr/written-wsl2-d3d12-init-failed.txt') },
        },
      }),
    });

    expect(report.candidates.map((verdict) => [verdict.encoder, verdict.accepted, verdict.rejection])).toEqual([
      ['vah264enc', false, 'element-not-found'],
      ['vaapih264enc', false, 'encode-failed'],
      ['x264enc', true, undefined],
      ['openh264enc', true, undefined],
    ]);
    expect(report.candidates[1].errorCode).toBe('PIPELINE_ERR_DEVICE');
    expect(report.candidates[1].reason).toContain('d3d12_drv_video.so init failed');
    expect(report.candidates[1].env).toEqual({ LIBVA_DRIVER_NAME: 'd3d12', LD_LIBRARY_PATH: '/usr/lib/wsl/lib', GST_VAAPI_ALL_DRIVERS: '1' });
    expect(report.candidates[0].reason).toContain('gst-inspect-1.0 does not know vah264enc');
    expect(chosenCandidate(report)?.encoder).toBe('x264enc');
    expect(report.gstVersion).toBe('1.22.0');
  });

  it('missing /dev/dxg rejects without running tools', async () => {
    const calls: string[][] = [];
    const report = await probeEncoders({
      profile: platformProfile('wsl2', 'intel', {}),
      devices: [],
      size: { width: 320, height: 240, frameRate: 30 },
      fileExists: (path) => path !== '/dev/dxg',
      runner: recordedRunner({}, calls),
    });

    expect(report.candidates[0].rejection).toBe('missing-file');
    expect(report.candidates[0].reason).toBe('vah264enc needs /dev/dxg, which does not exist on this machine.');
    expect(calls.some((call) => call.includes('vah264enc'))).toBe(false);
  });

  it('encoder that fails on first use', async () => {
    const report = await probeEncoders({
      profile: platformProfile('linux-va', 'intel'),
      devices: ['/dev/dri/renderD128'],
      size: { width: 320, height: 240, frameRate: 30 },
      runner: recordedRunner({
        vah264lpenc: {
          inspect: fixture('gst-inspect/written/vah264lpenc-1.22.0.txt'),
          launch: { exitCode: 1, stderr: fixture('stderr/written-encoder-rejects-format.txt') },
        },
        vah264enc: { inspect: fixture('gst-inspect/written/vah264enc-1.22.0.txt') },
      }),
    });

    expect(report.candidates[0].errorCode).toBe('PIPELINE_ERR_NOT_NEGOTIATED');
    expect(report.candidates[1].accepted).toBe(true);
    expect(report.candidates[1].inspected?.sinkFormats).toEqual(['NV12']);
    expect(chosenCandidate(report)?.encoder).toBe('vah264enc');
  });

  it('probe argv uses inspected names', async () => {
    const calls: string[][] = [];
    await probeEncoders({
      profile: platformProfile('linux-nvidia', 'nvidia'),
      devices: ['/dev/nvidia0'],
      size: { width: 320, height: 240, frameRate: 30 },
      runner: recordedRunner({ nvcudah264enc: { inspect: fixture('gst-inspect/written/nvcudah264enc-1.24.0.txt') } }, calls),
    });
    const launch = calls.find((call) => call[0] === 'gst-launch-1.0' && call.includes('nvcudah264enc'));

    expect(launch).toEqual(expect.arrayContaining(['preset=p1', 'tune=ultra-low-latency', 'num-buffers=10', 'fakesink']));
  });

  it('hung test encode is rejected', async () => {
    const runner: GstToolRunner = async (tool, args, options) =>
      tool === 'gst-launch-1.0' && args.includes('qsvh264enc')
        ? { exitCode: undefined, stdout: '', stderr: '', timedOut: true }
        : recordedRunner({ qsvh264enc: { inspect: fixture('gst-inspect/written/qsvh264enc-1.22.0.txt') } })(tool, args, options);
    const report = await probeEncoders({
      profile: platformProfile('linux-qsv', 'intel'),
      devices: ['/dev/dri/renderD128'],
      size: { width: 320, height: 240, frameRate: 30 },
      encodeTimeoutMs: 500,
      runner,
    });

    expect(report.candidates[0].rejection).toBe('encode-timed-out');
    expect(report.candidates[0].reason).toContain('500 ms');
  });

  it('real encoders pass on this machine', async () => {
    const report = await probeEncoders({ profile: platformProfile('software', 'none'), devices: [], size: { width: 320, height: 240, frameRate: 30 } });

    expect(report.candidates.map((verdict) => verdict.accepted)).toEqual([true, true]);
    expect(report.candidates[0].inspected?.properties).toHaveProperty('sliced-threads');
  });
});

describe('probe cache', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'gst-probe-cache-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  const probe = (devices: string[], calls: string[][]) =>
    probeEncoders({
      profile: platformProfile('linux-va', 'amd'),
      devices,
      size: { width: 320, height: 240, frameRate: 30 },
      cache: new ProbeCache(join(directory, 'data')),
      runner: recordedRunner({ vah264enc: { inspect: fixture('gst-inspect/written/vah264enc-1.22.0.txt') } }, calls),
      now: () => new Date('2026-12-04T12:00:00Z'),
    });

  it('second probe comes from cache', async () => {
    const calls: string[][] = [];
    const first = await probe(['/dev/dri/renderD128'], calls);
    const callsAfterFirst = calls.length;
    const second = await probe(['/dev/dri/renderD128'], calls);

    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(second.candidates).toEqual(first.candidates);
    expect(calls.length - callsAfterFirst).toBe(1);
  });

  it('new device probes again', async () => {
    const calls: string[][] = [];
    await probe(['/dev/dri/renderD128'], calls);
    const second = await probe(['/dev/dri/renderD128', '/dev/dri/renderD129'], calls);

    expect(second.fromCache).toBe(false);
  });

  it('writes atomically and leaves no temporary files', async () => {
    await probe(['/dev/dri/renderD128'], []);
    const files = readdirSync(join(directory, 'data'));
    const stored = JSON.parse(readFileSync(join(directory, 'data', 'gst-probe-cache.json'), 'utf8'));

    expect(files).toEqual(['gst-probe-cache.json']);
    expect(stored.formatVersion).toBe(1);
    expect(Object.values(stored.entries)).toHaveLength(1);
  });

  it('corrupt cache file is replaced', async () => {
    const cache = new ProbeCache(join(directory, 'data'));
    await probe(['/dev/dri/renderD128'], []);
    writeFileSync(cache.path, '{"formatVersion": 1, "entr');

    const report = await probe(['/dev/dri/renderD128'], []);

    expect(report.fromCache).toBe(false);
    expect(JSON.parse(readFileSync(cache.path, 'utf8')).formatVersion).toBe(1);
  });

  it('malformed cache entry probes again', async () => {
    const cache = new ProbeCache(join(directory, 'data'));
    await probe(['/dev/dri/renderD128'], []);
    const stored = JSON.parse(readFileSync(cache.path, 'utf8'));
    const [key] = Object.keys(stored.entries);
    stored.entries[key] = 'not a report';
    writeFileSync(cache.path, JSON.stringify(stored));

    const report = await probe(['/dev/dri/renderD128'], []);

    expect(report.fromCache).toBe(false);
    expect(report.candidates.map((verdict) => verdict.encoder)).toContain('x264enc');
    expect(await cache.get(key)).toMatchObject({ gstVersion: report.gstVersion });
  });

  it('timed-out candidate is not cached', async () => {
    const cache = new ProbeCache(join(directory, 'data'));
    const runner: GstToolRunner = async (tool, args, options) =>
      tool === 'gst-inspect-1.0' && args[0] === 'x264enc'
        ? { exitCode: undefined, stdout: '', stderr: '', timedOut: true }
        : execaToolRunner(tool, args, options);
    const probe = () =>
      probeEncoders({ profile: platformProfile('software', 'none'), devices: [], size: { width: 320, height: 240, frameRate: 30 }, cache, runner });

    const first = await probe();
    const second = await probe();

    expect(first.candidates[0].rejection).toBe('inspect-timed-out');
    expect(second.fromCache).toBe(false);
  });

  it('unwritable cache keeps the report', async () => {
    const blocker = join(directory, 'file');
    writeFileSync(blocker, 'not a directory');

    const report = await probeEncoders({
      profile: platformProfile('software', 'none'),
      devices: [],
      size: { width: 320, height: 240, frameRate: 30 },
      cache: new ProbeCache(join(blocker, 'data')),
    });

    expect(report.fromCache).toBe(false);
    expect(report.candidates.map((verdict) => verdict.accepted)).toEqual([true, true]);
    expect(report.cacheWriteError?.code).toBe('PIPELINE_ERR_CACHE_WRITE');
    expect(report.cacheWriteError?.message).toContain(join(blocker, 'data'));
  });

  it('unwritable directory raises PIPELINE_ERR_CACHE_WRITE', async () => {
    const blocker = join(directory, 'file');
    writeFileSync(blocker, 'not a directory');
    const cache = new ProbeCache(join(blocker, 'data'));

    await expect(cache.set('key', { gstVersion: '1.22.0', platform: 'software', vendor: 'none', devices: [], candidates: [], probedAt: '' })).rejects.toMatchObject({
      code: 'PIPELINE_ERR_CACHE_WRITE',
    });
  });
});

describe('probeEncoders without GStreamer', () => {
  it('missing gst-inspect-1.0 raises GST_NOT_FOUND', async () => {
    const runner: GstToolRunner = async () => ({ exitCode: undefined, stdout: '', stderr: 'spawn gst-inspect-1.0 ENOENT', timedOut: false });

    await expect(probeEncoders({ profile: platformProfile('software', 'none'), devices: [], runner })).rejects.toMatchObject({
      code: 'PIPELINE_ERR_GST_NOT_FOUND',
      message: expect.stringContaining('spawn gst-inspect-1.0 ENOENT'),
    });
  });
});

describe('probeEncoders with a hung gst-inspect-1.0', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'gst-pipeline-hung-inspect-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  /**
   * Puts a gst-inspect-1.0 script first in PATH that records its pid and sleeps, except for `--version` when
   * `versionWorks` is set, which it passes to the real tool.
   */
  function hangingRunner(versionWorks: boolean): GstToolRunner {
    const realTool = execaToolRunner;
    const script = [
      '#!/bin/sh',
      versionWorks ? 'if [ "$1" = "--version" ]; then exec /usr/bin/gst-inspect-1.0 "$@"; fi' : '',
      `echo $$ >> '${join(directory, 'pids')}'`,
      'exec sleep 30',
      '',
    ].join('\n');
    writeFileSync(join(directory, 'gst-inspect-1.0'), script);
    chmodSync(join(directory, 'gst-inspect-1.0'), 0o755);

    return (tool, args, options) =>
      realTool(tool, args, { ...options, env: { ...options.env, PATH: `${directory}:${process.env.PATH ?? ''}` } });
  }

  function recordedPids(): number[] {
    return readFileSync(join(directory, 'pids'), 'utf8').trim().split('\n').map(Number);
  }

  it('hung --version raises GST_TIMED_OUT', async () => {
    const probe = probeEncoders({ profile: platformProfile('software', 'none'), devices: [], runner: hangingRunner(false), inspectTimeoutMs: 500 });

    await expect(probe).rejects.toMatchObject({
      code: 'PIPELINE_ERR_GST_TIMED_OUT',
      message: expect.stringContaining('gst-inspect-1.0 --version did not finish within 500 ms'),
    });
    expect(recordedPids()).toHaveLength(1);
    expect(recordedPids().every((pid) => !isProcessAlive(pid))).toBe(true);
  });

  it('hung element inspect is its own rejection', async () => {
    const report = await probeEncoders({
      profile: platformProfile('software', 'none'),
      devices: [],
      size: { width: 320, height: 240, frameRate: 30 },
      runner: hangingRunner(true),
      inspectTimeoutMs: 500,
    });

    expect(report.candidates.map((verdict) => verdict.rejection)).toEqual(['inspect-timed-out', 'inspect-timed-out']);
    expect(report.candidates[0].reason).toContain('gst-inspect-1.0 x264enc did not finish within 500 ms');
    expect(recordedPids()).toHaveLength(2);
    expect(recordedPids().every((pid) => !isProcessAlive(pid))).toBe(true);
  });
});
