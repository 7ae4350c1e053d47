import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode, decodeServerMessage, encodeMessage, type ClientMessage, type ServerMessage } from '@deskvm/stream-protocol';
import WebSocket from 'ws';

import { startServe, type ServeProcess } from './support/serve-process.js';

const run = promisify(execFile);

// Input, clipboard and resize through a version 2 viewer of `deskvm serve`, checked on its Xvfb desktop with
// xdotool, xclip and xdpyinfo.

describe('deskvm serve desktop control', () => {
  let serve: ServeProcess;
  let socket: WebSocket;
  let env: NodeJS.ProcessEnv;
  const messages: ServerMessage[] = [];
  const folder = mkdtempSync(join(tmpdir(), 'deskvm-serve-test-'));

  const send = (message: ClientMessage): void => socket.send(encodeMessage(message));
  const ofType = <Type extends ServerMessage['type']>(type: Type): Extract<ServerMessage, { type: Type }>[] =>
    messages.filter((message): message is Extract<ServerMessage, { type: Type }> => message.type === type);

  async function waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;

    while (!predicate()) {
      if (Date.now() > deadline) {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
      }

      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    serve = await startServe(['--size', '640x480']);
    env = { ...process.env, DISPLAY: serve.ready.display!, XAUTHORITY: serve.ready.xauthority! };
    socket = new WebSocket(serve.ready.streamUrl, ['deskvm.v2', 'deskvm.v1', `deskvm.token.${serve.ready.token}`]);
    socket.on('message', (data: Buffer) => messages.push(decodeServerMessage(new Uint8Array(data))));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await waitFor(() => ofType('video').length > 0, 'the first video message');
  }, 40_000);

  afterAll(async () => {
    socket?.close();
    await serve?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('announces desktop capabilities', () => {
    expect(ofType('hello')[0]?.capabilities).toBe(0x07);
    expect(ofType('configuration')[0]).toMatchObject({ width: 640, height: 480 });
  });

  it('moves the desktop pointer', async () => {
    send({ type: 'pointer-move', x: 300, y: 200 });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const { stdout } = await run('xdotool', ['getmouselocation', '--shell'], { env });

    expect(stdout).toContain('X=300\nY=200\n');
  });

  it('types a command into xterm', async () => {
    const output = join(folder, 'typed');
    const command = `echo typed-by-deskvm > ${output}`;

    // The first frame can come before xterm has mapped its window, and keys typed then go nowhere.
    await waitForXterm(env);

    // The xterm of the desktop sits at +8+8; a click focuses it under openbox.
    send({ type: 'pointer-move', x: 100, y: 60 });
    send({ type: 'pointer-button', button: 0, pressed: true });
    send({ type: 'pointer-button', button: 0, pressed: false });
    await new Promise((resolve) => setTimeout(resolve, 300));

    for (const key of [...command, 'Enter']) {
      send({ type: 'key', pressed: true, repeat: false, modifiers: 0, code: '', key });
      send({ type: 'key', pressed: false, repeat: false, modifiers: 0, code: '', key });
    }

    // The shell creates the file before echo writes to it, so the test waits for the whole line.
    await waitFor(() => readIfExists(output)?.endsWith('\n') === true, 'the line the command writes');

    expect(readIfExists(output)).toBe('typed-by-deskvm\n');
  }, 40_000);

  it('copies viewer text to desktop', async () => {
    send({ type: 'client-clipboard', text: 'from the viewer ✓' });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const { stdout } = await run('xclip', ['-o', '-selection', 'clipboard'], { env });

    expect(stdout).toBe('from the viewer ✓');
  });

  it('copies desktop text to viewer', async () => {
    const xclip = spawn('xclip', ['-quiet', '-loops', '1', '-i', '-selection', 'clipboard'], { env, stdio: ['pipe', 'ignore', 'ignore'] });

    xclip.stdin.end('from the desktop');
    await waitFor(() => ofType('server-clipboard').some((clipboard) => clipboard.text === 'from the desktop'), 'the clipboard message');
    xclip.kill();

    expect(ofType('server-clipboard').at(-1)?.text).toBe('from the desktop');
  }, 30_000);

  it('names the maximum when resize is too large', async () => {
    send({ type: 'resize-request', width: 4000, height: 2200 });
    await waitFor(() => ofType('error').some((error) => error.message.includes('4000x2200')), 'the resize error');
    const error = ofType('error').find((message) => message.message.includes('4000x2200'));

    expect(error?.code).toBe(ErrorCode.ResizeFailed);
    expect(error?.message).toContain('even width from 64 to 3840 and an even height from 64 to 2160');
  }, 30_000);

  it('resizes desktop and stream', async () => {
    send({ type: 'resize-request', width: 800, height: 600 });
    await waitFor(() => ofType('configuration').some((configuration) => configuration.width === 800), 'the configuration change');
    const { stdout } = await run('xdpyinfo', [], { env });

    expect(ofType('configuration').at(-1)).toMatchObject({ width: 800, height: 600 });
    expect(stdout).toMatch(/dimensions:\s+800x600 pixels/);
  }, 30_000);
});

/** Waits until xdotool finds a visible xterm window on the display, for at most 15 s. */
async function waitForXterm(env: NodeJS.ProcessEnv): Promise<void> {
  const deadline = Date.now() + 15_000;

  for (;;) {
    try {
      await run('xdotool', ['search', '--onlyvisible', '--class', 'xterm'], { env });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`No visible xterm window appeared within 15 s: ${(error as Error).message}`);
      }
    }

    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
