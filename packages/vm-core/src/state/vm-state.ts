import type { Diagnostics, VmErrorCode } from '../errors.js';

/**
 * What is ready once the VM runs. `running` with every flag false means only that the VM process or distro exists.
 * Each flag comes from a live check when the status is read.
 */
export interface ReadinessFlags {
  /** `run` works: a command inside the VM returned an exit code. */
  commands: boolean;
  /** The container engine inside the VM responds. */
  engine: boolean;
  /** The desktop container runs. */
  desktop: boolean;
  /** The desktop bridge passes its health check. */
  bridge: boolean;
}

/** The VM does not run, or does not exist yet (`exists: false`). */
export interface StoppedState {
  state: 'stopped';
  /** False when the VM has not been created yet. */
  exists: boolean;
}

/** A start is in progress in a live process. */
export interface StartingState {
  state: 'starting';
  /** The readiness stage in progress, or undefined when another process runs the start and only its lock is visible. */
  stage?: string;
  /** The pid of the process that runs the start. */
  pid: number;
}

/** The VM runs. */
export interface RunningState {
  state: 'running';
  /** What inside the VM is ready. */
  readiness: ReadinessFlags;
}

/** A stop or delete is in progress in a live process. */
export interface StoppingState {
  state: 'stopping';
  /** The pid of the process that runs the stop. */
  pid: number;
}

/** The VM is in a state that needs attention: its process died, or the last start failed in this process. */
export interface ErrorState {
  state: 'error';
  /** The code of the error, as in `VmError`. */
  code: VmErrorCode;
  /** What failed, in a sentence. */
  message: string;
  /** The stage that failed, if a readiness stage did. */
  stage?: string;
  /** Log tails and container status collected at the failure. */
  diagnostics: Diagnostics;
}

/** The state of a VM, derived from live checks each time it is read. Never written to disk. */
export type VmState = StoppedState | StartingState | RunningState | StoppingState | ErrorState;

/** The name of a state. */
export type VmStateName = VmState['state'];

/** Readiness flags with every flag false. */
export const NOT_READY: ReadinessFlags = Object.freeze({ commands: false, engine: false, desktop: false, bridge: false });
