import { readdirSync, readFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from '@jest/globals';

import { runPipeline } from '@deskvm/gst-pipeline';
import { ErrorCode } from '@deskvm/stream-protocol';

import { startBridge, type Bridge } from '../src/bridge.js';
import type { FrameSource, SourceFrame } from '../src/frame-source.js';
import type { LogFields, Logger } from '../src/logger.js';
import { generateToken } from '../src/token.js';
import { caseFile, fileSource } from './support/file-source.js';
import { waitFor } from './support/recording-desktop.js';
import { connectViewerV2 } from './support/viewer-client.js';

const frameRate = { numerator: 30, denominator: 1 };

interface LogLine {
  level: string;
  message: string;
  fields: LogFields | undefined;
}

function recordingLogger(lines: LogLine[]): Logger {
  const record = (level: string) => (message: string, fields?: LogFields) => lines.push({ level, message, fields });

  return { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

/** A source whose encoder crashes before its first access unit. */
function crashingSource(): FrameSource {
  return {
    frames: async function* () {
      yield* [];
      throw new Error('encoder crashed');
    },
    stop: async () => undefined,
  };
}

/** Child processes of this test process whose command name is `name`, zombies included. */
function childProcesses(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);

        return parent === process.pid && comm === name.slice(0, 15);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Creates a source that yields `frames` frames of a case file, then never yields again until it is stopped. */
function stallingSource(frames: number, counter: { starts: number }): () => FrameSource {
  const inner = fileSource(caseFile('sps-pps-3sei-idr-no-aud-320x240.h264'), 5, { started: 0, stopped: 0 });

  return () => {
    counter.starts += 1;

    const source = inner();
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });

    return {
      frames: async function* (): AsyncGenerator<SourceFrame> {
        let count = 0;

        for await (const frame of source.frames()) {
          yield frame;
          count += 1;

          if (count === frames) {
            await stopped;
            return;
          }
        }
      },
      stop: async () => {
        stop();
        await source.stop();
      },
    };
  };
}

describe('pipeline supervision', () => {
  let bridge: Bridge | undefined;

  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  it('restarts a stalled source', async () => {
    const counter = { starts: 0 };
    const lines: LogLine[] = [];
    const token = generateToken();

    bridge = await startBridge({
      token,
      frameRate,
      source: stallingSource(3, counter),
      stallTimeoutMs: 150,
      restartDelayMs: 10,
      logger: recordingLogger(lines),
    });
    await connectViewerV2(bridge.streamUrl, token);
    await waitFor(() => counter.starts >= 3, 5000, 'three starts');

    expect(lines.filter((line) => line.message === 'pipeline stalled, stopping it').length).toBeGreaterThanOrEqual(2);
  });

  it('opens circuit after repeated failures', async () => {
    let starts = 0;
    const token = generateToken();
    const failing = (): FrameSource => {
      starts += 1;
      return crashingSource();
    };

    bridge = await startBridge({
      token,
      frameRate,
      source: failing,
      restartDelayMs: 5,
      circuitFailures: 3,
      circuitWindowMs: 10_000,
      circuitOpenMs: 60_000,
    });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await waitFor(() => viewer.messages.some((message) => message.type === 'error'), 5000, 'an error message');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const health = (await (await fetch(`http://127.0.0.1:${bridge.port}/health`)).json()) as {
      pipeline: { circuitOpen: boolean; failures: number };
    };

    expect(starts).toBe(3);
    expect(viewer.messages.find((message) => message.type === 'error')).toMatchObject({ code: ErrorCode.PipelineFailed });
    expect(health.pipeline).toMatchObject({ circuitOpen: true, failures: 3 });
  });

  it('doubles restart delay up to its cap', async () => {
    const token = generateToken();
    const lines: LogLine[] = [];
    const failing = crashingSource;

    bridge = await startBridge({
      token,
      frameRate,
      source: failing,
      restartDelayMs: 5,
      maxRestartDelayMs: 20,
      circuitFailures: 100,
      logger: recordingLogger(lines),
    });
    await connectViewerV2(bridge.streamUrl, token);
    const restarts = (): LogLine[] => lines.filter((line) => line.message === 'pipeline ended, restarting');
    await waitFor(() => restarts().length >= 5, 5000, 'five restarts');

    expect(restarts().slice(0, 5).map((line) => line.fields?.['delayMs'])).toEqual([5, 10, 20, 20, 20]);
  });

  it('leaves no processes or descriptors after many restarts', async () => {
    const token = generateToken();
    const lines: LogLine[] = [];
    let starts = 0;
    const descriptorsBefore = readdirSync('/proc/self/fd').length;
    // Each run is a real gst-launch-1.0 process that the test kills with SIGKILL after its second access unit.
    const crashingGstreamer = (): FrameSource => {
      starts += 1;

      const run = runPipeline({ source: { kind: 'videotestsrc' }, encoder: { kind: 'x264enc' }, width: 160, height: 120, frameRate: 30 });

      return {
        frames: async function* (): AsyncGenerator<SourceFrame> {
          let count = 0;

          for await (const accessUnit of run.accessUnits()) {
            yield { data: accessUnit.data, nalUnits: accessUnit.nalUnits, keyframe: accessUnit.keyframe, timestampUs: accessUnit.ptsUs };
            count += 1;

            if (count === 2 && run.pid !== undefined) {
              process.kill(run.pid, 'SIGKILL');
            }
          }
        },
        stop: () => run.stop(),
      };
    };

    bridge = await startBridge({
      token,
      frameRate,
      source: crashingGstreamer,
      restartDelayMs: 1,
      maxRestartDelayMs: 1,
      circuitFailures: 1000,
      logger: recordingLogger(lines),
    });
    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await waitFor(() => starts >= 20, 60_000, '20 pipeline starts');
    viewer.socket.close();
    await bridge.close();
    bridge = undefined;
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(lines.filter((line) => line.message === 'pipeline ended, restarting').length).toBeGreaterThanOrEqual(19);
    expect(childProcesses('gst-launch-1.0')).toEqual([]);
    expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(descriptorsBefore);
  }, 90_000);
});

describe('bridge logs', () => {
  it('record lifecycle without token', async () => {
    const token = generateToken();
    const lines: LogLine[] = [];
    let starts = 0;
    const inner = fileSource(caseFile('sps-pps-3sei-idr-no-aud-320x240.h264'), 5, { started: 0, stopped: 0 }, false);
    const bridge = await startBridge({
      token,
      frameRate,
      source: () => {
        starts += 1;
        return inner();
      },
      restartDelayMs: 10,
      logger: recordingLogger(lines),
    });

    const viewer = await connectViewerV2(bridge.streamUrl, token);
    await waitFor(() => starts >= 2, 5000, 'a restart');
    viewer.socket.send(Uint8Array.of(0x99));
    await waitFor(() => lines.some((line) => line.message === 'invalid viewer message'));
    viewer.socket.close();
    await viewer.closed;
    await bridge.close();

    const messages = new Set(lines.map((line) => line.message));

    for (const expected of [
      'bridge started',
      'viewer joined',
      'pipeline started',
      'pipeline ended, restarting',
      'invalid viewer message',
      'viewer left',
      'bridge stopped',
    ]) {
      expect(messages).toContain(expected);
    }

    expect(JSON.stringify(lines)).not.toContain(token);
  });
});
