import { TouchPhase, type ClientMessage } from '@deskvm/stream-protocol';

import { keyMessage, WheelAccumulator } from './input-encoding.js';
import { toStreamPoint } from './stream-coordinates.js';

/** Options of `InputCapture`. */
export interface InputCaptureOptions {
  /** The element that receives the DOM events; it gets `tabindex="0"` so it can take keyboard focus. */
  element: HTMLElement;
  /** The element the picture is drawn in with `object-fit: contain`, for pointer coordinates. Default: `element`. */
  surface?: HTMLElement;
  /** Sends an input message to the server. */
  send: (message: ClientMessage) => void;
  /** Returns the stream's display size, or undefined before the first configuration. */
  streamSize: () => { width: number; height: number } | undefined;
  /** Locks the pointer on click and sends relative motion while locked. Default false. */
  pointerLock?: boolean;
}

// Shortcuts that must keep their browser default, because the paste event that carries the clipboard follows from it.
const CLIPBOARD_SHORTCUT_KEYS = new Set(['c', 'v', 'x', 'C', 'V', 'X']);

// How long the keydown of a paste shortcut waits for the paste event, in ms. The clipboard text goes to the desktop
// first, so the desktop pastes the new text rather than its old clipboard.
const PASTE_WAIT_MS = 100;

/**
 * Captures keyboard (while the element has focus), pointer, wheel and touch events on an element and sends them as
 * stream input messages. Pointer positions are absolute stream pixels with the letterbox bars left out, or relative
 * motion while the pointer is locked.
 */
export class InputCapture {
  private readonly surface: HTMLElement;
  private readonly wheel = new WheelAccumulator();
  private readonly touchIds = new Map<number, number>();
  private readonly removers: (() => void)[] = [];
  private pendingPasteKey: ClientMessage | undefined;
  private pasteTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: InputCaptureOptions) {
    const { element } = options;
    this.surface = options.surface ?? element;
    if (!element.hasAttribute('tabindex')) {
      element.tabIndex = 0;
    }

    this.listen('keydown', (event) => this.handleKey(event as KeyboardEvent));
    this.listen('keyup', (event) => this.handleKey(event as KeyboardEvent));
    this.listen('pointermove', (event) => this.handlePointerMove(event as PointerEvent));
    this.listen('pointerdown', (event) => this.handlePointerButton(event as PointerEvent, true));
    this.listen('pointerup', (event) => this.handlePointerButton(event as PointerEvent, false));
    this.listen('pointercancel', (event) => this.handlePointerCancel(event as PointerEvent));
    this.listen('wheel', (event) => this.handleWheel(event as WheelEvent));
    this.listen('contextmenu', (event) => event.preventDefault());
    // Registered after the clipboard listener of the element, so the clipboard text goes out before the key.
    this.listen('paste', () => this.flushPasteKey());
  }

  /** Removes every listener. */
  destroy(): void {
    clearTimeout(this.pasteTimer);
    for (const remove of this.removers.splice(0)) {
      remove();
    }
  }

  private listen(type: string, listener: (event: Event) => void): void {
    const { element } = this.options;
    element.addEventListener(type, listener, { passive: false });
    this.removers.push(() => element.removeEventListener(type, listener));
  }

  private handleKey(event: KeyboardEvent): void {
    if (event.isComposing) {
      return;
    }

    const shortcut = (event.ctrlKey || event.metaKey) && CLIPBOARD_SHORTCUT_KEYS.has(event.key);
    if (!shortcut) {
      event.preventDefault();
    }

    const message = keyMessage(event);
    if (shortcut && message.pressed && (event.key === 'v' || event.key === 'V')) {
      this.flushPasteKey();
      this.pendingPasteKey = message;
      this.pasteTimer = setTimeout(() => this.flushPasteKey(), PASTE_WAIT_MS);
      return;
    }

    this.flushPasteKey();
    this.options.send(message);
  }

  private flushPasteKey(): void {
    clearTimeout(this.pasteTimer);
    const message = this.pendingPasteKey;
    this.pendingPasteKey = undefined;
    if (message !== undefined) {
      this.options.send(message);
    }
  }

  private handlePointerMove(event: PointerEvent): void {
    if (event.pointerType === 'touch') {
      this.sendTouch(event, TouchPhase.Move);
      return;
    }

    if (this.isPointerLocked()) {
      const dx = Math.round(event.movementX);
      const dy = Math.round(event.movementY);
      if (dx !== 0 || dy !== 0) {
        this.options.send({ type: 'pointer-relative', dx: clampInt16(dx), dy: clampInt16(dy) });
      }
      return;
    }

    const point = this.streamPoint(event);
    if (point !== undefined) {
      this.options.send({ type: 'pointer-move', ...point });
    }
  }

  private handlePointerButton(event: PointerEvent, pressed: boolean): void {
    event.preventDefault();
    if (pressed) {
      this.options.element.focus({ preventScroll: true });
      this.options.element.setPointerCapture(event.pointerId);
    }

    if (event.pointerType === 'touch') {
      this.sendTouch(event, pressed ? TouchPhase.Start : TouchPhase.End);
      return;
    }

    if (pressed && this.options.pointerLock === true && !this.isPointerLocked()) {
      void this.options.element.requestPointerLock?.();
    }

    // The button goes after a move to where it happened, so a click lands there even without an earlier move.
    this.handlePointerMove(event);
    this.options.send({ type: 'pointer-button', button: event.button, pressed });
  }

  private handlePointerCancel(event: PointerEvent): void {
    if (event.pointerType === 'touch') {
      this.sendTouch(event, TouchPhase.Cancel);
    }
  }

  private handleWheel(event: WheelEvent): void {
    event.preventDefault();
    const message = this.wheel.add(event);
    if (message !== undefined) {
      this.options.send(message);
    }
  }

  private sendTouch(event: PointerEvent, phase: number): void {
    const point = this.streamPoint(event);
    const id = this.touchId(event.pointerId, phase);
    if (point === undefined || id === undefined) {
      return;
    }
    this.options.send({ type: 'touch', phase, id, ...point });
  }

  // Maps DOM pointer ids, which can be large, onto the smallest free number from 0 to 255.
  private touchId(pointerId: number, phase: number): number | undefined {
    let id = this.touchIds.get(pointerId);
    if (id === undefined && phase === TouchPhase.Start) {
      const used = new Set(this.touchIds.values());
      id = [...Array(256).keys()].find((candidate) => !used.has(candidate));
      if (id !== undefined) {
        this.touchIds.set(pointerId, id);
      }
    }
    if (phase === TouchPhase.End || phase === TouchPhase.Cancel) {
      this.touchIds.delete(pointerId);
    }
    return id;
  }

  private streamPoint(event: PointerEvent): { x: number; y: number } | undefined {
    const size = this.options.streamSize();
    if (size === undefined) {
      return undefined;
    }
    return toStreamPoint(event.clientX, event.clientY, this.surface.getBoundingClientRect(), size.width, size.height);
  }

  private isPointerLocked(): boolean {
    const root = this.options.element.getRootNode() as Document | ShadowRoot;
    const locked = 'pointerLockElement' in root ? root.pointerLockElement : null;
    return locked === this.options.element || document.pointerLockElement === this.options.element;
  }
}

function clampInt16(value: number): number {
  return Math.min(Math.max(value, -32768), 32767);
}
