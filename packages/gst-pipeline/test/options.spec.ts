import { describe, expect, it } from '@jest/globals';
import {
  PipelineError,
  platformProfile,
  probeEncoders,
  runPipeline,
  runWithFallback,
  type PipelineDescription,
  type PipelineRun,
} from '../src/index.js';

const description: PipelineDescription = {
  source: { kind: 'videotestsrc' },
  encoder: { kind: 'x264enc' },
  width: 160,
  height: 120,
  frameRate: 30,
};

/** Returns the PipelineError that `start` throws, stopping the run when it starts one instead. */
function thrownBy(start: () => PipelineRun): PipelineError {
  try {
    void start().stop();
  } catch (error) {
    if (error instanceof PipelineError) {
      return error;
    }

    throw error;
  }

  throw new Error('no error was thrown');
}

describe('option checks', () => {
  it.each([
    ['negative stopTimeoutMs', { stopTimeoutMs: -1 }, 'Invalid stopTimeoutMs -1'],
    ['NaN stopTimeoutMs', { stopTimeoutMs: Number.NaN }, 'Invalid stopTimeoutMs NaN'],
    ['stopTimeoutMs beyond timers', { stopTimeoutMs: 3_000_000_000 }, 'Invalid stopTimeoutMs 3000000000'],
    ['zero highWaterMark', { highWaterMark: 0 }, 'Invalid highWaterMark 0'],
    ['NaN highWaterMark', { highWaterMark: Number.NaN }, 'Invalid highWaterMark NaN'],
  ])('runPipeline rejects %s', (_name, options, expectedText) => {
    const error = thrownBy(() => runPipeline(description, options));

    expect(error.code).toBe('PIPELINE_ERR_INVALID_OPTION');
    expect(error.message).toContain(expectedText);
  });

  it('runWithFallback rejects startTimeoutMs 0', async () => {
    await expect(runWithFallback([{ description }], { startTimeoutMs: 0 })).rejects.toMatchObject({
      code: 'PIPELINE_ERR_INVALID_OPTION',
      message: expect.stringContaining('Invalid startTimeoutMs 0'),
    });
  });

  it('probeEncoders rejects negative timeouts', async () => {
    const probe = (options: { inspectTimeoutMs?: number; encodeTimeoutMs?: number }) =>
      probeEncoders({ profile: platformProfile('software', 'none'), devices: [], ...options });

    await expect(probe({ inspectTimeoutMs: -5 })).rejects.toMatchObject({ code: 'PIPELINE_ERR_INVALID_OPTION' });
    await expect(probe({ encodeTimeoutMs: 1.5 })).rejects.toMatchObject({
      code: 'PIPELINE_ERR_INVALID_OPTION',
      message: expect.stringContaining('Invalid encodeTimeoutMs 1.5'),
    });
  });
});
