import type { ClipboardListener, DesktopControl, KeyInput } from '../../src/desktop-control.js';

/** A call the bridge made on the desktop. */
export type DesktopCall =
  | { kind: 'pointer-move'; x: number; y: number }
  | { kind: 'pointer-relative'; dx: number; dy: number }
  | { kind: 'pointer-button'; button: number; pressed: boolean }
  | { kind: 'wheel'; notchesX: number; notchesY: number }
  | { kind: 'key'; input: KeyInput }
  | { kind: 'clipboard'; text: string }
  | { kind: 'resize'; width: number; height: number };

/**
 * A desktop that records what the bridge requests, for tests of the message handling. Tests of the real X11
 * desktop are in x11-desktop.spec.ts.
 */
export class RecordingDesktop implements DesktopControl {
  readonly calls: DesktopCall[] = [];
  width = 320;
  height = 240;
  #clipboardListener: ClipboardListener | undefined;

  async pointerMove(x: number, y: number): Promise<void> {
    this.calls.push({ kind: 'pointer-move', x, y });
  }

  async pointerRelative(dx: number, dy: number): Promise<void> {
    this.calls.push({ kind: 'pointer-relative', dx, dy });
  }

  async pointerButton(button: number, pressed: boolean): Promise<void> {
    this.calls.push({ kind: 'pointer-button', button, pressed });
  }

  async wheel(notchesX: number, notchesY: number): Promise<void> {
    this.calls.push({ kind: 'wheel', notchesX, notchesY });
  }

  async key(input: KeyInput): Promise<void> {
    this.calls.push({ kind: 'key', input });
  }

  async setClipboard(text: string): Promise<void> {
    this.calls.push({ kind: 'clipboard', text });
  }

  watchClipboard(listener: ClipboardListener): () => void {
    this.#clipboardListener = listener;
    return () => {
      this.#clipboardListener = undefined;
    };
  }

  async resize(width: number, height: number): Promise<void> {
    this.calls.push({ kind: 'resize', width, height });
    this.width = width;
    this.height = height;
  }

  size(): { width: number; height: number } {
    return { width: this.width, height: this.height };
  }

  /** Acts as a desktop program that copied text. */
  copyOnDesktop(text: string): void {
    this.#clipboardListener?.(text);
  }

  /** Acts as a desktop whose clipboard changed to something it could not read. */
  failClipboardRead(error: Error): void {
    this.#clipboardListener?.(error);
  }
}

/** Resolves once `predicate` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;

  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    }

    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
