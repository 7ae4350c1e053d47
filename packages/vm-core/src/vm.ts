import type { Observable } from 'rxjs';
import type { Diagnostics, VmErrorCode } from './errors.js';
import type { VmEvent } from './events.js';
import type { Command, RunOptions, RunResult } from './run/command.js';
import type { ReadinessStage } from './stages/stage-runner.js';
import type { ReadinessFlags, RunningState, VmState } from './state/vm-state.js';

/** Options of `Vm.start`. */
export interface StartOptions {
  /** Aborting stops the start at the current stage; the VM is left as it is and `status` reports it. */
  signal?: AbortSignal;
}

/** Options of `Vm.stop` and `Vm.delete`. */
export interface StopOptions {
  /** Milliseconds to wait for a graceful shutdown before the VM is stopped by force. Default 30000. */
  timeoutMs?: number;
  /** Aborting stops waiting; a forced stop that was already requested still happens. */
  signal?: AbortSignal;
}

/**
 * One sandbox VM, the same for every backend (QEMU, WSL2, native Linux). Every method may be called from any state.
 * An operation while another operation of this object runs raises `VM_ERR_INVALID_STATE`. An operation while another
 * process manages the VM raises `VM_ERR_LOCKED`.
 */
export interface Vm {
  /** The VM's name, unique per backend. */
  readonly name: string;

  /** State changes, stage progress and log lines, as they happen. Never completes while the object is in use. */
  readonly events: Observable<VmEvent>;

  /** Creates the VM when it does not exist; does nothing when it does. */
  ensure(options?: StartOptions): Promise<void>;

  /**
   * Creates the VM if needed, boots it when it does not run, then runs the readiness stages in order. Resolves with
   * the running state once every stage passed; raises `VM_ERR_STAGE_FAILED` naming the stage that did not.
   */
  start(options?: StartOptions): Promise<RunningState>;

  /** Asks the VM to shut down, and stops it by force when it has not after `timeoutMs`. Does nothing when stopped. */
  stop(options?: StopOptions): Promise<void>;

  /** Stops the VM if it runs, then deletes it with its disks. Does nothing when it does not exist. */
  delete(options?: StopOptions): Promise<void>;

  /** Returns the state derived from live checks: the backend's own query, the lock holder, readiness probes. */
  status(): Promise<VmState>;

  /**
   * Runs a command inside the VM. Resolves with the exit code or signal, also when it is not zero. Raises
   * `VM_ERR_COMMAND_NOT_STARTED`, `VM_ERR_COMMAND_TIMED_OUT`, `VM_ERR_COMMAND_ABORTED` or
   * `VM_ERR_COMMAND_NO_EXIT_STATUS`.
   */
  run(command: Command, options?: RunOptions): Promise<RunResult>;
}

/** The result of a backend's own query about its VM. */
export interface BackendStatus {
  /** Whether the VM (disk, distro, container) exists. */
  exists: boolean;
  /** Whether the VM's process or distro runs, checked live (for a process: pid plus process start time). */
  running: boolean;
  /** Set when the backend detects a failure of its own, such as a VM process that exited with an error. */
  failure?: { code: VmErrorCode; message: string; diagnostics: Diagnostics };
}

/**
 * What a platform backend implements. `createManagedVm` turns it into a `Vm` with the lock, the state machine, the
 * readiness stages and the events, so backends implement only the platform's own operations.
 */
export interface VmBackend {
  /** The VM's name. */
  readonly name: string;
  /** Events of the backend's own, such as console `log` lines and `download-progress`; merged into `Vm.events`. */
  readonly events?: Observable<VmEvent>;
  /** Queries the platform for the VM's existence and whether it runs. Must not rely on state written earlier. */
  query(signal: AbortSignal): Promise<BackendStatus>;
  /** Creates the VM (disk, import, container). Called only when `query` reported `exists: false`. */
  create(signal: AbortSignal): Promise<void>;
  /** Starts the VM's process or distro and returns once it was started; readiness comes from the stages. */
  boot(signal: AbortSignal): Promise<void>;
  /** The readiness stages that follow `boot`, in order. */
  readinessStages(): readonly ReadinessStage[];
  /** Probes readiness live for `status`. Each probe should take at most a few seconds. */
  readiness(signal: AbortSignal): Promise<ReadinessFlags>;
  /** Asks the VM to shut down gracefully and returns without waiting for it. */
  shutdown(signal: AbortSignal): Promise<void>;
  /** Stops the VM at once (SIGKILL, terminate). */
  kill(signal: AbortSignal): Promise<void>;
  /** Deletes the stopped VM with its disks. */
  destroy(signal: AbortSignal): Promise<void>;
  /** Runs a command inside the VM, with the contract of `Vm.run`. */
  run(command: Command, options?: RunOptions): Promise<RunResult>;
}
