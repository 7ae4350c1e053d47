import { describe, expect, it } from '@jest/globals';
import { PipelineError, runWithFallback, type PipelineAttempt } from '../src/index.js';
import { take } from './support/take.js';
import { isProcessAlive } from './support/process.js';
import { openSilentSocket } from './support/silent-socket.js';

const SMALL = { width: 320, height: 240, frameRate: 30 } as const;

const x264Attempt: PipelineAttempt = { description: { ...SMALL, source: { kind: 'videotestsrc' }, encoder: { kind: 'x264enc' } } };

// A missing element, as on a machine without the NVIDIA plugin (real: this machine has none).
const missingAttempt: PipelineAttempt = { description: { ...SMALL, source: { kind: 'videotestsrc' }, encoder: { kind: 'nvcudah264enc' } } };

// An encoder that exists and fails on first use (real: OpenH264 rejects frames above 9437184 pixels).
const failingAttempt: PipelineAttempt = {
  description: { width: 7680, height: 4320, frameRate: 30, source: { kind: 'videotestsrc' }, encoder: { kind: 'openh264enc' } },
};

async function rejectionOf(promise: Promise<unknown>): Promise<PipelineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PipelineError) {
      return error;
    }

    throw error;
  }

  throw new Error('the promise resolved');
}

describe('runWithFallback', () => {
  it('skips failing encoders to x264enc', async () => {
    const { run, attempt, failed } = await runWithFallback([missingAttempt, failingAttempt, x264Attempt]);

    try {
      const accessUnits = await take(run.accessUnits(), 5);

      expect(attempt).toBe(x264Attempt);
      expect(accessUnits).toHaveLength(5);
      expect(failed.map(({ error }) => error.code)).toEqual(['PIPELINE_ERR_MISSING_ELEMENT', 'PIPELINE_ERR_NOT_NEGOTIATED']);
      expect(failed[0].error.element).toBe('nvcudah264enc');
      expect(failed[1].error.element).toBe('videotestsrc0');
    } finally {
      await run.stop();
    }
  });

  it('all failing raises PIPELINE_ERR_NO_ENCODER', async () => {
    const error = await rejectionOf(runWithFallback([missingAttempt, failingAttempt]));

    expect(error.code).toBe('PIPELINE_ERR_NO_ENCODER');
    expect(error.rejections).toHaveLength(2);
    expect(error.rejections?.[0]).toContain('nvcudah264enc: ');
  });

  it('missing display stops the fallback', async () => {
    const onMissingDisplay: PipelineAttempt = { description: { ...SMALL, source: { kind: 'ximagesrc', display: ':87' }, encoder: { kind: 'x264enc' } } };

    const error = await rejectionOf(runWithFallback([onMissingDisplay, x264Attempt], { env: { DISPLAY: ':87' } }));

    expect(error.code).toBe('PIPELINE_ERR_DISPLAY_UNAVAILABLE');
  });

  it('silent pipewiresrc times out and is killed', async () => {
    // pipewiresrc gets a socket whose peer never writes as its PipeWire remote, so it never produces a frame.
    const socket = await openSilentSocket();
    const pids: Array<number | undefined> = [];

    try {
      const silent: PipelineAttempt = {
        description: { ...SMALL, source: { kind: 'pipewiresrc', fd: socket.fd, nodeId: 57 }, encoder: { kind: 'x264enc' } },
      };
      const { run, failed } = await runWithFallback([silent, x264Attempt], { startTimeoutMs: 1500, stopTimeoutMs: 500 });
      pids.push(run.pid, failed[0]?.pid);
      await run.stop();

      expect(failed.map(({ error }) => error.code)).toEqual(['PIPELINE_ERR_START_TIMEOUT']);
      expect(failed[0].error.message).toContain('no access unit within 1500 ms');
    } finally {
      await socket.close();
    }

    expect(pids[1]).toBeDefined();
    expect(pids.every((pid) => pid === undefined || !isProcessAlive(pid))).toBe(true);
  });
});
