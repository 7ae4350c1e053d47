import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createNativeVm, isNativeError } from '../src/index.js';
import { busyboxVm, removeContainer, type BusyboxVm } from './support/busybox-vm.js';
import { vmRejection } from './support/test-inputs.js';

describe('native VM start failures', () => {
  let subject: BusyboxVm | undefined;

  afterEach(async () => {
    await removeContainer(subject);

    if (subject !== undefined) {
      await rm(subject.lockDirectory, { recursive: true, force: true });
    }

    subject = undefined;
  });

  it('fails at once when the container exits', async () => {
    subject = await busyboxVm('exits', () => ({ command: ['sh', '-c', 'echo boom >&2; exit 3'] }), { containerMs: 60_000 });

    const startedAt = performance.now();
    const error = await vmRejection(subject.vm.start());
    const elapsedMs = performance.now() - startedAt;
    const status = await subject.vm.status();

    expect(error.code).toBe('VM_ERR_STAGE_FAILED');
    // The container exits within milliseconds: before the container stage finds it running, or in a later stage.
    expect(['container', 'health', 'bridge']).toContain(error.stage);
    expect(error.message).toContain('exited with code 3');
    expect(error.diagnostics.logTail).toContain('boom');
    expect(error.diagnostics.containerStatus).toContain('exited (3)');
    // The stage's timeout is 60 s, so passing well before it shows the failure did not wait for the timeout.
    expect(elapsedMs).toBeLessThan(15_000);
    expect(status.state).toBe('error');
    expect(status).toMatchObject({ code: 'VM_ERR_BACKEND', diagnostics: { logTail: expect.stringContaining('boom') } });
  }, 60_000);

  it('fails the bridge stage when the container exits later', async () => {
    subject = await busyboxVm('exits-late', () => ({ command: ['sh', '-c', 'sleep 1; echo late >&2; exit 4'] }), { bridgeMs: 60_000 });

    const startedAt = performance.now();
    const error = await vmRejection(subject.vm.start());
    const elapsedMs = performance.now() - startedAt;

    expect(error.stage).toBe('bridge');
    expect(error.message).toContain('exited with code 4');
    expect(error.diagnostics.logTail).toContain('late');
    expect(elapsedMs).toBeLessThan(15_000);
  }, 60_000);

  it('fails the health stage when unhealthy', async () => {
    subject = await busyboxVm(
      'unhealthy',
      () => ({ healthcheck: { test: ['sh', '-c', 'echo not ready; exit 1'], intervalMs: 200, timeoutMs: 1000, retries: 2 } }),
      { healthMs: 60_000 },
    );

    const startedAt = performance.now();
    const error = await vmRejection(subject.vm.start());

    expect(error.code).toBe('VM_ERR_STAGE_FAILED');
    expect(error.stage).toBe('health');
    expect(error.message).toContain('unhealthy');
    expect(error.diagnostics.healthOutput).toContain('not ready');
    expect(performance.now() - startedAt).toBeLessThan(30_000);
  }, 90_000);

  it('fails the bridge stage when nothing listens', async () => {
    subject = await busyboxVm('nobridge', () => ({ command: ['sleep', '600'] }), { bridgeMs: 1500 });

    const error = await vmRejection(subject.vm.start());

    expect(error.code).toBe('VM_ERR_STAGE_FAILED');
    expect(error.stage).toBe('bridge');
    expect(error.message).toContain('ECONNREFUSED');
  }, 60_000);

  it('stops without reporting a failure', async () => {
    subject = await busyboxVm('stops');

    await subject.vm.start();
    await subject.vm.stop({ timeoutMs: 10_000 });

    expect(await subject.vm.status()).toEqual({ state: 'stopped', exists: true });
    expect((await subject.vm.inspect())?.state).toBe('exited');
  }, 60_000);

  it('rejects an invalid name', async () => {
    subject = await busyboxVm('name');

    const { engine, lockDirectory } = subject;
    const create = (): unknown =>
      createNativeVm({
        name: 'Bad Name',
        engine,
        container: { spec: { project: 'p', image: 'i', gpu: 'none' }, network: 'none' },
        image: { reference: 'i', ensure: async () => undefined },
        bridge: { containerPort: 80 },
        lockDirectory,
        inspector: { startTime: async () => undefined } as never,
      });

    expect(create).toThrow('Invalid VM name "Bad Name"');

    try {
      create();
    } catch (error) {
      expect(isNativeError(error, 'NATIVE_ERR_INVALID_ARGUMENT')).toBe(true);
    }
  });
});
