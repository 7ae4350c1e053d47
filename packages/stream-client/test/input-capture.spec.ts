import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Modifier, type ClientMessage } from '@deskvm/stream-protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { StaticServer } from './support/browser.js';
import type { FakeBridge } from './support/fake-bridge.js';
import { closeElementHarness, startElementHarness } from './support/element-harness.js';
import type { MountOptions, MountResult } from './page/element-page.js';

const TEST_TIMEOUT_MS = 60_000;
const TOKEN = 'test-token-0123456789';
// A 320x240 stream in a 640x360 element: the picture is 480x360, with bars of 80 px left and right.
const STYLE = 'width: 640px; height: 360px';

let browser: Browser;
let server: StaticServer;
let bridge: FakeBridge;

beforeAll(async () => {
  ({ browser, server, bridge } = await startElementHarness(TOKEN));
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await closeElementHarness({ browser, server, bridge });
});

interface Mounted {
  context: BrowserContext;
  page: Page;
  result: MountResult;
  messages: ClientMessage[];
}

// Mounts a player on a stream long enough for the test, and returns the list the bridge fills with its messages.
async function mount(query: string, options: Partial<MountOptions> = {}, hasTouch = false, clipboard = false): Promise<Mounted> {
  const context = await browser.newContext({ hasTouch });
  if (clipboard) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  }
  const page = await context.newPage();
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => 'deskvmTest' in globalThis);

  const connections = bridge.received.length;
  const mountOptions: MountOptions = { url: `${bridge.url}?case=no-vui-320x240.h264&frames=300${query}`, token: TOKEN, style: STYLE, ...options };
  const result = await page.evaluate(
    (pageOptions) =>
      (globalThis as unknown as { deskvmTest: { mountPlayer(o: MountOptions): Promise<MountResult> } }).deskvmTest.mountPlayer(pageOptions),
    mountOptions,
  );
  const messages = bridge.received[connections]!;
  return { context, page, result, messages };
}

function ofType<T extends ClientMessage['type']>(messages: ClientMessage[], type: T): Extract<ClientMessage, { type: T }>[] {
  return messages.filter((message): message is Extract<ClientMessage, { type: T }> => message.type === type);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('input capture in Chromium', () => {
  it(
    'maps a click past the bars',
    async () => {
      const { context, page, messages } = await mount('');

      await page.mouse.click(80 + 240, 180);
      // On the left bar, at the bottom row: clamped to the picture's first column.
      await page.mouse.click(20, 359.5, { button: 'right' });
      await settle();

      const moves = ofType(messages, 'pointer-move');
      expect(moves[0]).toEqual({ type: 'pointer-move', x: 160, y: 120 });
      expect(moves.at(-1)).toEqual({ type: 'pointer-move', x: 0, y: 239 });
      expect(ofType(messages, 'pointer-button')).toEqual([
        { type: 'pointer-button', button: 0, pressed: true },
        { type: 'pointer-button', button: 0, pressed: false },
        { type: 'pointer-button', button: 2, pressed: true },
        { type: 'pointer-button', button: 2, pressed: false },
      ]);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'encodes keys with modifiers',
    async () => {
      const { context, page, messages } = await mount('');

      await page.mouse.click(320, 180);
      await page.keyboard.down('Shift');
      await page.keyboard.press('KeyA');
      await page.keyboard.up('Shift');
      await page.keyboard.press('Enter');
      await settle();

      expect(ofType(messages, 'key')).toEqual([
        { type: 'key', pressed: true, repeat: false, modifiers: Modifier.Shift, code: 'ShiftLeft', key: 'Shift' },
        { type: 'key', pressed: true, repeat: false, modifiers: Modifier.Shift, code: 'KeyA', key: 'A' },
        { type: 'key', pressed: false, repeat: false, modifiers: Modifier.Shift, code: 'KeyA', key: 'A' },
        { type: 'key', pressed: false, repeat: false, modifiers: 0, code: 'ShiftLeft', key: 'Shift' },
        { type: 'key', pressed: true, repeat: false, modifiers: 0, code: 'Enter', key: 'Enter' },
        { type: 'key', pressed: false, repeat: false, modifiers: 0, code: 'Enter', key: 'Enter' },
      ]);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'ignores keys without focus',
    async () => {
      const { context, page, messages } = await mount('');

      await page.keyboard.press('KeyB');
      await settle();

      expect(ofType(messages, 'key')).toEqual([]);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'converts wheel notches',
    async () => {
      const { context, page, messages } = await mount('');

      await page.mouse.move(320, 180);
      await page.mouse.wheel(0, 100);
      await page.mouse.wheel(-50, 0);
      await settle();

      expect(ofType(messages, 'wheel')).toEqual([
        { type: 'wheel', deltaX: 0, deltaY: 120 },
        { type: 'wheel', deltaX: -60, deltaY: 0 },
      ]);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sends touch points',
    async () => {
      const { context, page, messages } = await mount('', {}, true);

      await page.touchscreen.tap(80 + 120, 90);
      await settle();

      const touches = ofType(messages, 'touch');
      expect(touches[0]).toEqual({ type: 'touch', phase: 0, id: 0, x: 80, y: 60 });
      expect(touches.at(-1)).toMatchObject({ type: 'touch', phase: 2, id: 0 });
      expect(ofType(messages, 'pointer-button')).toEqual([]);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sends pasted text',
    async () => {
      const { context, page, messages } = await mount('');

      await page.mouse.click(320, 180);
      await page.evaluate(() => {
        const data = new DataTransfer();
        data.setData('text/plain', 'pasted from the page');
        document.querySelector('deskvm-player')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
      });
      await settle();

      expect(ofType(messages, 'client-clipboard')).toContainEqual({ type: 'client-clipboard', text: 'pasted from the page' });
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports the desktop clipboard',
    async () => {
      const { context, page } = await mount('&clipboard=from%20the%20desktop');
      await settle();

      const events = await page.evaluate(() => (globalThis as unknown as { deskvmEvents: string[] }).deskvmEvents);

      expect(events.filter((event) => event.startsWith('deskvm-clipboard'))).toHaveLength(1);
      expect(events.find((event) => event.startsWith('deskvm-clipboard'))).toContain('"text":"from the desktop"');
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sends the local clipboard on focus',
    async () => {
      const { context, page, messages } = await mount('', {}, false, true);
      await page.evaluate(() => navigator.clipboard.writeText('copied before focus'));

      await page.mouse.click(320, 180);
      await settle();

      expect(ofType(messages, 'client-clipboard')).toEqual([{ type: 'client-clipboard', text: 'copied before focus' }]);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sends pasted text before the key',
    async () => {
      const { context, page, messages } = await mount('', {}, false, true);
      await page.mouse.click(320, 180);
      await settle();
      await page.evaluate(() => navigator.clipboard.writeText('pasted with the keyboard'));
      // The browser's clipboard is shared by every page, so focusing may have sent an earlier test's text.
      const sentBefore = messages.length;

      await page.keyboard.press('Control+KeyV');
      await settle();

      const order = messages
        .slice(sentBefore)
        .flatMap((message) => {
          if (message.type === 'client-clipboard') {
            return [`clipboard ${message.text}`];
          }
          return message.type === 'key' && message.code === 'KeyV' ? [`key ${message.pressed ? 'down' : 'up'}`] : [];
        });
      expect(order).toEqual(['clipboard pasted with the keyboard', 'key down', 'key up']);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'writes the desktop clipboard locally',
    async () => {
      const { context, page } = await mount('&clipboard=from%20the%20desktop', {}, false, true);
      await settle();

      const local = await page.evaluate(() => navigator.clipboard.readText());
      const events = await page.evaluate(() => (globalThis as unknown as { deskvmEvents: string[] }).deskvmEvents);

      expect(local).toBe('from the desktop');
      expect(events.find((event) => event.startsWith('deskvm-clipboard'))).toContain('"written":true');
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'requests an even desktop size',
    async () => {
      const { context, page, messages } = await mount('', { style: 'width: 641px; height: 361px', attributes: { 'follow-resize': '' } });
      await page.waitForTimeout(600);
      await page.evaluate(() => {
        (document.querySelector('deskvm-player') as HTMLElement).style.width = '801px';
      });
      await page.waitForTimeout(600);

      expect(ofType(messages, 'resize-request')).toEqual([
        { type: 'resize-request', width: 640, height: 360 },
        { type: 'resize-request', width: 800, height: 360 },
      ]);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sends nothing when view-only',
    async () => {
      const { context, page, messages } = await mount('', { attributes: { 'view-only': '' } });

      await page.mouse.click(320, 180);
      await page.keyboard.press('KeyA');
      await settle();

      expect(messages.filter((message) => message.type !== 'ping' && message.type !== 'client-stats')).toEqual([]);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sends relative motion when locked',
    async () => {
      const { context, page, messages } = await mount('', { attributes: { 'pointer-lock': '' } });

      await page.mouse.click(320, 180);
      await page.waitForFunction(() => document.pointerLockElement?.localName === 'deskvm-player', undefined, { timeout: 5000 });
      const absoluteMoves = ofType(messages, 'pointer-move').length;
      await page.mouse.move(330, 175);
      await page.mouse.move(300, 185);
      await settle();

      const relative = ofType(messages, 'pointer-relative');
      expect(relative.reduce((sum, message) => sum + message.dx, 0)).toBe(-20);
      expect(relative.reduce((sum, message) => sum + message.dy, 0)).toBe(5);
      expect(ofType(messages, 'pointer-move')).toHaveLength(absoluteMoves);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );
});
