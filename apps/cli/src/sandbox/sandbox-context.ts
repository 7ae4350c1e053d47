import { join } from 'node:path';

import { InvalidArgumentError, Option } from 'commander';

import { DESKTOP_BRIDGE_PORT, DESKTOP_EXEC_AGENT } from '@deskvm/rootfs';
import { createProcessInspector, dataDirectory, type Logger } from '@deskvm/vm-core';
import {
  connectEngine,
  containerName,
  createNativeVm,
  type DesktopContainerOptions,
  type DockerEngine,
  type ContainerFacts,
  type ImageSource,
  type NativeVm,
  VM_LABEL,
} from '@deskvm/vm-native';

import { CliError } from '../errors.js';

/** The sandbox that commands act on when `--name` is not given. */
export const DEFAULT_SANDBOX_NAME = 'default';

/** Container labels that record how `deskvm up` created the sandbox, so later commands need no state file. */
export const LABELS = {
  /** The bridge's port inside the container. */
  bridgePort: 'dev.deskvm.bridge-port',
  /** The port on the host's 127.0.0.1 that reaches the bridge. */
  hostPort: 'dev.deskvm.host-port',
  /** The network mode: bridge, host or none. */
  network: 'dev.deskvm.network',
  /** The image and stream settings, as `settingsLabel` writes them; `up` compares them to recreate a container. */
  settings: 'dev.deskvm.settings',
} as const;

const SANDBOX_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** Returns the `--name` option shared by every sandbox command. */
export function sandboxNameOption(): Option {
  return new Option('--name <name>', 'which sandbox: lower-case letters, digits, "_" and "-", at most 40')
    .env('DESKVM_SANDBOX')
    .default(DEFAULT_SANDBOX_NAME)
    .argParser((value: string) => {
      if (!SANDBOX_NAME.test(value)) {
        throw new InvalidArgumentError(
          `Invalid name ${JSON.stringify(value)}: use 1 to 40 lower-case letters, digits, "_" and "-", starting with a letter or digit.`,
        );
      }
      return value;
    });
}

/** The parts every sandbox command uses: the engine, the data folder, and the sandbox as a `Vm`. */
export interface SandboxContext {
  readonly name: string;
  readonly engine: DockerEngine;
  /** deskvm's data directory (DESKVM_DATA_DIR or the per-OS default). */
  readonly dataDirectory: string;
  readonly vm: NativeVm;
}

/** Options of {@link openSandbox}. */
export interface OpenSandboxOptions {
  /** How to create the container; `deskvm up` passes them. Other commands act only on an existing container. */
  readonly container?: DesktopContainerOptions;
  /** The source of the image when the container is created. */
  readonly image?: ImageSource;
  /** The bridge's port inside the container; default the label of `container`, else of the existing container. */
  readonly bridgePort?: number;
  readonly engine?: DockerEngine;
  readonly logger?: Logger;
}

/**
 * Connects to the Docker engine and returns the sandbox `name` as a native `Vm`. Without `container`, the returned
 * VM can inspect, exec, log, stop and delete an existing container, and its `start` raises a usage error.
 */
export async function openSandbox(name: string, options: OpenSandboxOptions = {}): Promise<SandboxContext> {
  const engine = options.engine ?? (await connectEngine({ logger: options.logger }));
  const directory = dataDirectory();
  const fromOptions = Number(options.container?.labels?.[LABELS.bridgePort]);
  const bridgePort =
    options.bridgePort ??
    (Number.isInteger(fromOptions) && fromOptions > 0 ? fromOptions : undefined) ??
    (await labelledBridgePort(engine, name)) ??
    DESKTOP_BRIDGE_PORT;
  const container: DesktopContainerOptions = options.container ?? {
    spec: { project: containerName(name), image: 'deskvm/desktop:none', gpu: 'none' },
    network: 'host',
  };
  const image: ImageSource = options.image ?? {
    reference: container.spec.image,
    ensure: () => Promise.reject(new CliError('CLI_ERR_USAGE', `The sandbox "${name}" does not exist: create it with deskvm up.`)),
  };
  const vm = createNativeVm({
    name,
    engine,
    container,
    image,
    bridge: { containerPort: bridgePort },
    lockDirectory: join(directory, 'locks'),
    inspector: await createProcessInspector(),
    execAgent: { argv: ['node', DESKTOP_EXEC_AGENT] },
    logger: options.logger,
  });

  return { name, engine, dataDirectory: directory, vm };
}

/** Reads the bridge port that `deskvm up` recorded on the container, or undefined when there is no container. */
async function labelledBridgePort(engine: DockerEngine, name: string): Promise<number | undefined> {
  try {
    const inspected = await engine.docker.getContainer(containerName(name)).inspect();
    const value = Number(inspected.Config.Labels?.[LABELS.bridgePort]);

    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Raises `CLI_ERR_FOREIGN_CONTAINER` unless deskvm created the container for this sandbox (its `dev.deskvm.vm`
 * label names it), so that `up` and `down` never start or remove a container of someone else's by its name alone.
 */
export function requireOwnContainer(facts: ContainerFacts, name: string): void {
  if (facts.labels[VM_LABEL] !== name) {
    throw new CliError(
      'CLI_ERR_FOREIGN_CONTAINER',
      `The container ${facts.name} was not created by deskvm for the sandbox "${name}" (it has no ${VM_LABEL}=${name} label). ` +
        'Use another --name, or remove that container with the docker command if it is yours.',
    );
  }
}

/** Raises `CLI_ERR_NOT_RUNNING` unless the sandbox's container runs. */
export async function requireRunning(context: SandboxContext): Promise<void> {
  const facts = await context.vm.inspect();

  if (facts === undefined) {
    throw new CliError('CLI_ERR_NOT_RUNNING', `The sandbox "${context.name}" does not exist. Start it with: deskvm up`);
  }
  if (facts.state !== 'running') {
    throw new CliError('CLI_ERR_NOT_RUNNING', `The sandbox "${context.name}" is ${facts.state}, not running. Start it with: deskvm up`);
  }
}
