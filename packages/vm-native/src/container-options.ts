import type Dockerode from 'dockerode';
import { gpuAdditions, validateContainerSpec, type DesktopContainerSpec } from '@deskvm/vm-core';
import { NativeError } from './errors.js';

/**
 * The network mode of the desktop container.
 * - `bridge`: the engine's bridge network; ports are published on 127.0.0.1 only.
 * - `host`: the host's network stack; the bridge listens on the host's 127.0.0.1 itself, so nothing is published.
 * - `none`: loopback only inside the container; nothing is published.
 */
export type NetworkMode = 'bridge' | 'host' | 'none';

/** A Docker health check of the desktop container. */
export interface HealthcheckOptions {
  /**
   * The check in Docker's form, `['CMD', executable, ...args]` or `['CMD-SHELL', script]`. An argv without one of
   * these first elements gets `CMD` put in front.
   */
  test: readonly string[];
  /** Milliseconds between two checks, at least 1. */
  intervalMs: number;
  /** Milliseconds before one check counts as failed, at least 1. */
  timeoutMs: number;
  /** Consecutive failures after which the container is `unhealthy`, at least 1. */
  retries: number;
  /** Milliseconds after the start during which failures do not count. Default 0. */
  startPeriodMs?: number;
}

/** Everything about the desktop container beyond its name. */
export interface DesktopContainerOptions {
  /** The image, environment, mounts, ports, devices and GPU plumbing; validated with vm-core's rules. */
  spec: DesktopContainerSpec;
  /** The network mode; see `NetworkMode`. */
  network: NetworkMode;
  /** Replaces the image's `CMD`. Default: the image's. */
  command?: readonly string[];
  /** The user that runs the command, as `name`, `uid` or `uid:gid`. Default: the image's. */
  user?: string;
  /** A Docker health check. Default: the image's, if any. */
  healthcheck?: HealthcheckOptions;
  /** Extra labels. `dev.deskvm.vm` is always set to the VM's name and cannot be replaced. */
  labels?: Readonly<Record<string, string>>;
}

/** The label that names the VM a container belongs to. */
export const VM_LABEL = 'dev.deskvm.vm';

/** Default size of `/dev/shm` in MiB: 1024, as in vm-core's compose file. */
export const DEFAULT_SHM_SIZE_MIB = 1024;

const NANOSECONDS_PER_MILLISECOND = 1_000_000;
const HEALTHCHECK_FORMS = new Set(['CMD', 'CMD-SHELL', 'NONE']);

/** Returns the desktop container's name: `deskvm-<vm name>`. */
export function containerName(vmName: string): string {
  return `deskvm-${vmName}`;
}

/**
 * Builds the dockerode create options of the desktop container. Raises `VM_ERR_INVALID_ARGUMENT` (vm-core) for an
 * invalid spec and `NATIVE_ERR_INVALID_ARGUMENT` for an invalid port, health check or command.
 *
 * Ports: with `bridge`, each `spec.ports` entry is published on 127.0.0.1 only, with `HostPort` `''` when `host` is 0
 * so that the engine picks a free port. With `host` and `none`, nothing is published. `ExposedPorts` lists the
 * container ports in every mode.
 *
 * Hardening: `Init` (an init process reaps zombies and forwards signals), `no-new-privileges`, every capability
 * dropped, and no restart policy, because deskvm itself decides when the desktop starts.
 */
export function containerCreateOptions(vmName: string, options: DesktopContainerOptions): Dockerode.ContainerCreateOptions {
  const { spec } = options;

  validatePorts(spec);
  validateContainerSpec({ ...spec, ports: [] });
  validateCommand(options.command);

  const gpu = gpuAdditions(spec.gpu);
  const environment = { ...gpu.environment, ...spec.environment };
  const ports = spec.ports ?? [];
  const hostConfig: Dockerode.HostConfig = {
    NetworkMode: options.network,
    Init: true,
    SecurityOpt: ['no-new-privileges'],
    CapDrop: ['ALL'],
    RestartPolicy: { Name: 'no' },
    ShmSize: (spec.shmSizeMiB ?? DEFAULT_SHM_SIZE_MIB) * 1024 * 1024,
    Devices: [...gpu.devices, ...(spec.devices ?? []).map((path) => `${path}:${path}`)].map(deviceMapping),
    Binds: [
      ...gpu.volumes,
      ...(spec.volumes ?? []).map((volume) => `${volume.source}:${volume.target}${volume.readOnly === true ? ':ro' : ''}`),
    ],
  };

  if (gpu.deviceRequests.length > 0) {
    hostConfig.DeviceRequests = gpu.deviceRequests.map(deviceRequest);
  }

  if (options.network === 'bridge' && ports.length > 0) {
    hostConfig.PortBindings = Object.fromEntries(
      ports.map((port) => [`${port.container}/tcp`, [{ HostIp: '127.0.0.1', HostPort: port.host === 0 ? '' : String(port.host) }]]),
    );
  }

  const createOptions: Dockerode.ContainerCreateOptions = {
    name: containerName(vmName),
    Image: spec.image,
    Env: Object.entries(environment).map(([name, value]) => `${name}=${value}`),
    Labels: { ...options.labels, [VM_LABEL]: vmName },
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: hostConfig,
  };

  if (ports.length > 0) {
    createOptions.ExposedPorts = Object.fromEntries(ports.map((port) => [`${port.container}/tcp`, {}]));
  }

  if (options.command !== undefined) {
    createOptions.Cmd = [...options.command];
  }

  if (options.user !== undefined) {
    createOptions.User = options.user;
  }

  if (options.healthcheck !== undefined) {
    createOptions.Healthcheck = healthcheck(options.healthcheck);
  }

  return createOptions;
}

/** Turns a `host:container` device string from `gpuAdditions` into the engine's device mapping. */
function deviceMapping(device: string): Dockerode.DeviceMapping {
  const [pathOnHost = device, pathInContainer = pathOnHost] = device.split(':');

  return { PathOnHost: pathOnHost, PathInContainer: pathInContainer, CgroupPermissions: 'rwm' };
}

/** Turns a compose device reservation (`driver`, `count`, `capabilities`) into the engine's device request. */
function deviceRequest(request: Record<string, unknown>): Dockerode.DeviceRequest {
  const count = request['count'];

  return {
    Driver: typeof request['driver'] === 'string' ? request['driver'] : '',
    // The engine reads -1 as every device, as `docker run --gpus all` sends.
    Count: count === 'all' || count === undefined ? -1 : Number(count),
    Capabilities: [Array.isArray(request['capabilities']) ? (request['capabilities'] as string[]) : ['gpu']],
  };
}

function healthcheck(options: HealthcheckOptions): Dockerode.HealthConfig {
  const [first] = options.test;

  if (first === undefined) {
    invalid('healthcheck.test []', 'a non-empty array such as ["CMD", "test", "-f", "/tmp/ready"]');
  }

  for (const [name, value, minimum] of [
    ['intervalMs', options.intervalMs, 1],
    ['timeoutMs', options.timeoutMs, 1],
    ['retries', options.retries, 1],
    ['startPeriodMs', options.startPeriodMs ?? 0, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < minimum) {
      invalid(`healthcheck.${name} ${JSON.stringify(value)}`, `an integer of at least ${minimum}`);
    }
  }

  return {
    Test: HEALTHCHECK_FORMS.has(first) ? [...options.test] : ['CMD', ...options.test],
    Interval: options.intervalMs * NANOSECONDS_PER_MILLISECOND,
    Timeout: options.timeoutMs * NANOSECONDS_PER_MILLISECOND,
    Retries: options.retries,
    StartPeriod: (options.startPeriodMs ?? 0) * NANOSECONDS_PER_MILLISECOND,
  };
}

function validatePorts(spec: DesktopContainerSpec): void {
  for (const port of spec.ports ?? []) {
    const containerValid = Number.isInteger(port.container) && port.container >= 1 && port.container <= 65_535;
    const hostValid = Number.isInteger(port.host) && port.host >= 0 && port.host <= 65_535;

    if (!containerValid || !hostValid) {
      invalid(`port ${JSON.stringify(port)}`, 'a container port from 1 to 65535 and a host port from 0 (any free port) to 65535');
    }
  }
}

function validateCommand(command: readonly string[] | undefined): void {
  if (command !== undefined && (command.length === 0 || command.some((part) => typeof part !== 'string'))) {
    invalid(`command ${JSON.stringify(command)}`, 'a non-empty array of strings');
  }
}

function invalid(subject: string, rule: string): never {
  throw new NativeError('NATIVE_ERR_INVALID_ARGUMENT', `Invalid desktop container ${subject}: it must be ${rule}.`);
}
