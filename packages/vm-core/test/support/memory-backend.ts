import { setTimeout as sleep } from 'node:timers/promises';
import { Subject } from 'rxjs';
import {
  runLocal,
  VmError,
  type BackendStatus,
  type Command,
  type ReadinessFlags,
  type ReadinessStage,
  type RunOptions,
  type RunResult,
  type VmBackend,
  type VmEvent,
} from '../../src/index.js';

/** Knobs of the in-memory backend. */
export interface MemoryBackendOptions {
  /** Milliseconds from boot until commands work. Default 50. */
  bootMs?: number;
  /** Milliseconds from boot until the engine is ready. Default 100. */
  engineMs?: number;
  /** Milliseconds a graceful shutdown takes. Default 50. */
  shutdownMs?: number;
  /** Ignore graceful shutdown requests, like a guest that hangs. */
  ignoreShutdown?: boolean;
  /** Time limit of each readiness stage. Default 2000. */
  stageTimeoutMs?: number;
  /** The engine never becomes ready. */
  engineNeverReady?: boolean;
}

/**
 * A backend whose VM lives in memory: create, boot, shutdown and kill change its state after realistic delays, and
 * `run` runs real local processes once the VM has "booted", so exit codes, signals and timeouts are real.
 */
export class MemoryBackend implements VmBackend {
  exists = false;
  private bootedAt: number | undefined;
  private shutdownTimer: NodeJS.Timeout | undefined;
  readonly calls: string[] = [];
  /** Console lines and other backend events; `boot` writes a console line. */
  readonly events = new Subject<VmEvent>();

  constructor(
    readonly name: string,
    private readonly options: MemoryBackendOptions = {},
  ) {}

  get running(): boolean {
    return this.bootedAt !== undefined;
  }

  async query(): Promise<BackendStatus> {
    return { exists: this.exists, running: this.running };
  }

  async create(): Promise<void> {
    this.calls.push('create');
    await sleep(10);
    this.exists = true;
  }

  async boot(): Promise<void> {
    this.calls.push('boot');

    if (!this.exists) {
      throw new VmError('VM_ERR_INVALID_STATE', `The VM "${this.name}" does not exist.`);
    }

    this.bootedAt = performance.now();
    this.events.next({ type: 'log', vm: this.name, source: 'console', line: 'Linux version 6.1.0 booting' });
  }

  readinessStages(): ReadinessStage[] {
    const timeoutMs = this.options.stageTimeoutMs ?? 2000;

    return [
      { name: 'commands', timeoutMs, intervalMs: 20, check: async () => (await this.readiness()).commands },
      {
        name: 'engine',
        timeoutMs,
        intervalMs: 20,
        check: async () => (await this.readiness()).engine,
        diagnose: async () => ({ logTail: 'engine: waiting for containerd', containerStatus: 'no containers' }),
      },
    ];
  }

  async readiness(): Promise<ReadinessFlags> {
    const uptime = this.bootedAt === undefined ? -1 : performance.now() - this.bootedAt;
    const commands = uptime >= (this.options.bootMs ?? 50);
    const engine = commands && this.options.engineNeverReady !== true && uptime >= (this.options.engineMs ?? 100);

    return { commands, engine, desktop: engine, bridge: engine };
  }

  async shutdown(): Promise<void> {
    this.calls.push('shutdown');

    if (this.options.ignoreShutdown === true) {
      return;
    }

    clearTimeout(this.shutdownTimer);
    this.shutdownTimer = setTimeout(() => {
      this.bootedAt = undefined;
    }, this.options.shutdownMs ?? 50);
  }

  async kill(): Promise<void> {
    this.calls.push('kill');
    clearTimeout(this.shutdownTimer);
    this.bootedAt = undefined;
  }

  async destroy(): Promise<void> {
    this.calls.push('destroy');
    this.exists = false;
  }

  async run(command: Command, options?: RunOptions): Promise<RunResult> {
    if (!(await this.readiness()).commands) {
      throw new VmError('VM_ERR_COMMAND_NOT_STARTED', `The VM "${this.name}" does not run, so the command could not start.`);
    }

    return runLocal(command, options);
  }
}
