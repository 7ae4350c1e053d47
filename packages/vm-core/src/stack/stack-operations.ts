import { VmError, type Diagnostics } from '../errors.js';
import type { RunOptions, RunResult } from '../run/command.js';
import type { Vm } from '../vm.js';
import { renderComposeFile } from './compose-file.js';
import type { DesktopContainerSpec } from './container-spec.js';

/** The part of a VM that stack operations use: only `run`, so every backend shares these operations. */
export type CommandRunner = Pick<Vm, 'run'>;

/** One container of the stack as `docker compose ps` reports it. */
export interface ContainerStatus {
  /** The compose service name. */
  service: string;
  /** The container name. */
  name: string;
  /** The container state: `running`, `exited`, `restarting`, `created`, ... */
  state: string;
  /** The health check result (`healthy`, `unhealthy`, `starting`), or empty without a health check. */
  health: string;
  /** The exit code, meaningful once the container exited. */
  exitCode: number;
}

/** Default time limit of a stack command: 120000 ms, long enough for `up` to create a container. */
export const DEFAULT_STACK_TIMEOUT_MS = 120_000;

/**
 * Starts the desktop container with `docker compose up --detach`, reading the compose file from stdin. Containers
 * already running with the same configuration are left as they are. Raises `VM_ERR_BACKEND` with compose's output.
 */
export async function startStack(vm: CommandRunner, spec: DesktopContainerSpec, options: RunOptions = {}): Promise<void> {
  const composeFile = renderComposeFile(spec);
  const argv = ['docker', 'compose', '--project-name', spec.project, '--file', '-', 'up', '--detach', '--remove-orphans'];
  const result = await vm.run({ kind: 'argv', argv }, { timeoutMs: DEFAULT_STACK_TIMEOUT_MS, ...options, stdin: composeFile });

  check(result, `Starting the desktop stack "${spec.project}"`);
}

/** Returns the containers of the compose project, stopped ones included. */
export async function stackStatus(vm: CommandRunner, project: string, options: RunOptions = {}): Promise<ContainerStatus[]> {
  const argv = ['docker', 'compose', '--project-name', project, 'ps', '--all', '--format', 'json'];
  const result = await vm.run({ kind: 'argv', argv }, { timeoutMs: 30_000, ...options });

  check(result, `Reading the status of the desktop stack "${project}"`);

  return parseComposePs(result.stdout);
}

/**
 * Collects the container status and the last `tailLines` log lines (default 50) of each container, to explain a
 * stack failure. A part that cannot be read is replaced by a sentence with the reason, so this does not raise.
 */
export async function diagnoseStack(vm: CommandRunner, project: string, tailLines = 50, options: RunOptions = {}): Promise<Diagnostics> {
  const status = await stackStatus(vm, project, options).then(
    (containers) =>
      containers.length === 0
        ? 'no containers'
        : containers.map((c) => `${c.service} ${c.name} ${c.state}${c.health === '' ? '' : ` (${c.health})`} exit ${c.exitCode}`).join('\n'),
    (error: unknown) => `unavailable: ${(error as Error).message}`,
  );
  const argv = ['docker', 'compose', '--project-name', project, 'logs', '--no-color', '--tail', String(tailLines)];
  const logs = await vm.run({ kind: 'argv', argv }, { timeoutMs: 30_000, ...options }).then(
    (result) => `${result.stdout}${result.stderr}`,
    (error: unknown) => `unavailable: ${(error as Error).message}`,
  );

  return { containerStatus: status, logTail: logs };
}

/**
 * Parses `docker compose ps --format json`: one JSON object per line (Compose 2.21 and later) or one JSON array
 * (earlier versions).
 */
export function parseComposePs(output: string): ContainerStatus[] {
  const trimmed = output.trim();

  if (trimmed === '') {
    return [];
  }

  const entries: unknown[] = trimmed.startsWith('[')
    ? (JSON.parse(trimmed) as unknown[])
    : trimmed.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);

  return entries.map((entry) => {
    const record = entry as Record<string, unknown>;

    return {
      service: String(record.Service ?? ''),
      name: String(record.Name ?? ''),
      state: String(record.State ?? ''),
      health: String(record.Health ?? ''),
      exitCode: Number(record.ExitCode ?? 0),
    };
  });
}

function check(result: RunResult, operation: string): void {
  if (result.exitCode === 0) {
    return;
  }

  const ending = result.signal === undefined ? `exit code ${result.exitCode}` : `signal ${result.signal}`;
  const stderr = result.stderr.trim().split('\n').slice(-20).join('\n');

  throw new VmError('VM_ERR_BACKEND', `${operation} failed with ${ending}: ${stderr || '(no output)'}`, {
    diagnostics: { stderr: result.stderr },
  });
}
