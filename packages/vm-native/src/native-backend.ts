import type Dockerode from 'dockerode';
import {
  runLocal,
  silentLogger,
  type BackendStatus,
  type Command,
  type Logger,
  type ReadinessFlags,
  type ReadinessStage,
  type RunOptions,
  type RunResult,
  type VmBackend,
} from '@deskvm/vm-core';
import { containerCreateOptions, containerName } from './container-options.js';
import { containerFailure, describeContainerState, inspectContainer, signalContainer } from './container-ops.js';
import { logTail } from './container-logs.js';
import { execInContainer, type ExecOptions } from './container-exec.js';
import { ExecChannel } from './exec-channel/exec-channel.js';
import type { DockerEngine } from './docker-engine.js';
import { engineMessage, engineStatusCode, NativeError } from './errors.js';
import { bridgeStatus, LOG_TAIL_LINES, nativeStages, type StageContext } from './native-stages.js';
import { StopMarker } from './stop-marker.js';
import type { NativeVmOptions } from './native-vm.js';

/** The source of the desktop image. */
export interface ImageSource {
  /** The image reference, such as `deskvm/desktop:0.1.0`. */
  reference: string;
  /** Makes the image exist in the engine (pull, or build and import); called by `create` only when it is missing. */
  ensure(engine: DockerEngine, signal: AbortSignal): Promise<void>;
}

/** Options of `NativeBackend`: those of `createNativeVm` but the process inspector, which only the lock needs. */
export type NativeBackendOptions = Omit<NativeVmOptions, 'inspector'>;

/** The exec agent's command line and user in the desktop image, for `NativeVmOptions.execAgent`. */
export interface ExecAgentOptions {
  /** The agent's command line in the container, such as `['node', '/opt/deskvm/exec-agent.mjs']`. */
  argv: readonly string[];
  /**
   * The user the agent runs as, as `name`, `uid` or `uid:gid`. Default: the container's user. `exec` uses the agent
   * when its `user` option is absent or equal to this string, and the per-command Docker exec otherwise.
   */
  user?: string;
}

/** Time limit of the `true` command that probes `commands` readiness: 3000 ms. */
const COMMAND_PROBE_TIMEOUT_MS = 3000;

/** The Linux backend: the desktop container through the Docker engine, commands as local processes. */
export class NativeBackend implements VmBackend {
  readonly name: string;
  readonly container: Dockerode.Container;
  private readonly stopMarker: StopMarker;
  private readonly logger: Logger;
  private readonly stageContext: StageContext;
  private readonly execChannel: ExecChannel | undefined;

  constructor(private readonly options: NativeBackendOptions) {
    this.name = options.name;
    this.container = options.engine.docker.getContainer(containerName(options.name));
    this.stopMarker = new StopMarker(options.lockDirectory, options.name);
    this.logger = options.logger ?? silentLogger;
    this.stageContext = {
      engine: options.engine,
      container: this.container,
      bridgePort: options.bridge.containerPort,
      healthPath: options.bridge.healthPath ?? '/health',
    };
    this.execChannel =
      options.execAgent === undefined
        ? undefined
        : new ExecChannel({
            container: this.container,
            docker: options.engine.docker,
            argv: options.execAgent.argv,
            user: options.execAgent.user,
            logger: this.logger,
          });
  }

  async query(signal: AbortSignal): Promise<BackendStatus> {
    const info = await inspectContainer(this.container, signal);

    if (info === undefined) {
      return { exists: false, running: false };
    }

    const running = info.State.Running || info.State.Restarting;
    const exitedOnItsOwn =
      !running && (info.State.Status === 'exited' || info.State.Status === 'dead') && info.State.ExitCode !== 0;

    if (exitedOnItsOwn && !(await this.stopMarker.isSet(info.Id))) {
      return {
        exists: true,
        running: false,
        failure: {
          code: 'VM_ERR_BACKEND',
          message: `The desktop container ${this.container.id} exited on its own with code ${info.State.ExitCode}.`,
          diagnostics: {
            containerStatus: describeContainerState(info),
            logTail: await logTail(this.container, this.options.engine.docker, LOG_TAIL_LINES).catch((error: unknown) =>
              `The log could not be read: ${engineMessage(error)}`,
            ),
          },
        },
      };
    }

    return { exists: true, running };
  }

  async create(signal: AbortSignal): Promise<void> {
    const { engine, image } = this.options;
    const createOptions = containerCreateOptions(this.name, this.options.container);

    if (!(await engine.imageExists(image.reference))) {
      this.logger.info('the desktop image is missing, making it', { vm: this.name, image: image.reference });
      await image.ensure(engine, signal);

      if (!(await engine.imageExists(image.reference))) {
        throw new NativeError(
          'NATIVE_ERR_IMAGE',
          `The image ${image.reference} is still missing after the image source ran. Check the source's reference.`,
        );
      }
    }

    try {
      await engine.docker.createContainer({ ...createOptions, abortSignal: signal });
    } catch (error) {
      throw containerFailure('create', this.container, error);
    }
  }

  async boot(signal: AbortSignal): Promise<void> {
    await this.stopMarker.clear();

    try {
      await this.container.start({ abortSignal: signal });
    } catch (error) {
      // 304: the container runs already.
      if (engineStatusCode(error) !== 304) {
        throw containerFailure('start', this.container, error);
      }
    }
  }

  readinessStages(): readonly ReadinessStage[] {
    return nativeStages(this.stageContext, this.options.stageTimeouts ?? {}, this.options.container.network);
  }

  async readiness(signal: AbortSignal): Promise<ReadinessFlags> {
    // NOTE: a timer and a controller, not AbortSignal.timeout(), for the reason given in connect-engine.ts: Node.js
    // 20.20 may garbage-collect a timeout signal that only AbortSignal.any() refers to.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`timed out after ${COMMAND_PROBE_TIMEOUT_MS} ms`)), COMMAND_PROBE_TIMEOUT_MS);
    const probeSignal = AbortSignal.any([signal, deadline.signal]);
    const probes = Promise.all([
      this.exec(['true'], { timeoutMs: COMMAND_PROBE_TIMEOUT_MS, signal }).then((result) => result.exitCode === 0, () => false),
      this.options.engine.ping(probeSignal).then(() => true, () => false),
      inspectContainer(this.container, probeSignal).then(
        (info) => info !== undefined && info.State.Running && (info.State.Health === undefined || info.State.Health.Status === 'healthy'),
        () => false,
      ),
      bridgeStatus(this.stageContext, probeSignal).then((status) => status === 200, () => false),
    ]);
    const [commands, engine, desktop, bridge] = await probes.finally(() => clearTimeout(timer));

    return { commands, engine, desktop, bridge };
  }

  async shutdown(signal: AbortSignal): Promise<void> {
    await this.markStopping(signal);
    await signalContainer(this.container, 'SIGTERM', signal);
  }

  async kill(signal: AbortSignal): Promise<void> {
    await this.markStopping(signal);
    await signalContainer(this.container, 'SIGKILL', signal);
  }

  async destroy(signal: AbortSignal): Promise<void> {
    try {
      await this.container.remove({ v: true, force: true, abortSignal: signal });
    } catch (error) {
      if (engineStatusCode(error) !== 404) {
        throw containerFailure('remove', this.container, error);
      }
    }

    await this.stopMarker.clear();
  }

  run(command: Command, options?: RunOptions): Promise<RunResult> {
    return runLocal(command, options);
  }

  /**
   * Runs `argv` in the desktop container: through the exec channel when an agent is configured and `options.user` is
   * absent or the agent's user (see `ExecChannel.run`), else through a Docker exec of its own (see `execInContainer`).
   */
  exec(argv: readonly string[], options: ExecOptions = {}): Promise<RunResult> {
    if (this.execChannel !== undefined && (options.user === undefined || options.user === this.options.execAgent?.user)) {
      return this.execChannel.run(argv, options);
    }

    return execInContainer(this.container, this.options.engine.docker, argv, options, this.logger);
  }

  /** Ends the exec channel's agent, if one runs. */
  async closeExecChannel(): Promise<void> {
    await this.execChannel?.close();
  }

  private async markStopping(signal: AbortSignal): Promise<void> {
    const info = await inspectContainer(this.container, signal);

    if (info !== undefined) {
      await this.stopMarker.set(info.Id);
    }
  }
}
