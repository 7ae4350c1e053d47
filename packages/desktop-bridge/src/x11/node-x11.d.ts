// Types for the parts of the `x11` npm package (a pure JavaScript X11 protocol client, version 4) that the bridge
// uses. The package ships no type declarations.
declare module 'x11' {
  import type { EventEmitter } from 'node:events';

  type Callback<T> = (error: Error | null | undefined, result: T) => void;

  export interface X11Event {
    readonly name?: string;
    readonly type: number;
    readonly [field: string]: unknown;
  }

  export interface X11Screen {
    readonly root: number;
    readonly pixel_width: number;
    readonly pixel_height: number;
  }

  export interface X11Display {
    readonly screen: readonly X11Screen[];
    readonly min_keycode: number;
    readonly max_keycode: number;
    readonly client: X11Client;
  }

  export interface X11Property {
    readonly type: number;
    readonly format: number;
    readonly bytesAfter: number;
    readonly data: Buffer;
  }

  export interface X11Client extends EventEmitter {
    AllocID(): number;
    InternAtom(onlyIfExists: boolean, name: string, callback: Callback<number>): void;
    CreateWindow(
      id: number,
      parent: number,
      x: number,
      y: number,
      width: number,
      height: number,
      borderWidth: number,
      depth: number,
      windowClass: number,
      visual: number,
      values: Record<string, unknown>,
    ): void;
    DestroyWindow(id: number): void;
    ChangeProperty(mode: number, window: number, property: number, type: number, format: number, data: Buffer | number[]): void;
    GetProperty(
      deleteAfter: number,
      window: number,
      property: number,
      type: number,
      longOffset: number,
      longLength: number,
      callback: Callback<X11Property>,
    ): void;
    SetSelectionOwner(owner: number, selection: number, time?: number): void;
    GetSelectionOwner(selection: number, callback: Callback<number>): void;
    ConvertSelection(requestor: number, selection: number, target: number, property: number, time?: number): void;
    SendEvent(destination: number, propagate: boolean, eventMask: number, event: Record<string, unknown>): void;
    GetKeyboardMapping(firstKeycode: number, count: number, callback: Callback<number[][]>): void;
    ChangeKeyboardMapping(firstKeycode: number, keysymsPerKeycode: number, keysyms: number[]): void;
    GetGeometry(drawable: number, callback: Callback<{ width: number; height: number }>): void;
    require(extension: 'xtest', callback: Callback<XTestExtension>): void;
    require(extension: 'fixes', callback: Callback<XFixesExtension>): void;
    sync(): Promise<void>;
    close(callback?: (error?: Error) => void): void;
    terminate(): void;
    /** The socket to the X server. */
    readonly stream: { destroy(): void };
  }

  export interface XTestExtension {
    readonly KeyPress: number;
    readonly KeyRelease: number;
    readonly ButtonPress: number;
    readonly ButtonRelease: number;
    readonly MotionNotify: number;
    FakeInput(type: number, detail: number, time: number, window: number, x: number, y: number): void;
  }

  export interface XFixesExtension {
    readonly firstEvent: number;
    readonly SelectionEventMask: { readonly SetSelectionOwner: number };
    QueryVersion(major: number, minor: number, callback: Callback<unknown>): void;
    SelectSelectionInput(window: number, selection: number, eventMask: number): void;
  }

  export interface CreateClientOptions {
    display?: string;
    auth?: { name: string; data: string };
  }

  export function createClient(options: CreateClientOptions, callback: Callback<X11Display>): X11Client;
}
