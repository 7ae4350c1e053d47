import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { execa, type ResultPromise } from 'execa';

/** What `deskvm serve --json` prints when it is ready. */
export interface ServeReady {
  readonly viewerUrl: string;
  readonly streamUrl: string;
  readonly healthUrl: string;
  readonly token: string;
  readonly display: string | null;
  readonly xauthority: string | null;
  readonly width: number;
  readonly height: number;
}

/** A running `deskvm serve` started from the built command. */
export interface ServeProcess {
  readonly ready: ServeReady;
  readonly child: ResultPromise;
  /** Sends SIGINT and waits for the exit; returns the exit code. */
  stop(): Promise<number | undefined>;
}

/** Path of the built command; the test script builds the workspace before jest runs. */
export const cliPath = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/**
 * Starts `node dist/main.js serve --json ARGS` and waits for its ready line (at most `timeoutMs`). With `detached`,
 * the command leads a process group of its own, as in a terminal, so a test can signal the whole group like Ctrl+C.
 */
export async function startServe(args: readonly string[], timeoutMs = 30_000, detached = false): Promise<ServeProcess> {
  // The desktop's xterm runs the user's shell, which would read the user's ~/.bashrc. An empty HOME keeps the
  // tests independent of it: a slow or input-reading startup file there would eat the keys a test types.
  const home = mkdtempSync(join(tmpdir(), 'deskvm-serve-home-'));
  const child = execa('node', [cliPath, 'serve', '--json', ...args], {
    reject: false,
    stdin: 'ignore',
    buffer: false,
    detached,
    env: { HOME: home },
  });
  void child.finally(() => rmSync(home, { recursive: true, force: true }));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8192);
  });

  const ready = await new Promise<ServeReady>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`deskvm serve was not ready within ${timeoutMs} ms. stderr: ${stderr}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(stdout.slice(0, newline)) as ServeReady);
      }
    });
    void child.then((result) => {
      clearTimeout(timer);
      reject(new Error(`deskvm serve exited with ${String(result.exitCode)} before it was ready. stderr: ${stderr}`));
    });
  });

  return {
    ready,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await once(child, 'exit');
      }
      const result = await child;
      return result.exitCode;
    },
  };
}
