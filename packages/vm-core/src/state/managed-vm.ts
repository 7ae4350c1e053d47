import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { merge, Subject, type Observable } from 'rxjs';
import { VmError } from '../errors.js';
import type { VmEvent } from '../events.js';
import { VmLock } from '../lock/vm-lock.js';
import { silentLogger, type Logger } from '../logger.js';
import type { ProcessInspector } from '../process/process-inspector.js';
import type { Command, RunOptions, RunResult } from '../run/command.js';
import { runStages } from '../stages/stage-runner.js';
import type { StartOptions, StopOptions, Vm, VmBackend } from '../vm.js';
import type { ErrorState, RunningState, VmState } from './vm-state.js';

/** Default time for a graceful shutdown before a forced stop: 30000 ms. */
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/** Default time to wait for the VM to be gone after a forced stop: 10000 ms. */
export const DEFAULT_KILL_WAIT_MS = 10_000;

/** Options of `createManagedVm`. */
export interface ManagedVmOptions {
  /** The folder for lock files, usually the data directory's `locks` folder. The lock is `<name>.lock` in it. */
  lockDirectory: string;
  /** Reads process start times for the lock; see `createProcessInspector`. */
  inspector: ProcessInspector;
  /** Milliseconds between two queries while waiting for a stop. Default 250. */
  pollIntervalMs?: number;
  /** Time to wait for the VM to be gone after a forced stop, in milliseconds. Default 10000. */
  killWaitMs?: number;
  /** Receives starts, stops and failures. Default silent. */
  logger?: Logger;
}

/** Returns a `Vm` that manages `backend` with a lock, live status, readiness stages and events. */
export function createManagedVm(backend: VmBackend, options: ManagedVmOptions): Vm {
  return new ManagedVm(backend, options);
}

type Operation = { state: 'starting'; stage?: string } | { state: 'stopping' };

class ManagedVm implements Vm {
  readonly name: string;
  readonly events: Observable<VmEvent>;

  private readonly subject = new Subject<VmEvent>();
  private readonly lock: VmLock;
  private readonly logger: Logger;
  // In memory only: what this process is doing now, and how its last start failed. Neither is ever written to disk.
  private operation: Operation | undefined;
  private lastFailure: ErrorState | undefined;

  constructor(
    private readonly backend: VmBackend,
    private readonly options: ManagedVmOptions,
  ) {
    this.name = backend.name;
    this.events = backend.events === undefined ? this.subject.asObservable() : merge(this.subject, backend.events);
    this.lock = new VmLock(join(options.lockDirectory, `${backend.name}.lock`), options.inspector);
    this.logger = options.logger ?? silentLogger;
  }

  async status(): Promise<VmState> {
    if (this.operation !== undefined) {
      return this.operation.state === 'starting'
        ? { state: 'starting', stage: this.operation.stage, pid: process.pid }
        : { state: 'stopping', pid: process.pid };
    }

    const owner = await this.lock.liveOwner();

    if (owner !== undefined && owner.pid !== process.pid) {
      return owner.operation === 'start' || owner.operation === 'create'
        ? { state: 'starting', pid: owner.pid }
        : { state: 'stopping', pid: owner.pid };
    }

    const signal = AbortSignal.timeout(30_000);
    const status = await this.backend.query(signal);

    if (status.failure !== undefined) {
      return { state: 'error', ...status.failure };
    }

    if (!status.running) {
      return this.lastFailure ?? { state: 'stopped', exists: status.exists };
    }

    const readiness = await this.backend.readiness(signal);
    const ready = Object.values(readiness).every(Boolean);

    // A start that failed in this process stays visible until the live probes show the VM ready after all.
    return !ready && this.lastFailure !== undefined ? this.lastFailure : { state: 'running', readiness };
  }

  async ensure(options: StartOptions = {}): Promise<void> {
    await this.withLock('create', { state: 'starting', stage: 'create' }, async (signal) => {
      await this.createIfMissing(signal);
    }, options.signal);
  }

  async start(options: StartOptions = {}): Promise<RunningState> {
    this.lastFailure = undefined;

    try {
      await this.withLock('start', { state: 'starting', stage: 'create' }, async (signal) => {
        await this.createIfMissing(signal);

        if (!(await this.backend.query(signal)).running) {
          this.setStage('boot');
          this.logger.info('booting the VM', { vm: this.name });
          await this.backend.boot(signal);
        }

        await runStages(this.backend.readinessStages(), {
          signal,
          onStage: (stage, status, elapsedMs, message) => {
            if (status === 'started') {
              this.setStage(stage);
            }

            this.subject.next({ type: 'stage', vm: this.name, stage, status, elapsedMs, message });
          },
        });
      }, options.signal);
    } catch (error) {
      this.recordFailure(error);

      throw error;
    }

    const state = await this.status();

    this.emitState(state);

    if (state.state !== 'running') {
      throw new VmError('VM_ERR_BACKEND', `The VM "${this.name}" passed every readiness stage but is now ${state.state}.`);
    }

    return state;
  }

  async stop(options: StopOptions = {}): Promise<void> {
    await this.withLock('stop', { state: 'stopping' }, (signal) => this.stopLocked(signal, options), options.signal);
    this.lastFailure = undefined;
    this.emitState(await this.status());
  }

  async delete(options: StopOptions = {}): Promise<void> {
    await this.withLock('delete', { state: 'stopping' }, async (signal) => {
      await this.stopLocked(signal, options);

      if ((await this.backend.query(signal)).exists) {
        this.logger.info('deleting the VM', { vm: this.name });
        await this.backend.destroy(signal);
      }
    }, options.signal);
    this.lastFailure = undefined;
    this.emitState(await this.status());
  }

  run(command: Command, options?: RunOptions): Promise<RunResult> {
    return this.backend.run(command, options);
  }

  private async withLock(
    lockOperation: string,
    operation: Operation,
    body: (signal: AbortSignal) => Promise<void>,
    callerSignal: AbortSignal | undefined,
  ): Promise<void> {
    if (this.operation !== undefined) {
      throw new VmError(
        'VM_ERR_INVALID_STATE',
        `The VM "${this.name}" is ${this.operation.state} already; wait for that to finish before "${lockOperation}".`,
      );
    }

    // Set before the first await, so that a second call from this process is rejected above.
    this.operation = operation;

    try {
      await this.lock.acquire(lockOperation);
    } catch (error) {
      this.operation = undefined;

      throw error;
    }

    this.emitState(await this.status());

    try {
      await body(callerSignal ?? new AbortController().signal);
    } finally {
      this.operation = undefined;
      await this.lock.release();
    }
  }

  private async createIfMissing(signal: AbortSignal): Promise<void> {
    if ((await this.backend.query(signal)).exists) {
      return;
    }

    this.logger.info('creating the VM', { vm: this.name });
    await this.backend.create(signal);
  }

  private async stopLocked(signal: AbortSignal, options: StopOptions): Promise<void> {
    if (!(await this.backend.query(signal)).running) {
      return;
    }

    const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;

    this.logger.info('stopping the VM', { vm: this.name, timeoutMs });
    await this.backend.shutdown(signal);

    if (await this.waitUntilStopped(timeoutMs, signal)) {
      return;
    }

    this.logger.warn('the VM did not shut down in time, stopping it by force', { vm: this.name, timeoutMs });
    await this.backend.kill(signal);

    const killWaitMs = this.options.killWaitMs ?? DEFAULT_KILL_WAIT_MS;

    if (!(await this.waitUntilStopped(killWaitMs, signal))) {
      throw new VmError('VM_ERR_BACKEND', `The VM "${this.name}" still runs ${killWaitMs} ms after a forced stop.`);
    }
  }

  private async waitUntilStopped(timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;

    while (performance.now() < deadline) {
      if (!(await this.backend.query(signal)).running) {
        return true;
      }

      await sleep(this.options.pollIntervalMs ?? 250, undefined, { signal });
    }

    return !(await this.backend.query(signal)).running;
  }

  private setStage(stage: string): void {
    this.operation = { state: 'starting', stage };
    this.emitState({ state: 'starting', stage, pid: process.pid });
  }

  private recordFailure(error: unknown): void {
    if (error instanceof VmError && error.code === 'VM_ERR_LOCKED') {
      return;
    }

    const vmError = error instanceof VmError ? error : undefined;

    this.lastFailure = {
      state: 'error',
      code: vmError?.code ?? 'VM_ERR_BACKEND',
      message: error instanceof Error ? error.message : String(error),
      stage: vmError?.stage,
      diagnostics: vmError?.diagnostics ?? {},
    };
    this.logger.error('the VM failed to start', { vm: this.name, code: this.lastFailure.code, stage: vmError?.stage });
    this.emitState(this.lastFailure);
  }

  private emitState(state: VmState): void {
    this.subject.next({ type: 'state', vm: this.name, state });
  }
}
