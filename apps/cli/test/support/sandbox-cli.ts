import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { execa, type Options, type ResultPromise } from 'execa';

import { cliPath } from './serve-process.js';

/** A sandbox name of its own for one test file, and a data directory that is removed with it. */
export interface SandboxUnderTest {
  readonly name: string;
  readonly env: Record<string, string>;
  /** Runs `deskvm ARGS` against this sandbox and collects its output. */
  run(args: readonly string[], options?: Options): ResultPromise<{ reject: false }>;
  /** Removes the container (deskvm down) and the data directory. */
  dispose(): Promise<void>;
}

/** Creates a sandbox name such as `t-lifecycle-1a2b3c` and an empty data directory for it. */
export function sandboxUnderTest(label: string): SandboxUnderTest {
  const name = `t-${label}-${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const dataDirectory = mkdtempSync(join(tmpdir(), `deskvm-${label}-`));
  const env: Record<string, string> = { DESKVM_SANDBOX: name, DESKVM_DATA_DIR: dataDirectory, NO_COLOR: '1' };
  const run = (args: readonly string[], options: Options = {}): ResultPromise<{ reject: false }> =>
    execa('node', [cliPath, ...args], { stdin: 'ignore', ...options, env: { ...env, ...options.env }, reject: false }) as ResultPromise<{
      reject: false;
    }>;

  return {
    name,
    env,
    run,
    dispose: async () => {
      await run(['down', '--timeout', '2']);
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

/** Parses the JSON lines of `--json` output into objects. */
export function jsonLines(stdout: unknown): Array<Record<string, unknown>> {
  return String(stdout)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
