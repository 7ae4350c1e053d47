import type { XTestExtension } from 'x11';

import type { KeyInput } from '../desktop-control.js';
import { BridgeError } from '../errors.js';
import { keysymFor } from './keysyms.js';
import { request, type X11Connection } from './x11-connection.js';

/** X11 button numbers of DOM `MouseEvent.button` 0 to 4: main, middle, secondary, back, forward. */
const X11_BUTTONS = [1, 2, 3, 8, 9] as const;

/** X11 buttons that scroll: 4 up, 5 down, 6 left, 7 right. */
const SCROLL_UP = 4;
const SCROLL_DOWN = 5;
const SCROLL_LEFT = 6;
const SCROLL_RIGHT = 7;

const SHIFT_L_KEYSYM = 0xffe1;

/** The position of a keysym in the keyboard map: its keycode, and whether Shift selects it (column 1). */
interface KeyPosition {
  readonly keycode: number;
  readonly shifted: boolean;
}

/**
 * Injects pointer and keyboard input through the XTEST extension over one long-lived X11 connection. Keys are found
 * by keysym in the server's keyboard map. A keysym that the map lacks, such as most non-Latin characters, is bound to
 * a spare keycode first, as xdotool does.
 */
export class X11Input {
  readonly #connection: X11Connection;
  readonly #xtest: XTestExtension;
  readonly #positions = new Map<number, KeyPosition>();
  /** Keycodes pressed per DOM code, so a release hits the keycode of its press even when `key` changed in between. */
  readonly #pressed = new Map<string, number>();
  readonly #spareKeycode: number | undefined;
  #pointer = { x: 0, y: 0 };

  private constructor(connection: X11Connection, xtest: XTestExtension, keymap: number[][]) {
    this.#connection = connection;
    this.#xtest = xtest;

    let spare: number | undefined;

    keymap.forEach((keysyms, index) => {
      const keycode = connection.display.min_keycode + index;

      keysyms.slice(0, 2).forEach((keysym, column) => {
        if (keysym !== 0 && !this.#positions.has(keysym)) {
          this.#positions.set(keysym, { keycode, shifted: column === 1 });
        }
      });

      if (keysyms.every((keysym) => keysym === 0)) {
        spare = keycode;
      }
    });

    this.#spareKeycode = spare;
  }

  /** Loads XTEST and the keyboard map. */
  static async create(connection: X11Connection): Promise<X11Input> {
    const { client, display } = connection;
    const xtest = await request<XTestExtension>((callback) => client.require('xtest', callback)).catch((error: unknown) => {
      throw new BridgeError('BRIDGE_ERR_DESKTOP_FAILED', 'The X server has no XTEST extension, so input cannot be injected.', {
        cause: error,
      });
    });
    const count = display.max_keycode - display.min_keycode + 1;
    const keymap = await request<number[][]>((callback) => client.GetKeyboardMapping(display.min_keycode, count, callback));

    return new X11Input(connection, xtest, keymap);
  }

  async pointerMove(x: number, y: number): Promise<void> {
    this.#pointer = { x, y };
    this.#xtest.FakeInput(this.#xtest.MotionNotify, 0, 0, this.#connection.root, x, y);
    await this.#connection.client.sync();
  }

  async pointerRelative(dx: number, dy: number): Promise<void> {
    // detail 1 makes XTEST move relative to the current position.
    this.#xtest.FakeInput(this.#xtest.MotionNotify, 1, 0, 0, dx, dy);
    await this.#connection.client.sync();
  }

  async pointerButton(button: number, pressed: boolean): Promise<void> {
    const x11Button = X11_BUTTONS[button];

    if (x11Button === undefined) {
      throw new BridgeError('BRIDGE_ERR_DESKTOP_FAILED', `Unknown pointer button ${button}: use 0 to 4.`);
    }

    this.#xtest.FakeInput(pressed ? this.#xtest.ButtonPress : this.#xtest.ButtonRelease, x11Button, 0, 0, 0, 0);
    await this.#connection.client.sync();
  }

  async wheel(notchesX: number, notchesY: number): Promise<void> {
    const clicks = [
      ...Array<number>(Math.abs(notchesY)).fill(notchesY < 0 ? SCROLL_UP : SCROLL_DOWN),
      ...Array<number>(Math.abs(notchesX)).fill(notchesX < 0 ? SCROLL_LEFT : SCROLL_RIGHT),
    ];

    for (const button of clicks) {
      this.#xtest.FakeInput(this.#xtest.ButtonPress, button, 0, 0, 0, 0);
      this.#xtest.FakeInput(this.#xtest.ButtonRelease, button, 0, 0, 0, 0);
    }

    await this.#connection.client.sync();
  }

  async key(input: KeyInput): Promise<void> {
    const pressedKey = input.code === '' ? `key:${input.key}` : input.code;

    if (!input.pressed) {
      const keycode = this.#pressed.get(pressedKey);

      if (keycode !== undefined) {
        this.#pressed.delete(pressedKey);
        this.#xtest.FakeInput(this.#xtest.KeyRelease, keycode, 0, 0, 0, 0);
        await this.#connection.client.sync();
      }

      return;
    }

    const keysym = keysymFor(input.key, input.code);

    if (keysym === undefined) {
      const code = input.code === '' ? 'no code' : `code ${input.code}`;

      throw new BridgeError(
        'BRIDGE_ERR_DESKTOP_FAILED',
        `Unknown key ${JSON.stringify(input.key)} (${code}): it has no X keysym. Send a DOM KeyboardEvent.key value.`,
      );
    }

    const position = this.#positions.get(keysym) ?? (await this.#bindSpare(keysym));
    const shiftHeld = (input.modifiers & 0x01) !== 0;
    const addShift = position.shifted && !shiftHeld;
    const shiftKeycode = this.#positions.get(SHIFT_L_KEYSYM)?.keycode;

    if (addShift && shiftKeycode !== undefined) {
      this.#xtest.FakeInput(this.#xtest.KeyPress, shiftKeycode, 0, 0, 0, 0);
    }

    this.#xtest.FakeInput(this.#xtest.KeyPress, position.keycode, 0, 0, 0, 0);
    this.#pressed.set(pressedKey, position.keycode);

    if (addShift && shiftKeycode !== undefined) {
      this.#xtest.FakeInput(this.#xtest.KeyRelease, shiftKeycode, 0, 0, 0, 0);
    }

    await this.#connection.client.sync();
  }

  /** The last absolute pointer position this connection set. */
  get pointer(): { x: number; y: number } {
    return this.#pointer;
  }

  /** Releases every key still pressed, so none stays stuck after the bridge stops. */
  async releaseAll(): Promise<void> {
    for (const keycode of this.#pressed.values()) {
      this.#xtest.FakeInput(this.#xtest.KeyRelease, keycode, 0, 0, 0, 0);
    }

    this.#pressed.clear();
    await this.#connection.client.sync();
  }

  /**
   * Binds `keysym` to the spare keycode. The binding is replaced by the next unmapped keysym, so only one such key can
   * be held at a time.
   */
  async #bindSpare(keysym: number): Promise<KeyPosition> {
    if (this.#spareKeycode === undefined) {
      throw new BridgeError(
        'BRIDGE_ERR_DESKTOP_FAILED',
        `The keyboard map has no key for keysym 0x${keysym.toString(16)} and no spare keycode to bind it to.`,
      );
    }

    for (const [mapped, position] of this.#positions) {
      if (position.keycode === this.#spareKeycode) {
        this.#positions.delete(mapped);
      }
    }

    this.#connection.client.ChangeKeyboardMapping(this.#spareKeycode, 2, [keysym, keysym]);
    await this.#connection.client.sync();

    const position = { keycode: this.#spareKeycode, shifted: false };

    this.#positions.set(keysym, position);
    return position;
  }
}
