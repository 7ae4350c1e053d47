import { spawn, type ChildProcess } from 'node:child_process';

/** An Xvfb that a test started, on a display number Xvfb picked itself. */
export interface TestXvfb {
  readonly display: string;
  /** Stops Xvfb and waits for its exit. */
  stop(): Promise<void>;
  /** Sends a signal to Xvfb, such as SIGSTOP to make it hang. */
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts Xvfb with `-displayfd`, so it picks a free display number and parallel tests never collide, and with
 * `-noreset`, so the screen keeps a RandR size after the last client leaves.
 */
export async function startXvfb(width: number, height: number): Promise<TestXvfb> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let output = '';

    xvfb.stdio[3]?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');

      if (output.includes('\n')) {
        resolve(`:${output.trim()}`);
      }
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code} before it reported a display.`)));
  });

  return { display, stop: () => stopProcess(xvfb), signal: (signal) => xvfb.kill(signal) };
}

/** Sends SIGTERM, then SIGKILL after 2 s, and waits for the exit. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 2000);

  child.kill('SIGTERM');
  await exited;
  clearTimeout(killer);
}
