import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { encodeMessage, type Configuration } from '@deskvm/stream-protocol';

import { startBridge } from '../src/bridge.js';
import type { DesktopControl } from '../src/desktop-control.js';
import { gstreamerSource } from '../src/gstreamer-source.js';
import { generateToken } from '../src/token.js';
import { MAX_X11_CLIPBOARD_BYTES } from '../src/x11/x11-clipboard.js';
import { x11Desktop } from '../src/x11/x11-desktop.js';
import { waitFor } from './support/recording-desktop.js';
import { connectViewerV2 } from './support/viewer-client.js';
import { startXvfb, stopProcess, type TestXvfb } from './support/xvfb.js';

const run = promisify(execFile);

// These tests drive a real Xvfb through the bridge's X11 client and read the effects back with xdotool, xclip and
// xdpyinfo, which are separate X clients.

describe('x11Desktop on Xvfb', () => {
  let xvfb: TestXvfb;
  let desktop: DesktopControl & { clipboardText(): Promise<string | undefined> };
  let env: NodeJS.ProcessEnv;
  const folder = mkdtempSync(join(tmpdir(), 'deskvm-x11-test-'));

  beforeAll(async () => {
    xvfb = await startXvfb(640, 480);
    env = { ...process.env, DISPLAY: xvfb.display };
    desktop = await x11Desktop({ display: xvfb.display });
  });

  afterAll(async () => {
    await desktop?.close?.();
    await xvfb?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  async function screenSize(): Promise<string> {
    const { stdout } = await run('xdpyinfo', [], { env });

    return /dimensions:\s+(\d+x\d+) pixels/.exec(stdout)?.[1] ?? 'unknown';
  }

  it('moves the pointer', async () => {
    await desktop.pointerMove!(123, 45);

    const { stdout } = await run('xdotool', ['getmouselocation', '--shell'], { env });

    expect(stdout).toContain('X=123\nY=45\n');
  });

  it('moves the pointer relatively', async () => {
    await desktop.pointerMove!(100, 100);
    await desktop.pointerRelative!(-30, 25);

    const { stdout } = await run('xdotool', ['getmouselocation', '--shell'], { env });

    expect(stdout).toContain('X=70\nY=125\n');
  });

  // Each xterm writes its line to a temporary file and renames it, so the test never reads a half-written file.
  it('types into an xterm', async () => {
    const output = join(folder, 'typed.txt');
    const xterm = spawn(
      'xterm',
      ['-geometry', '40x5+0+0', '-title', 'deskvm-input', '-e', 'sh', '-c', `read line; printf %s "$line" > ${output}.part && mv ${output}.part ${output}`],
      { env, stdio: 'ignore' },
    );

    try {
      await waitForWindow('deskvm-input');
      // Without a window manager the keyboard focus follows the pointer, so the pointer goes over the terminal.
      await desktop.pointerMove!(60, 30);

      const shift = { code: 'ShiftLeft', key: 'Shift', modifiers: 0x01 };

      await desktop.key!({ ...shift, pressed: true });
      await tap({ code: 'KeyH', key: 'H', modifiers: 0x01 });
      await desktop.key!({ ...shift, pressed: false, modifiers: 0 });

      for (const [code, key] of [['KeyI', 'i'], ['Space', ' '], ['Digit1', '!'], ['Enter', 'Enter']] as const) {
        await tap({ code, key, modifiers: 0 });
      }

      await waitFor(() => readIfExists(output) !== undefined, 15_000, 'the typed line');

      expect(readIfExists(output)).toBe('Hi !');
    } finally {
      await stopProcess(xterm);
    }
  }, 40_000);

  it('pastes PRIMARY with middle click', async () => {
    const output = join(folder, 'pasted.txt');
    const xterm = spawn(
      'xterm',
      ['-geometry', '40x5+0+0', '-title', 'deskvm-paste', '-e', 'sh', '-c', `read line; printf %s "$line" > ${output}.part && mv ${output}.part ${output}`],
      { env, stdio: 'ignore' },
    );

    try {
      await waitForWindow('deskvm-paste');
      await desktop.setClipboard!('pasted-text');
      await desktop.pointerMove!(60, 30);
      // DOM button 1 is the middle button, X11 button 2, which pastes PRIMARY in xterm.
      await desktop.pointerButton!(1, true);
      await desktop.pointerButton!(1, false);
      // xterm fetches the selection asynchronously; an Enter before the text arrives would end an empty line.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tap({ code: 'Enter', key: 'Enter', modifiers: 0 });
      await waitFor(() => readIfExists(output) !== undefined, 15_000, 'the pasted line');

      expect(readIfExists(output)).toBe('pasted-text');
    } finally {
      await stopProcess(xterm);
    }
  }, 40_000);

  it('names an unknown key', async () => {
    const pressed = desktop.key!({ code: '', key: 'NoSuchKeyName', pressed: true, modifiers: 0 });

    await expect(pressed).rejects.toThrow('Unknown key "NoSuchKeyName" (no code): it has no X keysym.');
  });

  it('puts text on the clipboard', async () => {
    await desktop.setClipboard!('from the bridge ✓');

    const { stdout } = await run('xclip', ['-o', '-selection', 'clipboard'], { env });

    expect(stdout).toBe('from the bridge ✓');
  });

  it('reports clipboard changes', async () => {
    const seen: (string | Error)[] = [];
    const unwatch = desktop.watchClipboard!((change) => seen.push(change));
    // -quiet keeps xclip in the foreground, and -loops 1 ends it after it served one request.
    const xclip = spawn('xclip', ['-quiet', '-loops', '1', '-i', '-selection', 'clipboard'], { env, stdio: ['pipe', 'ignore', 'ignore'] });

    try {
      xclip.stdin.end('copied on the desktop é');
      await waitFor(() => seen.length > 0, 5000, 'the clipboard change');

      expect(seen).toEqual(['copied on the desktop é']);
    } finally {
      unwatch();
      await stopProcess(xclip);
    }
  });

  it('reports clipboard over the limit', async () => {
    const seen: (string | Error)[] = [];
    const unwatch = desktop.watchClipboard!((change) => seen.push(change));
    const xclip = spawn('xclip', ['-quiet', '-loops', '1', '-i', '-selection', 'clipboard'], { env, stdio: ['pipe', 'ignore', 'ignore'] });

    try {
      xclip.stdin.end('z'.repeat(MAX_X11_CLIPBOARD_BYTES + 1));
      await waitFor(() => seen.length > 0, 5000, 'the clipboard change');

      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeInstanceOf(Error);
      expect((seen[0] as Error).message).toContain(`more than ${MAX_X11_CLIPBOARD_BYTES} bytes`);
    } finally {
      unwatch();
      await stopProcess(xclip);
    }
  });

  it('resizes the screen', async () => {
    await desktop.resize!(320, 240);

    expect(await screenSize()).toBe('320x240');
    expect(desktop.size!()).toEqual({ width: 320, height: 240 });

    await desktop.resize!(640, 480);

    expect(await screenSize()).toBe('640x480');
  });

  it('rejects growing past start size', async () => {
    await expect(desktop.resize!(800, 600)).rejects.toThrow('kept its screen at 640x480 instead of 800x600');
    expect(await screenSize()).toBe('640x480');
  });

  async function tap(key: { code: string; key: string; modifiers: number }): Promise<void> {
    await desktop.key!({ ...key, pressed: true });
    await desktop.key!({ ...key, pressed: false });
  }

  async function waitForWindow(title: string): Promise<void> {
    const deadline = Date.now() + 10_000;

    while (Date.now() < deadline) {
      // --onlyvisible: xterm names its window before it maps it, and keys sent before the map go to the root window.
      const found = await run('xdotool', ['search', '--onlyvisible', '--name', title], { env }).then(
        () => true,
        () => false,
      );

      if (found) {
        return;
      }

      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    throw new Error(`No window named ${title} appeared within 10 s.`);
  }
});

describe('bridge with Xvfb desktop', () => {
  it('resizes desktop and stream', async () => {
    const xvfb = await startXvfb(640, 480);
    const env = { ...process.env, DISPLAY: xvfb.display };
    const desktop = await x11Desktop({ display: xvfb.display });
    const token = generateToken();
    const bridge = await startBridge({
      token,
      frameRate: { numerator: 15, denominator: 1 },
      desktop,
      source: () => {
        const { width, height } = desktop.size!();

        return gstreamerSource({
          source: { kind: 'ximagesrc', display: xvfb.display },
          encoder: { kind: 'x264enc' },
          width,
          height,
          frameRate: 15,
        })();
      },
    });

    try {
      const viewer = await connectViewerV2(bridge.streamUrl, token);
      const configurations = (): Configuration[] =>
        viewer.messages.filter((message): message is Configuration => message.type === 'configuration');
      await waitFor(() => configurations().length === 1, 20_000, 'the first configuration');

      viewer.socket.send(encodeMessage({ type: 'resize-request', width: 320, height: 240 }));
      await waitFor(() => configurations().length === 2, 20_000, 'the configuration change');
      const { stdout } = await run('xdpyinfo', [], { env });

      expect(configurations().map(({ width, height }) => `${width}x${height}`)).toEqual(['640x480', '320x240']);
      expect(stdout).toMatch(/dimensions:\s+320x240 pixels/);
      viewer.socket.close();
    } finally {
      await bridge.close();
      await xvfb.stop();
    }
  }, 60_000);
});

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

describe('x11Desktop close', () => {
  /** Resolves with 'closed' when close() finishes, or 'hung' after `timeoutMs`. */
  async function closeWithin(desktop: DesktopControl, timeoutMs: number): Promise<'closed' | 'hung'> {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), timeoutMs)));
    const outcome = await Promise.race([desktop.close!().then(() => 'closed' as const), hung]);

    clearTimeout(timer);
    return outcome;
  }

  it('returns after the X server exited', async () => {
    const xvfb = await startXvfb(320, 240);
    const desktop = await x11Desktop({ display: xvfb.display });

    // A held key makes close() release it, which is a round trip to the server.
    await desktop.key!({ code: 'KeyA', key: 'a', pressed: true, modifiers: 0 });
    await xvfb.stop();

    expect(await closeWithin(desktop, 5000)).toBe('closed');
  });

  it('returns while the X server hangs', async () => {
    const xvfb = await startXvfb(320, 240);
    const desktop = await x11Desktop({ display: xvfb.display });

    await desktop.key!({ code: 'KeyA', key: 'a', pressed: true, modifiers: 0 });
    xvfb.signal('SIGSTOP');

    try {
      expect(await closeWithin(desktop, 5000)).toBe('closed');
    } finally {
      xvfb.signal('SIGCONT');
      await xvfb.stop();
    }
  });
});
