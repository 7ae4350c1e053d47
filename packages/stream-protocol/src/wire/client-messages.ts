/**
 * Optional first message of a client: a stable id for this player. When a second connection presents the same id,
 * the server closes the older one with `CloseCode.Superseded`.
 */
export interface ClientHello {
  type: 'client-hello';
  /** 1 to `MAX_CLIENT_ID_LENGTH` characters, each a letter, a digit, '.', '_' or '-'. */
  clientId: string;
}

/** Asks the server for a keyframe, for example after a decode error. */
export interface KeyframeRequest {
  type: 'keyframe-request';
}

/** Asks the server for a `Pong`, to measure the round trip and read the server time. */
export interface Ping {
  type: 'ping';
  /** Any u32 the client picks; the pong echoes it. */
  id: number;
  /** Client time when the ping was sent, in microseconds on any clock of the client's; the pong echoes it. */
  clientTimeUs: bigint;
}

/** Moves the pointer to an absolute position. */
export interface PointerMove {
  type: 'pointer-move';
  /** Column in stream pixels (the configuration's display size), 0 to 65535. */
  x: number;
  /** Row in stream pixels, 0 to 65535. */
  y: number;
}

/** Moves the pointer by an offset, for pointer-locked input. */
export interface PointerRelative {
  type: 'pointer-relative';
  /** Horizontal movement in pixels, -32768 to 32767; positive is right. */
  dx: number;
  /** Vertical movement in pixels, -32768 to 32767; positive is down. */
  dy: number;
}

/** Presses or releases a pointer button. */
export interface PointerButton {
  type: 'pointer-button';
  /** The DOM `MouseEvent.button` number: 0 main, 1 auxiliary (middle), 2 secondary, 3 back, 4 forward. */
  button: number;
  /** True for a press, false for a release. */
  pressed: boolean;
}

/** Scrolls. One notch of a wheel is 120 units, as in the USB HID and Windows convention. */
export interface Wheel {
  type: 'wheel';
  /** Horizontal scroll, -32768 to 32767 in 1/120 notch; positive scrolls right. */
  deltaX: number;
  /** Vertical scroll, -32768 to 32767 in 1/120 notch; positive scrolls down. */
  deltaY: number;
}

/** Bits of `Key.modifiers`, from the DOM `KeyboardEvent` state at the time of the event. */
export const Modifier = {
  Shift: 0x01,
  Control: 0x02,
  Alt: 0x04,
  Meta: 0x08,
  CapsLock: 0x10,
  NumLock: 0x20,
  AltGraph: 0x40,
} as const;

/** Presses or releases a key. */
export interface Key {
  type: 'key';
  /** True for keydown, false for keyup. */
  pressed: boolean;
  /** True for a keydown that the browser repeats while the key is held. */
  repeat: boolean;
  /** `Modifier` bits. */
  modifiers: number;
  /** The DOM `KeyboardEvent.code`, the physical key, such as `KeyA`; 0 to `MAX_KEY_CODE_LENGTH` ASCII characters. */
  code: string;
  /** The DOM `KeyboardEvent.key`, the produced value, such as `a` or `Enter`; at most `MAX_KEY_BYTES` in UTF-8. */
  key: string;
}

/** The phase of a `Touch` message, as in the DOM touch events. */
export const TouchPhase = {
  Start: 0,
  Move: 1,
  End: 2,
  Cancel: 3,
} as const;

/** One touch point changed. */
export interface Touch {
  type: 'touch';
  /** A `TouchPhase` value. */
  phase: number;
  /** The touch point, 0 to 255; the client maps DOM touch identifiers onto small numbers. */
  id: number;
  /** Column in stream pixels, 0 to 65535. */
  x: number;
  /** Row in stream pixels, 0 to 65535. */
  y: number;
}

/** The client's clipboard text, to be put on the desktop's clipboard. */
export interface ClientClipboard {
  type: 'client-clipboard';
  /** Clipboard text, at most `MAX_CLIPBOARD_BYTES` in UTF-8. */
  text: string;
}

/** Asks the server to change the desktop size. The server replies with a new `Configuration` or an error. */
export interface ResizeRequest {
  type: 'resize-request';
  /** Desktop width in pixels, 1 to 65535. */
  width: number;
  /** Desktop height in pixels, 1 to 65535. */
  height: number;
}

/** The decode path a client uses, in `ClientStats.decodePath`. */
export const DecodePath = {
  Unknown: 0,
  MediaSource: 1,
  WebCodecs: 2,
} as const;

/** The client's playback counters, sent about once a second so the server can log them. */
export interface ClientStats {
  type: 'client-stats';
  /** A `DecodePath` value. */
  decodePath: number;
  /** Frames shown since the connection opened, u32. */
  decodedFrames: number;
  /** Frames dropped by the client since the connection opened, u32. */
  droppedFrames: number;
  /** Latency from the video timestamp to display, in microseconds; undefined when unknown. */
  latencyUs: number | undefined;
}

/** Any message from client to server. */
export type ClientMessage =
  | ClientHello
  | KeyframeRequest
  | Ping
  | PointerMove
  | PointerRelative
  | PointerButton
  | Wheel
  | Key
  | Touch
  | ClientClipboard
  | ResizeRequest
  | ClientStats;
