import type { ReadinessStage } from '../stages/stage-runner.js';
import type { DesktopContainerSpec } from './container-spec.js';
import { DESKTOP_SERVICE } from './container-spec.js';
import { diagnoseStack, stackStatus, startStack, type CommandRunner } from './stack-operations.js';

/** Time limits of the stack's readiness stages in milliseconds. */
export interface StackStageTimeouts {
  /** For `docker info` to succeed. Default 120000. */
  engineMs?: number;
  /** For the desktop container to run (and be healthy, when it has a health check). Default 180000. */
  desktopMs?: number;
}

/**
 * Returns the readiness stages of the desktop stack, expressed through `run`: `engine` (`docker info` succeeds),
 * then `desktop` (starts the stack, then waits for the container to run). A failure carries the container status and
 * log tail.
 */
export function stackStages(vm: CommandRunner, spec: DesktopContainerSpec, timeouts: StackStageTimeouts = {}): ReadinessStage[] {
  let started = false;

  return [
    {
      name: 'engine',
      timeoutMs: timeouts.engineMs ?? 120_000,
      intervalMs: 2000,
      check: async (signal) => {
        const result = await vm.run(
          { kind: 'argv', argv: ['docker', 'info', '--format', '{{.ServerVersion}}'] },
          { signal, timeoutMs: 15_000 },
        );

        return result.exitCode === 0;
      },
    },
    {
      name: 'desktop',
      timeoutMs: timeouts.desktopMs ?? 180_000,
      intervalMs: 2000,
      check: async (signal) => {
        if (!started) {
          await startStack(vm, spec, { signal });
          started = true;
        }

        const desktop = (await stackStatus(vm, spec.project, { signal })).find((c) => c.service === DESKTOP_SERVICE);

        return desktop !== undefined && desktop.state === 'running' && (desktop.health === '' || desktop.health === 'healthy');
      },
      diagnose: (signal) => diagnoseStack(vm, spec.project, 50, { signal }),
    },
  ];
}
