import { createManagedVm, type Logger, type ProcessInspector, type RunResult, type Vm } from '@deskvm/vm-core';
import type { DesktopContainerOptions } from './container-options.js';
import { containerFacts, type ContainerFacts } from './container-facts.js';
import { readContainerLogs, type LogsOptions } from './container-logs.js';
import type { ExecOptions } from './container-exec.js';
import { inspectContainer } from './container-ops.js';
import type { DockerEngine } from './docker-engine.js';
import { NativeError } from './errors.js';
import { NativeBackend, type ExecAgentOptions, type ImageSource } from './native-backend.js';
import type { NativeStageTimeouts } from './native-stages.js';

/** Options of `createNativeVm`. */
export interface NativeVmOptions {
  /** The VM's name: lower-case letters, digits, `_` and `-`, starting with a letter or digit, at most 40 characters. */
  name: string;
  /** The engine from `connectEngine`. */
  engine: DockerEngine;
  /** The desktop container. */
  container: DesktopContainerOptions;
  /** The source of the desktop image, used when the engine does not have it. */
  image: ImageSource;
  /**
   * The bridge's port inside the container and its HTTP health path (default `/health`). The `bridge` stage and
   * `status` send `GET http://127.0.0.1:<published port><path>` from the host; with the host network the port is the
   * container port itself.
   */
  bridge: { containerPort: number; healthPath?: string };
  /** The folder for the lock file and the stop record, as in vm-core's `createManagedVm`. */
  lockDirectory: string;
  /** Reads process start times for the lock; vm-core's `createProcessInspector()`. */
  inspector: ProcessInspector;
  /** Time limits of the readiness stages, in milliseconds. */
  stageTimeouts?: NativeStageTimeouts;
  /**
   * The exec agent in the desktop image (for deskvm's image: `{ argv: ['node', '/opt/deskvm/exec-agent.mjs'] }`). With
   * it, `exec` runs commands through one persistent Docker exec (see `ExecChannel`). Default: every `exec` is a Docker
   * exec of its own.
   */
  execAgent?: ExecAgentOptions;
  /** Receives starts, stops, kills and failures. Default silent. */
  logger?: Logger;
}

/** The Linux VM: the desktop container in the Docker engine, with commands run on the host. */
export interface NativeVm extends Vm {
  /** The engine the desktop container runs in. */
  readonly engine: DockerEngine;
  /**
   * Runs `argv` in the desktop container and resolves with its exit code, also when it is not 0. With `execAgent` set
   * and no other `user`, the command goes through the exec channel (see `ExecChannel.run`). Otherwise it gets a Docker
   * exec of its own (see `execInContainer`). Both give the same results, except that a missing executable exits with
   * 127 on the channel and with 126 through a Docker exec.
   */
  exec(argv: readonly string[], options?: ExecOptions): Promise<RunResult>;
  /**
   * Ends the exec channel's agent and the commands it still runs. Call it when done with the VM, although an idle
   * channel never keeps the Node.js process alive. A later `exec` starts a new agent. Resolves at once without one.
   */
  close(): Promise<void>;
  /** Reads the container log, demultiplexed; with `follow` it runs until the container stops or the signal aborts. */
  logs(options?: LogsOptions): Promise<void>;
  /** Returns live facts about the desktop container, or undefined when it does not exist. */
  inspect(): Promise<ContainerFacts | undefined>;
}

const VM_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const MAX_VM_NAME_LENGTH = 40;

/**
 * Returns the native VM. `run` starts local processes (the host is the VM on Linux); everything else goes through the
 * engine. Raises `NATIVE_ERR_INVALID_ARGUMENT` for an invalid name or bridge port.
 */
export function createNativeVm(options: NativeVmOptions): NativeVm {
  validateOptions(options);

  const backend = new NativeBackend(options);
  const managed = createManagedVm(backend, {
    lockDirectory: options.lockDirectory,
    inspector: options.inspector,
    logger: options.logger,
  });
  const docker = options.engine.docker;

  return {
    name: managed.name,
    events: managed.events,
    engine: options.engine,
    ensure: (startOptions) => managed.ensure(startOptions),
    start: (startOptions) => managed.start(startOptions),
    stop: (stopOptions) => managed.stop(stopOptions),
    delete: (stopOptions) => managed.delete(stopOptions),
    status: () => managed.status(),
    run: (command, runOptions) => managed.run(command, runOptions),
    exec: (argv, execOptions) => backend.exec(argv, execOptions),
    close: () => backend.closeExecChannel(),
    logs: (logsOptions) => readContainerLogs(backend.container, docker, logsOptions),
    inspect: async () => {
      const info = await inspectContainer(backend.container);

      return info === undefined ? undefined : containerFacts(info, options.bridge.containerPort);
    },
  };
}

function validateOptions(options: NativeVmOptions): void {
  if (!VM_NAME.test(options.name) || options.name.length > MAX_VM_NAME_LENGTH) {
    throw new NativeError(
      'NATIVE_ERR_INVALID_ARGUMENT',
      `Invalid VM name ${JSON.stringify(options.name)}: use lower-case letters, digits, "_" and "-", starting with a ` +
        `letter or digit, at most ${MAX_VM_NAME_LENGTH} characters.`,
    );
  }

  const port = options.bridge.containerPort;

  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new NativeError('NATIVE_ERR_INVALID_ARGUMENT', `Invalid bridge container port ${String(port)}: use an integer from 1 to 65535.`);
  }

  if (options.execAgent !== undefined && (options.execAgent.argv.length === 0 || options.execAgent.argv[0] === '')) {
    throw new NativeError(
      'NATIVE_ERR_INVALID_ARGUMENT',
      `Invalid exec agent argv ${JSON.stringify(options.execAgent.argv)}: pass the executable first, such as ["node", "/opt/deskvm/exec-agent.mjs"].`,
    );
  }

  if (options.bridge.healthPath !== undefined && !options.bridge.healthPath.startsWith('/')) {
    throw new NativeError(
      'NATIVE_ERR_INVALID_ARGUMENT',
      `Invalid bridge health path ${JSON.stringify(options.bridge.healthPath)}: it must start with "/".`,
    );
  }
}
