import type Dockerode from 'dockerode';
import type { NetworkMode } from './container-options.js';

/** Live facts about the desktop container. */
export interface ContainerFacts {
  /** The container's full id. */
  id: string;
  /** The container's name without the leading `/`. */
  name: string;
  /** The image reference the container was created from. */
  image: string;
  /** The engine's state: `created`, `running`, `restarting`, `paused`, `exited`, `dead`. */
  state: string;
  /** The Docker health status (`starting`, `healthy`, `unhealthy`) when the container has a health check. */
  health?: string;
  /** The exit code once the container has run and stopped. */
  exitCode?: number;
  /** The start time in RFC 3339, when the container has started. */
  startedAt?: string;
  /** The time it stopped in RFC 3339, when it has stopped. */
  finishedAt?: string;
  /** The network mode. */
  network: NetworkMode;
  /** The bridge's address from the host: the published port with `bridge`, the container port itself with `host`. */
  bridgeAddress?: { host: '127.0.0.1'; port: number };
  /** The container's environment variables. */
  environment: Record<string, string>;
  /** The container's labels. */
  labels: Record<string, string>;
}

// The engine reports this time for a container that never started or never stopped.
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Turns the engine's inspect output into `ContainerFacts`; `bridgePort` is the bridge's port in the container. */
export function containerFacts(info: Dockerode.ContainerInspectInfo, bridgePort: number): ContainerFacts {
  const network = networkMode(info.HostConfig.NetworkMode);
  const state = info.State;
  const bridgeAddress = bridgeHostPort(info, network, bridgePort);

  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    state: state.Status,
    ...(state.Health?.Status === undefined || state.Health.Status === '' ? {} : { health: state.Health.Status }),
    ...(state.Status === 'exited' || state.Status === 'dead' ? { exitCode: state.ExitCode } : {}),
    ...(state.StartedAt === ZERO_TIME || state.StartedAt === '' ? {} : { startedAt: state.StartedAt }),
    ...(state.FinishedAt === ZERO_TIME || state.FinishedAt === '' ? {} : { finishedAt: state.FinishedAt }),
    network,
    ...(bridgeAddress === undefined ? {} : { bridgeAddress: { host: '127.0.0.1', port: bridgeAddress } }),
    environment: parseEnvironment(info.Config.Env ?? []),
    labels: { ...info.Config.Labels },
  };
}

function networkMode(mode: string | undefined): NetworkMode {
  // The engine reports `default` for a container created without a mode, which is the bridge network.
  return mode === 'host' || mode === 'none' ? mode : 'bridge';
}

function bridgeHostPort(info: Dockerode.ContainerInspectInfo, network: NetworkMode, bridgePort: number): number | undefined {
  if (network === 'host') {
    return bridgePort;
  }

  if (network === 'none') {
    return undefined;
  }

  const bindings = (info.NetworkSettings.Ports as Record<string, Array<{ HostIp: string; HostPort: string }> | null> | undefined)?.[
    `${bridgePort}/tcp`
  ];
  const loopback = bindings?.find((binding) => binding.HostIp === '127.0.0.1');

  return loopback === undefined ? undefined : Number(loopback.HostPort);
}

function parseEnvironment(entries: readonly string[]): Record<string, string> {
  const environment: Record<string, string> = {};

  for (const entry of entries) {
    const equals = entry.indexOf('=');

    if (equals > 0) {
      environment[entry.slice(0, equals)] = entry.slice(equals + 1);
    }
  }

  return environment;
}
