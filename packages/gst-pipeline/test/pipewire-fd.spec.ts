import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { PipelineError, runPipeline, type PipelineDescription } from '../src/index.js';
import { isProcessAlive } from './support/process.js';
import { openSilentSocket } from './support/silent-socket.js';

function pipewireDescription(fd: number): PipelineDescription {
  return { source: { kind: 'pipewiresrc', fd, nodeId: 57 }, encoder: { kind: 'x264enc' }, width: 320, height: 240, frameRate: 30 };
}

function thrownBy(start: () => unknown): PipelineError {
  try {
    start();
  } catch (error) {
    if (error instanceof PipelineError) {
      return error;
    }

    throw error;
  }

  throw new Error('no error was thrown');
}

describe('pipewiresrc descriptor check', () => {
  it('closed descriptor is rejected', () => {
    const fd = openSync('/dev/null', 'r');
    closeSync(fd);

    const error = thrownBy(() => runPipeline(pipewireDescription(fd)));

    expect(error.code).toBe('PIPELINE_ERR_INVALID_DESCRIPTION');
    expect(error.message).toContain(`Invalid source.fd ${fd}`);
    expect(error.message).toContain('not an open file descriptor');
  });

  it('non-socket descriptor is rejected', () => {
    const fd = openSync('/dev/null', 'r');

    try {
      const error = thrownBy(() => runPipeline(pipewireDescription(fd)));

      expect(error.code).toBe('PIPELINE_ERR_INVALID_DESCRIPTION');
      expect(error.message).toContain(`Invalid source.fd ${fd}`);
      expect(error.message).toContain('not a socket');
    } finally {
      closeSync(fd);
    }
  });

  it('socket descriptor starts gst-launch-1.0', async () => {
    const socket = await openSilentSocket();

    try {
      const run = runPipeline(pipewireDescription(socket.fd), { stopTimeoutMs: 500 });

      expect(run.pid).toBeDefined();
      await run.stop();
      expect(isProcessAlive(run.pid as number)).toBe(false);
    } finally {
      await socket.close();
    }
  });
});
