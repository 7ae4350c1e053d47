/** X11 keysyms of the DOM `KeyboardEvent.key` names that are not characters (X11 keysymdef.h). */
const NAMED_KEYSYMS: Readonly<Record<string, number>> = {
  Backspace: 0xff08,
  Tab: 0xff09,
  Enter: 0xff0d,
  Pause: 0xff13,
  ScrollLock: 0xff14,
  Escape: 0xff1b,
  Home: 0xff50,
  ArrowLeft: 0xff51,
  ArrowUp: 0xff52,
  ArrowRight: 0xff53,
  ArrowDown: 0xff54,
  PageUp: 0xff55,
  PageDown: 0xff56,
  End: 0xff57,
  PrintScreen: 0xff61,
  Insert: 0xff63,
  ContextMenu: 0xff67,
  NumLock: 0xff7f,
  Shift: 0xffe1,
  Control: 0xffe3,
  CapsLock: 0xffe5,
  Meta: 0xffeb,
  Alt: 0xffe9,
  AltGraph: 0xfe03,
  Delete: 0xffff,
};

/** Keysyms of right-hand modifiers, chosen by the DOM `code` because `key` names both sides alike. */
const RIGHT_MODIFIER_KEYSYMS: Readonly<Record<string, number>> = {
  ShiftRight: 0xffe2,
  ControlRight: 0xffe4,
  AltRight: 0xffea,
  MetaRight: 0xffec,
};

/** Unshifted characters of the DOM `code` values of a US keyboard, for keys whose `key` is `Dead` or `Unidentified`. */
const CODE_CHARACTERS: Readonly<Record<string, string>> = {
  Space: ' ',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Semicolon: ';',
  Quote: "'",
  Backquote: '`',
  Comma: ',',
  Period: '.',
  Slash: '/',
};

/** Returns the keysym of a Unicode character: Latin-1 code points are their own keysym, others are 0x01000000 plus the code point. */
export function characterKeysym(character: string): number {
  const codePoint = character.codePointAt(0) as number;

  return codePoint <= 0xff ? codePoint : 0x0100_0000 + codePoint;
}

/**
 * Returns the keysym for a DOM key event: from `key` when it is a character or a known name, else from the physical
 * `code` as on a US layout. Returns undefined when neither names a key that X11 defines.
 */
export function keysymFor(key: string, code: string): number | undefined {
  const right = RIGHT_MODIFIER_KEYSYMS[code];

  if (right !== undefined) {
    return right;
  }

  if ([...key].length === 1) {
    return characterKeysym(key);
  }

  const named = NAMED_KEYSYMS[key] ?? functionKeysym(key);

  if (named !== undefined) {
    return named;
  }

  return codeKeysym(code);
}

/** F1 to F35 are consecutive keysyms from 0xffbe. */
function functionKeysym(key: string): number | undefined {
  const match = /^F([1-9]|[12]\d|3[0-5])$/.exec(key);

  return match === null ? undefined : 0xffbe + Number(match[1]) - 1;
}

function codeKeysym(code: string): number | undefined {
  const letter = /^Key([A-Z])$/.exec(code)?.[1];
  const digit = /^Digit(\d)$/.exec(code)?.[1];
  const character = letter?.toLowerCase() ?? digit ?? CODE_CHARACTERS[code];

  return character === undefined ? NAMED_KEYSYMS[code] : characterKeysym(character);
}
