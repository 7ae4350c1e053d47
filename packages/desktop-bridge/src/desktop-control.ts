/** A key event in the DOM's terms, as the Key message carries it. */
export interface KeyInput {
  /** The DOM `KeyboardEvent.code`, the physical key, such as `KeyA`; may be empty. */
  readonly code: string;
  /** The DOM `KeyboardEvent.key`, the produced value, such as `a` or `Enter`. */
  readonly key: string;
  readonly pressed: boolean;
  /** `Modifier` bits of the event. */
  readonly modifiers: number;
}

/**
 * Receives each clipboard change made on the desktop: the new text, or the error that kept the desktop from reading
 * it, such as text over its size limit.
 */
export type ClipboardListener = (change: string | Error) => void;

/**
 * What the bridge does to the desktop on behalf of viewers: input injection, clipboard and resize. Each method may be
 * absent when the desktop cannot do it, and the hello's capability bits report which are present. Coordinates are desktop pixels.
 */
export interface DesktopControl {
  /** Moves the pointer to an absolute position. */
  pointerMove?(x: number, y: number): Promise<void>;
  /** Moves the pointer by an offset. */
  pointerRelative?(dx: number, dy: number): Promise<void>;
  /** Presses or releases a button, numbered as DOM `MouseEvent.button` (0 main, 1 middle, 2 secondary, 3, 4). */
  pointerButton?(button: number, pressed: boolean): Promise<void>;
  /** Scrolls by whole notches; positive is right and down. */
  wheel?(notchesX: number, notchesY: number): Promise<void>;
  /** Presses or releases a key. */
  key?(input: KeyInput): Promise<void>;
  /** Puts text on the desktop's clipboard. */
  setClipboard?(text: string): Promise<void>;
  /** Registers the listener for clipboard changes made on the desktop; returns a function that removes it. */
  watchClipboard?(listener: ClipboardListener): () => void;
  /** Changes the desktop size, in pixels; resolves once the desktop has the new size. */
  resize?(width: number, height: number): Promise<void>;
  /** The desktop size in pixels now. */
  size?(): { width: number; height: number };
  /**
   * The largest size `resize` can set, in pixels, such as the size Xvfb started with. Resize requests past it are
   * rejected with a message that names it. Without it, only the encoder's limit is checked before `resize` runs.
   */
  maxSize?(): { width: number; height: number };
  /** Releases the connection to the desktop. */
  close?(): Promise<void>;
}
