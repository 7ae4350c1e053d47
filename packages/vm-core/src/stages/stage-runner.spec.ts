import { describe, expect, it } from '@jest/globals';
import { rejection } from '../../test/support/rejection.js';
import { StageFailure } from './stage-failure.js';
import { runStages, type ReadinessStage } from './stage-runner.js';

describe('runStages', () => {
  it('runs stages in order until each passes', async () => {
    const events: string[] = [];
    let engineChecks = 0;

    await runStages(
      [
        { name: 'ssh', timeoutMs: 1000, intervalMs: 5, check: async () => true },
        { name: 'engine', timeoutMs: 1000, intervalMs: 5, check: async () => (engineChecks += 1) >= 3 },
      ],
      { onStage: (stage, status) => events.push(`${stage}:${status}`) },
    );

    expect(events).toEqual(['ssh:started', 'ssh:passed', 'engine:started', 'engine:passed']);
    expect(engineChecks).toBe(3);
  });

  it('names the stage that timed out, with diagnostics and the last error', async () => {
    const events: string[] = [];
    const stages: ReadinessStage[] = [
      { name: 'ssh', timeoutMs: 1000, intervalMs: 5, check: async () => true },
      {
        name: 'bridge',
        timeoutMs: 150,
        intervalMs: 10,
        check: async () => {
          throw new Error('connection refused');
        },
        diagnose: async () => ({ logTail: 'bridge: port in use', containerStatus: 'desktop exited 1' }),
      },
      { name: 'never', timeoutMs: 1000, check: async () => true },
    ];

    const error = await rejection(runStages(stages, { onStage: (stage, status) => events.push(`${stage}:${status}`) }));

    expect(error.code).toBe('VM_ERR_STAGE_FAILED');
    expect(error.stage).toBe('bridge');
    expect(error.message).toContain('"bridge" did not pass within 150 ms');
    expect(error.message).toContain('connection refused');
    expect(error.diagnostics).toEqual({ logTail: 'bridge: port in use', containerStatus: 'desktop exited 1' });
    expect(events).toEqual(['ssh:started', 'ssh:passed', 'bridge:started', 'bridge:failed']);
  });

  it('ends a check that hangs at the stage timeout', async () => {
    const startedAt = performance.now();
    const error = await rejection(runStages([
      {
        name: 'hang',
        timeoutMs: 100,
        check: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      },
    ]));

    expect(error).toMatchObject({ code: 'VM_ERR_STAGE_FAILED', stage: 'hang' });
    expect(performance.now() - startedAt).toBeLessThan(5000);
  });

  it('keeps a failing diagnose from hiding the stage error', async () => {
    const error = await rejection(runStages([
      {
        name: 'engine',
        timeoutMs: 50,
        check: async () => false,
        diagnose: async () => {
          throw new Error('docker not found');
        },
      },
    ]));

    expect(error).toMatchObject({ code: 'VM_ERR_STAGE_FAILED', stage: 'engine' });
    expect(error.diagnostics.diagnoseError).toContain('docker not found');
  });

  it('raises the caller abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop requested');

    setTimeout(() => controller.abort(reason), 50);

    await expect(
      runStages([{ name: 'slow', timeoutMs: 10_000, intervalMs: 10, check: async () => false }], { signal: controller.signal }),
    ).rejects.toBe(reason);
  });

  it('fails at once on a StageFailure', async () => {
    const events: string[] = [];
    let checks = 0;
    let laterStageRan = false;
    const stages: ReadinessStage[] = [
      {
        name: 'container',
        timeoutMs: 60_000,
        intervalMs: 5,
        check: async () => {
          checks += 1;

          if (checks < 3) {
            throw new Error('not yet');
          }

          throw new StageFailure('the container exited with code 3', { diagnostics: { logTail: 'boom' } });
        },
        diagnose: async () => ({ containerStatus: 'exited (3)', logTail: 'older tail' }),
      },
      {
        name: 'later',
        timeoutMs: 1000,
        check: async () => {
          laterStageRan = true;

          return true;
        },
      },
    ];

    const error = await rejection(runStages(stages, { onStage: (stage, status) => events.push(`${stage}:${status}`) }));

    expect(error.code).toBe('VM_ERR_STAGE_FAILED');
    expect(error.stage).toBe('container');
    expect(error.message).toBe('The readiness stage "container" failed: the container exited with code 3');
    expect(error.diagnostics).toEqual({ containerStatus: 'exited (3)', logTail: 'boom' });
    expect(error.cause).toBeInstanceOf(StageFailure);
    expect(checks).toBe(3);
    expect(laterStageRan).toBe(false);
    expect(events).toEqual(['container:started', 'container:failed']);
  });

  it('keeps StageFailure diagnostics when diagnose fails', async () => {
    const error = await rejection(runStages([
      {
        name: 'health',
        timeoutMs: 60_000,
        check: async () => {
          throw new StageFailure('the health check reported unhealthy', { diagnostics: { healthLog: 'exit 1' } });
        },
        diagnose: async () => {
          throw new Error('engine gone');
        },
      },
    ]));

    expect(error).toMatchObject({ code: 'VM_ERR_STAGE_FAILED', stage: 'health' });
    expect(error.diagnostics.healthLog).toBe('exit 1');
    expect(error.diagnostics.diagnoseError).toContain('engine gone');
  });
});
