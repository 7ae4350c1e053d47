import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execa, type ResultPromise } from 'execa';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Bundles a TypeScript entry under test/fixtures into test-output/ with esbuild, so that a separate Node process
 * can run this package's sources without a build. Packages stay external and resolve from node_modules.
 */
export async function bundleFixture(name: string): Promise<string> {
  const outfile = join(packageRoot, 'test-output', 'children', `${name}.mjs`);

  await mkdir(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(packageRoot, 'test', 'fixtures', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });

  return outfile;
}

/** A started child process. Wrapped in an object because an execa subprocess is itself a promise. */
export interface Child {
  process: ResultPromise;
  pid: number;
}

/** Starts `node script ...args` and resolves once it printed a line containing `readyText` on stdout. */
export async function startChild(script: string, args: string[], readyText: string): Promise<Child> {
  const child = execa('node', [script, ...args], { reject: false, buffer: false, stdin: 'ignore' });

  await new Promise<void>((resolve, reject) => {
    let output = '';
    let errors = '';

    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();

      if (output.includes(readyText)) {
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    void child.then((result) => reject(new Error(`The child exited (${result.exitCode ?? result.signal}) before "${readyText}": ${errors}`)));
  });

  return { process: child, pid: child.pid! };
}

/** Kills the child with SIGKILL and waits until it is gone. */
export async function killHard(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  await child.process;
}
