import { StreamError, formatByte } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import type {
  ClientClipboard,
  ClientHello,
  ClientStats,
  Key,
  KeyframeRequest,
  Ping,
  PointerButton,
  PointerMove,
  PointerRelative,
  ResizeRequest,
  Touch,
  Wheel,
} from './client-messages.js';
import { checkMaxLength, checkMinimum, isClientIdCharacter, isKeyCodeCharacter } from './fields.js';
import { MAX_CLIENT_ID_LENGTH, MAX_KEY_BYTES, MAX_KEY_CODE_LENGTH, UNKNOWN_U32 } from './messages.js';
import { decodeClipboardText, readAscii } from './server-decode.js';

export function decodeClientHello(bytes: Uint8Array): ClientHello {
  const reader = new ByteReader(bytes, 'client hello');
  const length = reader.u8('clientId length');

  checkMinimum('client hello', 'clientId length', length, 1);
  checkMaxLength('client hello', 'clientId', length, MAX_CLIENT_ID_LENGTH);

  const clientId = readAscii(reader, 'client hello', 'clientId', length, isClientIdCharacter);

  reader.end();
  return { type: 'client-hello', clientId };
}

export function decodeKeyframeRequest(bytes: Uint8Array): KeyframeRequest {
  new ByteReader(bytes, 'keyframe request').end();
  return { type: 'keyframe-request' };
}

export function decodePing(bytes: Uint8Array): Ping {
  const reader = new ByteReader(bytes, 'ping');
  const ping: Ping = { type: 'ping', id: reader.u32('id'), clientTimeUs: reader.u64('clientTimeUs') };

  reader.end();
  return ping;
}

export function decodePointerMove(bytes: Uint8Array): PointerMove {
  const reader = new ByteReader(bytes, 'pointer move');
  const move: PointerMove = { type: 'pointer-move', x: reader.u16('x'), y: reader.u16('y') };

  reader.end();
  return move;
}

export function decodePointerRelative(bytes: Uint8Array): PointerRelative {
  const reader = new ByteReader(bytes, 'relative pointer motion');
  const motion: PointerRelative = { type: 'pointer-relative', dx: reader.i16('dx'), dy: reader.i16('dy') };

  reader.end();
  return motion;
}

export function decodePointerButton(bytes: Uint8Array): PointerButton {
  const reader = new ByteReader(bytes, 'pointer button');
  const button = reader.u8('button');
  const pressed = reader.u8('pressed');

  reader.end();
  checkRange('pointer button', 'button', button, 4);
  checkRange('pointer button', 'pressed', pressed, 1);
  return { type: 'pointer-button', button, pressed: pressed === 1 };
}

export function decodeWheel(bytes: Uint8Array): Wheel {
  const reader = new ByteReader(bytes, 'wheel');
  const wheel: Wheel = { type: 'wheel', deltaX: reader.i16('deltaX'), deltaY: reader.i16('deltaY') };

  reader.end();
  return wheel;
}

export function decodeKey(bytes: Uint8Array): Key {
  const reader = new ByteReader(bytes, 'key');
  const flags = reader.u8('flags');
  const modifiers = reader.u8('modifiers');

  if ((flags & ~0x03) !== 0) {
    throw new StreamError(
      'STREAM_ERR_INVALID_FIELD',
      `Invalid key flags ${formatByte(flags)}: only bit 0 (pressed) and bit 1 (repeat) are defined.`,
    );
  }

  checkRange('key', 'modifiers', modifiers, 0x7f);

  const codeLength = reader.u8('code length');

  checkMaxLength('key', 'code', codeLength, MAX_KEY_CODE_LENGTH);

  const code = readAscii(reader, 'key', 'code', codeLength, isKeyCodeCharacter);
  const keyLength = reader.u8('key length');

  checkMaxLength('key', 'key', keyLength, MAX_KEY_BYTES);

  const key = reader.utf8('key', keyLength);

  reader.end();
  return { type: 'key', pressed: (flags & 0x01) !== 0, repeat: (flags & 0x02) !== 0, modifiers, code, key };
}

export function decodeTouch(bytes: Uint8Array): Touch {
  const reader = new ByteReader(bytes, 'touch');
  const touch: Touch = { type: 'touch', phase: reader.u8('phase'), id: reader.u8('id'), x: reader.u16('x'), y: reader.u16('y') };

  reader.end();
  checkRange('touch', 'phase', touch.phase, 3);
  return touch;
}

export function decodeClientClipboard(bytes: Uint8Array): ClientClipboard {
  return { type: 'client-clipboard', text: decodeClipboardText(bytes, 'client clipboard message') };
}

export function decodeResizeRequest(bytes: Uint8Array): ResizeRequest {
  const reader = new ByteReader(bytes, 'resize request');
  const request: ResizeRequest = { type: 'resize-request', width: reader.u16('width'), height: reader.u16('height') };

  reader.end();
  checkMinimum('resize request', 'width', request.width, 1);
  checkMinimum('resize request', 'height', request.height, 1);
  return request;
}

export function decodeClientStats(bytes: Uint8Array): ClientStats {
  const reader = new ByteReader(bytes, 'client stats message');
  const decodePath = reader.u8('decodePath');
  const decodedFrames = reader.u32('decodedFrames');
  const droppedFrames = reader.u32('droppedFrames');
  const latency = reader.u32('latencyUs');

  reader.end();
  checkRange('client stats message', 'decodePath', decodePath, 2);
  return {
    type: 'client-stats',
    decodePath,
    decodedFrames,
    droppedFrames,
    latencyUs: latency === UNKNOWN_U32 ? undefined : latency,
  };
}

function checkRange(message: string, field: string, value: number, max: number): void {
  if (value > max) {
    throw new StreamError('STREAM_ERR_INVALID_FIELD', `Invalid ${message} ${field} ${value}: it must be from 0 to ${max}.`);
  }
}
