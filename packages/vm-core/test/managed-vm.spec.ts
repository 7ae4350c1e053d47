import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createManagedVm, createProcessInspector, type Vm, type VmEvent } from '../src/index.js';
import { MemoryBackend, type MemoryBackendOptions } from './support/memory-backend.js';
import { rejection } from './support/rejection.js';

describe('managed VM with the in-memory backend', () => {
  let lockDirectory: string;

  beforeEach(async () => {
    lockDirectory = await mkdtemp(join(tmpdir(), 'vm-core-locks-'));
  });

  afterEach(async () => {
    await rm(lockDirectory, { recursive: true, force: true });
  });

  async function makeVm(options: MemoryBackendOptions = {}): Promise<{ vm: Vm; backend: MemoryBackend; events: VmEvent[] }> {
    const backend = new MemoryBackend('default', options);
    const vm = createManagedVm(backend, { lockDirectory, inspector: await createProcessInspector(), pollIntervalMs: 10, killWaitMs: 500 });
    const events: VmEvent[] = [];

    vm.events.subscribe((event) => events.push(event));

    return { vm, backend, events };
  }

  function stateNames(events: VmEvent[]): string[] {
    const names: string[] = [];

    for (const event of events) {
      if (event.type !== 'state') {
        continue;
      }

      names.push(event.state.state === 'starting' ? `starting:${event.state.stage}` : event.state.state);
    }

    return names;
  }

  it('reports a VM that does not exist as stopped', async () => {
    const { vm } = await makeVm();

    expect(await vm.status()).toEqual({ state: 'stopped', exists: false });
  });

  it('creates the VM once with ensure', async () => {
    const { vm, backend } = await makeVm();

    await vm.ensure();
    await vm.ensure();

    expect(backend.calls).toEqual(['create']);
    expect(await vm.status()).toEqual({ state: 'stopped', exists: true });
  });

  it('starts through create, boot and every stage', async () => {
    const { vm, backend, events } = await makeVm();

    const running = await vm.start();

    expect(running).toEqual({ state: 'running', readiness: { commands: true, engine: true, desktop: true, bridge: true } });
    expect(backend.calls).toEqual(['create', 'boot']);
    expect(stateNames(events)).toEqual(['starting:create', 'starting:boot', 'starting:commands', 'starting:engine', 'running']);
    expect(events.filter((event) => event.type === 'stage').map((event) => `${event.stage}:${event.status}`)).toEqual([
      'commands:started',
      'commands:passed',
      'engine:started',
      'engine:passed',
    ]);
    expect(await readdir(lockDirectory)).toEqual([]);
  });

  it('reports starting with the stage while a start runs', async () => {
    const { vm } = await makeVm({ engineMs: 300 });
    const starting = vm.start();

    await new Promise((resolve) => setTimeout(resolve, 150));

    expect(await vm.status()).toEqual({ state: 'starting', stage: 'engine', pid: process.pid });
    await starting;
  });

  it('rejects a second operation while one runs', async () => {
    const { vm } = await makeVm({ engineMs: 200 });
    const starting = vm.start();

    await expect(vm.stop()).rejects.toMatchObject({ code: 'VM_ERR_INVALID_STATE' });
    await starting;
  });

  it('stops gracefully', async () => {
    const { vm, backend, events } = await makeVm();

    await vm.start();
    events.length = 0;
    await vm.stop({ timeoutMs: 2000 });

    expect(backend.calls.slice(-1)).toEqual(['shutdown']);
    expect(stateNames(events)).toEqual(['stopping', 'stopped']);
    expect(await vm.status()).toEqual({ state: 'stopped', exists: true });
  });

  it('stops by force after the timeout', async () => {
    const { vm, backend } = await makeVm({ ignoreShutdown: true });

    await vm.start();
    await vm.stop({ timeoutMs: 100 });

    expect(backend.calls.slice(-2)).toEqual(['shutdown', 'kill']);
    expect(await vm.status()).toEqual({ state: 'stopped', exists: true });
  });

  it('names the failed stage in the error and the state', async () => {
    const { vm, events } = await makeVm({ engineNeverReady: true, stageTimeoutMs: 150 });

    const error = await rejection(vm.start());

    expect(error).toMatchObject({ code: 'VM_ERR_STAGE_FAILED', stage: 'engine' });
    expect(error.diagnostics.logTail).toBe('engine: waiting for containerd');

    const status = await vm.status();

    expect(status).toMatchObject({ state: 'error', code: 'VM_ERR_STAGE_FAILED', stage: 'engine' });
    expect(stateNames(events).at(-1)).toBe('error');
  });

  it('passes backend console lines through its events', async () => {
    const { vm, events } = await makeVm();

    await vm.start();

    expect(events).toContainEqual({ type: 'log', vm: 'default', source: 'console', line: 'Linux version 6.1.0 booting' });
  });

  it('clears a failed start after a stop', async () => {
    const { vm } = await makeVm({ engineNeverReady: true, stageTimeoutMs: 100 });

    await expect(vm.start()).rejects.toMatchObject({ code: 'VM_ERR_STAGE_FAILED' });
    expect(await vm.status()).toMatchObject({ state: 'error' });

    await vm.stop({ timeoutMs: 1000 });

    expect(await vm.status()).toEqual({ state: 'stopped', exists: true });
  });

  it('starts again after a failed start', async () => {
    const backend = new MemoryBackend('default', { engineNeverReady: true, stageTimeoutMs: 100 });
    const vm = createManagedVm(backend, { lockDirectory, inspector: await createProcessInspector() });

    await expect(vm.start()).rejects.toMatchObject({ code: 'VM_ERR_STAGE_FAILED' });

    const fixed = new MemoryBackend('default');

    fixed.exists = true;

    const retried = createManagedVm(fixed, { lockDirectory, inspector: await createProcessInspector() });

    await expect(retried.start()).resolves.toMatchObject({ state: 'running' });
  });

  it('deletes a running VM', async () => {
    const { vm, backend } = await makeVm();

    await vm.start();
    await vm.delete({ timeoutMs: 1000 });

    expect(backend.calls.slice(-2)).toEqual(['shutdown', 'destroy']);
    expect(await vm.status()).toEqual({ state: 'stopped', exists: false });
  });

  it('runs commands with real exit codes and signals', async () => {
    const { vm } = await makeVm();

    await expect(vm.run({ kind: 'argv', argv: ['true'] })).rejects.toMatchObject({ code: 'VM_ERR_COMMAND_NOT_STARTED' });

    await vm.start();

    await expect(vm.run({ kind: 'script', script: 'exit 7' })).resolves.toMatchObject({ exitCode: 7 });
    await expect(vm.run({ kind: 'script', script: 'kill -KILL $$' })).resolves.toMatchObject({ signal: 'SIGKILL' });
    await expect(vm.run({ kind: 'argv', argv: ['sleep', '5'] }, { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'VM_ERR_COMMAND_TIMED_OUT',
    });
  });
});
