import { MAX_KEY_BYTES, MAX_KEY_CODE_LENGTH, Modifier, type Key, type Wheel } from '@deskvm/stream-protocol';

/** Wheel units per notch, as in the USB HID and Windows convention that the protocol uses. */
export const WHEEL_UNITS_PER_NOTCH = 120;

/**
 * CSS pixels of `WheelEvent.deltaY` per notch in `DOM_DELTA_PIXEL` mode. An estimate: Chromium 156 on Linux reports
 * 100 per notch at zoom 100% with default settings, and other browsers and platforms differ.
 */
export const PIXELS_PER_NOTCH = 100;

/** Lines per notch in `DOM_DELTA_LINE` mode (Firefox's default of 3 lines per notch). */
export const LINES_PER_NOTCH = 3;

const MODIFIER_KEYS: readonly [string, number][] = [
  ['Shift', Modifier.Shift],
  ['Control', Modifier.Control],
  ['Alt', Modifier.Alt],
  ['Meta', Modifier.Meta],
  ['CapsLock', Modifier.CapsLock],
  ['NumLock', Modifier.NumLock],
  ['AltGraph', Modifier.AltGraph],
];

/** The `KeyboardEvent` fields that `keyMessage` reads. */
export type KeyboardEventFields = Pick<KeyboardEvent, 'type' | 'code' | 'key' | 'repeat' | 'getModifierState'>;

/**
 * Builds the Key message of a keydown or keyup event. A `key` longer than the protocol allows (only possible with
 * unusual input methods) is replaced by an empty string, so the server falls back to the physical `code`.
 */
export function keyMessage(event: KeyboardEventFields): Key {
  let modifiers = 0;
  for (const [name, bit] of MODIFIER_KEYS) {
    if (event.getModifierState(name)) {
      modifiers |= bit;
    }
  }

  const keyFits = new TextEncoder().encode(event.key).length <= MAX_KEY_BYTES;
  return {
    type: 'key',
    pressed: event.type === 'keydown',
    repeat: event.repeat,
    modifiers,
    code: event.code.slice(0, MAX_KEY_CODE_LENGTH),
    key: keyFits ? event.key : '',
  };
}

/**
 * Converts wheel deltas to protocol units (1/120 notch) and keeps the fraction that does not fit in a whole unit
 * for the next event, so slow trackpad scrolling adds up instead of rounding to zero.
 */
export class WheelAccumulator {
  private remainderX = 0;
  private remainderY = 0;

  /** Returns the Wheel message for an event, or undefined while the accumulated movement is under one unit. */
  add(event: Pick<WheelEvent, 'deltaX' | 'deltaY' | 'deltaMode'>): Wheel | undefined {
    const unitsPerDelta = wheelUnitsPerDelta(event.deltaMode);
    const x = this.remainderX + event.deltaX * unitsPerDelta;
    const y = this.remainderY + event.deltaY * unitsPerDelta;
    const deltaX = clampInt16(Math.trunc(x));
    const deltaY = clampInt16(Math.trunc(y));
    this.remainderX = x - Math.trunc(x);
    this.remainderY = y - Math.trunc(y);

    if (deltaX === 0 && deltaY === 0) {
      return undefined;
    }

    return { type: 'wheel', deltaX, deltaY };
  }
}

function wheelUnitsPerDelta(deltaMode: number): number {
  // 0 is DOM_DELTA_PIXEL, 1 DOM_DELTA_LINE, 2 DOM_DELTA_PAGE (one page taken as one notch).
  if (deltaMode === 1) {
    return WHEEL_UNITS_PER_NOTCH / LINES_PER_NOTCH;
  }
  if (deltaMode === 2) {
    return WHEEL_UNITS_PER_NOTCH;
  }
  return WHEEL_UNITS_PER_NOTCH / PIXELS_PER_NOTCH;
}

function clampInt16(value: number): number {
  return Math.min(Math.max(value, -32768), 32767);
}
