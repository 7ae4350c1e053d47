import type Dockerode from 'dockerode';
import { StageFailure, type Diagnostics, type ReadinessStage } from '@deskvm/vm-core';
import { inspectContainer, describeContainerState } from './container-ops.js';
import { logTail } from './container-logs.js';
import type { DockerEngine } from './docker-engine.js';
import { httpGetStatus } from './http-health.js';
import { containerFacts } from './container-facts.js';

/** Time limits of the readiness stages, in milliseconds. */
export interface NativeStageTimeouts {
  /** The engine responds to a ping. Default 10000. */
  engineMs?: number;
  /** The container runs. Default 30000. */
  containerMs?: number;
  /** The Docker health check reports `healthy`. Default 120000. */
  healthMs?: number;
  /** The bridge's HTTP health path returns 200. Default 60000. */
  bridgeMs?: number;
}

/** Lines of the container log kept in diagnostics. */
export const LOG_TAIL_LINES = 50;

/** The engine, container and bridge address that the stages check. */
export interface StageContext {
  engine: DockerEngine;
  container: Dockerode.Container;
  bridgePort: number;
  healthPath: string;
}

/**
 * Returns the stages `engine`, `container`, `health` and `bridge`. A container that has exited fails the `container`,
 * `health` and `bridge` stages at once, and an `unhealthy` status fails `health` at once, each with the log tail. A
 * container can exit right after the `container` stage saw it run, so the later stages check too. A container
 * without a health check passes `health`. With the network mode `none` the host cannot reach the bridge, so the
 * `bridge` stage is left out.
 */
export function nativeStages(context: StageContext, timeouts: NativeStageTimeouts, network: string): ReadinessStage[] {
  const diagnose = (signal: AbortSignal): Promise<Diagnostics> => containerDiagnostics(context, signal);
  const stages: ReadinessStage[] = [
    {
      name: 'engine',
      timeoutMs: timeouts.engineMs ?? 10_000,
      check: async (signal) => {
        await context.engine.ping(signal);

        return true;
      },
    },
    {
      name: 'container',
      timeoutMs: timeouts.containerMs ?? 30_000,
      intervalMs: 250,
      check: async (signal) => (await runningContainer(context, signal)) !== undefined,
      diagnose,
    },
    {
      name: 'health',
      timeoutMs: timeouts.healthMs ?? 120_000,
      intervalMs: 500,
      check: async (signal) => checkHealth(context, signal),
      diagnose,
    },
  ];

  if (network !== 'none') {
    stages.push({
      name: 'bridge',
      timeoutMs: timeouts.bridgeMs ?? 60_000,
      intervalMs: 500,
      check: async (signal) => (await runningContainer(context, signal)) !== undefined && (await bridgeStatus(context, signal)) === 200,
      diagnose,
    });
  }

  return stages;
}

/** Sends the bridge's HTTP health request from the host and returns the status code. */
export async function bridgeStatus(context: StageContext, signal: AbortSignal): Promise<number> {
  const info = await inspectContainer(context.container, signal);
  const address = info === undefined ? undefined : containerFacts(info, context.bridgePort).bridgeAddress;

  if (address === undefined) {
    throw new Error(`the bridge port ${context.bridgePort} is not published on 127.0.0.1`);
  }

  return httpGetStatus(address.port, context.healthPath, signal);
}

/** Returns the inspect output of a running container, undefined while it is being created; raises when it exited. */
async function runningContainer(context: StageContext, signal: AbortSignal): Promise<Dockerode.ContainerInspectInfo | undefined> {
  const info = await inspectContainer(context.container, signal);

  if (info === undefined) {
    throw new StageFailure(`the container ${context.container.id} does not exist.`);
  }

  if (info.State.Running || info.State.Restarting) {
    return info;
  }

  if (info.State.Status === 'exited' || info.State.Status === 'dead') {
    throw new StageFailure(
      `the container ${context.container.id} exited with code ${info.State.ExitCode}. Its log tail is in the diagnostics.`,
      { diagnostics: await containerDiagnostics(context, signal) },
    );
  }

  return undefined;
}

async function checkHealth(context: StageContext, signal: AbortSignal): Promise<boolean> {
  const info = await runningContainer(context, signal);
  const health = info?.State.Health;

  if (info === undefined) {
    return false;
  }

  if (health === undefined || health.Status === '' || health.Status === 'none') {
    return true;
  }

  if (health.Status === 'unhealthy') {
    const lastCheck = health.Log?.at(-1);

    throw new StageFailure(
      `the container ${context.container.id} is unhealthy after ${health.FailingStreak} failed health checks` +
        (lastCheck === undefined ? '.' : `; the last exited with code ${lastCheck.ExitCode}.`),
      { diagnostics: { ...(await containerDiagnostics(context, signal)), healthOutput: lastCheck?.Output ?? '' } },
    );
  }

  return health.Status === 'healthy';
}

async function containerDiagnostics(context: StageContext, signal: AbortSignal): Promise<Diagnostics> {
  const info = await inspectContainer(context.container, signal);

  if (info === undefined) {
    return { containerStatus: 'does not exist' };
  }

  return {
    containerStatus: describeContainerState(info),
    logTail: await logTail(context.container, context.engine.docker, LOG_TAIL_LINES),
  };
}
