import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runPipeline, type PipelineDescription } from '../src/index.js';
import { isProcessAlive } from './support/process.js';
import { take } from './support/take.js';

const description: PipelineDescription = {
  source: { kind: 'videotestsrc' },
  encoder: { kind: 'x264enc' },
  width: 160,
  height: 120,
  frameRate: 30,
};

describe('PipelineRun lifecycle', () => {
  it('stop sends end of stream', async () => {
    const run = runPipeline(description);
    const iterator = run.accessUnits();
    await take(iterator, 3);
    const pid = run.pid as number;

    await run.stop();
    const exit = await run.exited;

    expect(exit).toEqual({ exitCode: 0, signal: undefined });
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('iterator ends after stop', async () => {
    const run = runPipeline(description);
    const iterator = run.accessUnits();
    await take(iterator, 1);

    await run.stop();
    const remaining = await take(iterator, 1_000);
    const end = await iterator.next();

    expect(remaining.length).toBeLessThan(1_000);
    expect(end.done).toBe(true);
  });

  it('stop twice', async () => {
    const run = runPipeline(description);

    await Promise.all([run.stop(), run.stop()]);

    expect(isProcessAlive(run.pid as number)).toBe(false);
  });

  it('stop before first access unit', async () => {
    const run = runPipeline(description);

    await run.stop();
    const end = await run.accessUnits().next();

    expect(end.done).toBe(true);
    await expect(run.caps).rejects.toMatchObject({ code: 'PIPELINE_ERR_EXITED' });
  });

  it('abort signal stops the process', async () => {
    const controller = new AbortController();
    const run = runPipeline(description, { signal: controller.signal });
    const iterator = run.accessUnits();
    await take(iterator, 2);
    const pid = run.pid as number;

    controller.abort();
    await take(iterator, 1_000);
    await run.exited;

    expect(isProcessAlive(pid)).toBe(false);
  });

  it('aborted signal rejects start', () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));

    expect(() => runPipeline(description, { signal: controller.signal })).toThrow('cancelled');
  });

  it('break out of for await stops', async () => {
    const run = runPipeline(description);
    const received: unknown[] = [];

    for await (const accessUnit of run) {
      received.push(accessUnit);

      if (received.length === 3) {
        break;
      }
    }
    await run.exited;

    expect(received).toHaveLength(3);
    expect(isProcessAlive(run.pid as number)).toBe(false);
  });

  it('SIGKILL after stop timeout', async () => {
    const run = runPipeline(description, { stopTimeoutMs: 300 });
    await take(run.accessUnits(), 1);
    const pid = run.pid as number;
    // A stopped process ignores SIGINT until SIGCONT, so only the SIGKILL fallback can end it.
    process.kill(pid, 'SIGSTOP');

    await run.stop();
    const exit = await run.exited;

    expect(exit.signal).toBe('SIGKILL');
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('wrapper child holding the pipes', async () => {
    // The wrapper forks a child and exits, and the child inherits stdout and stderr and keeps them open.
    const directory = mkdtempSync(join(tmpdir(), 'gst-pipeline-wrapper-'));
    const wrapper = join(directory, 'gst-launch-wrapper');
    writeFileSync(wrapper, `#!/bin/sh\nsleep 30 &\necho $! > '${join(directory, 'child-pid')}'\nexit 3\n`);
    chmodSync(wrapper, 0o755);
    const run = runPipeline(description, { gstLaunchPath: wrapper });

    try {
      const exit = await run.exited;

      expect(exit.exitCode).toBe(3);
      await expect(run.caps).rejects.toMatchObject({ code: 'PIPELINE_ERR_EXITED' });
    } finally {
      process.kill(Number(readFileSync(join(directory, 'child-pid'), 'utf8')), 'SIGKILL');
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('output cut inside a GDP packet', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'gst-pipeline-cut-'));
    const script = join(directory, 'gst-launch-cut');
    // 50 bytes are less than one 62-byte GDP header, and the script exits with code 0.
    writeFileSync(script, '#!/bin/sh\nhead -c 50 /dev/zero\nexit 0\n');
    chmodSync(script, 0o755);

    try {
      const run = runPipeline(description, { gstLaunchPath: script });

      await expect(run.caps).rejects.toMatchObject({
        code: 'PIPELINE_ERR_INVALID_GDP',
        message: expect.stringContaining('(50 bytes of it)'),
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('second accessUnits call rejected', () => {
    const run = runPipeline(description);
    run.accessUnits();

    expect(() => run.accessUnits()).toThrow(expect.objectContaining({ code: 'PIPELINE_ERR_ALREADY_CONSUMED' }));

    return run.stop();
  });

  it('slow consumer pauses reading', async () => {
    const run = runPipeline({ ...description, frameRate: 60 }, { highWaterMark: 2 });
    const iterator = run.accessUnits();
    await take(iterator, 1);

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const queuedWhilePaused = run.stats().accessUnits;
    await run.stop();

    // Without backpressure the runner would decode about 60 access units in 1 s at 60 fps. With it, reading stops once
    // two wait in the queue, and only the rest of the chunk being decoded at that moment adds to the count.
    expect(queuedWhilePaused).toBeLessThan(10);
  });

  it('slow consumer skips frames', async () => {
    const run = runPipeline(description, { highWaterMark: 2 });
    const iterator = run.accessUnits();
    let [previous] = await take(iterator, 1);
    let maxGapUs = 0n;

    await new Promise((resolve) => setTimeout(resolve, 2_000));

    // The pipe (64 KiB on Linux) still contains the frames encoded before it filled up, some dozens at this size. After
    // them comes a PTS jump of about the pause, because the leaky queue dropped the frames captured while
    // gst-launch-1.0 was blocked. 200 access units are far more than the pipe can hold.
    for (let count = 0; count < 200 && maxGapUs <= 500_000n; count++) {
      const { value: accessUnit } = await iterator.next();
      const gapUs = accessUnit.ptsUs - previous.ptsUs;
      maxGapUs = gapUs > maxGapUs ? gapUs : maxGapUs;
      previous = accessUnit;
    }
    await run.stop();

    expect(maxGapUs).toBeGreaterThan(500_000n);
  }, 15_000);
});
