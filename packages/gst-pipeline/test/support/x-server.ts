import { execa, type ResultPromise } from 'execa';

/** An Xvfb server started by a test. */
export interface XServer {
  /** The display name, such as `:42`. */
  display: string;
  stop(): Promise<void>;
}

/**
 * Starts `Xvfb` on a free display number, which Xvfb picks itself and writes to stdout (`-displayfd 1`), listening
 * on its Unix socket only.
 *
 * @param screen - the screen geometry and depth, such as `'320x240x24'`
 * @param timeoutMs - how long to wait for the display number; default 10000
 */
export async function startXvfb(screen: string, timeoutMs = 10_000): Promise<XServer> {
  const subprocess: ResultPromise = execa('Xvfb', ['-displayfd', '1', '-screen', '0', screen, '-nolisten', 'tcp'], {
    stdin: 'ignore',
    buffer: false,
    reject: false,
    forceKillAfterDelay: 2000,
  });

  const displayNumber = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb printed no display number within ${timeoutMs} ms`)), timeoutMs);

    subprocess.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();

      if (output.includes('\n')) {
        clearTimeout(timer);
        resolve(output.trim());
      }
    });
    void subprocess.then((result) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited before it printed a display number: ${result.shortMessage ?? result.exitCode}`));
    });
  });

  return {
    display: `:${displayNumber}`,
    stop: async () => {
      subprocess.kill();
      await subprocess;
    },
  };
}
