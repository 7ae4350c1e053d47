import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

import { describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';

import { descendantPids, liveProcesses } from './support/process-tree.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

// How `deskvm serve` ends: on each stop signal, and after kill -9, with no process left behind.

/** Connects one viewer and waits for its first message, so that the GStreamer pipeline runs too. */
async function watchStream(serve: ServeProcess): Promise<WebSocket> {
  const socket = new WebSocket(serve.ready.streamUrl, ['deskvm.v1', `deskvm.token.${serve.ready.token}`]);
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

/** Waits up to `timeoutMs` for the processes to be gone, and returns the ones still there. */
async function remainingAfter(pids: number[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  while (liveProcesses(pids).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return liveProcesses(pids);
}

describe('deskvm serve lifecycle', () => {
  it.each(['SIGTERM', 'SIGHUP'] as const)('exits with 0 on %s', async (signal) => {
    const serve = await startServe(['--size', '320x240']);
    const socket = await watchStream(serve);
    const children = descendantPids(serve.child.pid!);

    serve.child.kill(signal);
    const result = await serve.child;
    socket.terminate();

    expect(result.exitCode).toBe(0);
    expect(await remainingAfter(children, 3000)).toEqual([]);
  }, 30_000);

  it('leaves no process after kill -9', async () => {
    const serve = await startServe(['--size', '320x240']);
    const socket = await watchStream(serve);
    const children = descendantPids(serve.child.pid!);
    const commands = liveProcesses(children).join('\n');

    serve.child.kill('SIGKILL');
    await serve.child;
    socket.terminate();

    expect(commands).toContain('Xvfb');
    expect(commands).toContain('gst-launch-1.0');
    expect(await remainingAfter(children, 5000)).toEqual([]);
    expect(existsSync(dirname(serve.ready.xauthority!))).toBe(false);
  }, 30_000);

  // Ctrl+C in a terminal sends SIGINT to every process of the foreground group, so Xvfb goes down at the same time.
  it('exits with 0 on SIGINT to its group', async () => {
    const serve = await startServe(['--size', '320x240'], 30_000, true);
    const socket = await watchStream(serve);
    const children = descendantPids(serve.child.pid!);

    process.kill(-serve.child.pid!, 'SIGINT');
    const exited = await exitWithin(serve, 15_000);
    socket.terminate();

    expect(exited).toBe(0);
    expect(await remainingAfter(children, 3000)).toEqual([]);
  }, 40_000);

  it('exits with 1 when Xvfb dies', async () => {
    const serve = await startServe(['--size', '320x240']);
    const socket = await watchStream(serve);
    const children = descendantPids(serve.child.pid!);
    const xvfb = children.find((pid) => liveProcesses([pid]).some((line) => /^\d+ Xvfb /.test(line)));

    expect(xvfb).toBeDefined();
    process.kill(xvfb!, 'SIGTERM');
    const exited = await exitWithin(serve, 15_000);
    socket.terminate();

    expect(exited).toBe(1);
    expect(await remainingAfter(children, 3000)).toEqual([]);
  }, 40_000);
});

/** Waits up to `timeoutMs` for the command to exit and returns its exit code, or 'hung' (after killing it). */
async function exitWithin(serve: ServeProcess, timeoutMs: number): Promise<number | undefined | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), timeoutMs)));
  const outcome = await Promise.race([serve.child.then((result) => result.exitCode), hung]);

  clearTimeout(timer);

  if (outcome === 'hung') {
    serve.child.kill('SIGKILL');
    await serve.child;
  }

  return outcome;
}
