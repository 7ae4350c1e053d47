import { ByteWriter } from './byte-writer.js';
import type {
  ClientClipboard,
  ClientHello,
  ClientStats,
  Key,
  Ping,
  PointerButton,
  PointerMove,
  PointerRelative,
  ResizeRequest,
  Touch,
  Wheel,
} from './client-messages.js';
import { asciiBytes, checkInteger, checkMaxLength, checkU64, isClientIdCharacter, isKeyCodeCharacter } from './fields.js';
import { MAX_CLIENT_ID_LENGTH, MAX_KEY_BYTES, MAX_KEY_CODE_LENGTH, MessageType, UNKNOWN_U32 } from './messages.js';
import { encodeClipboard } from './server-encode.js';
import { encodeUtf8 } from './utf8.js';

const U16 = 0xffff;
const I16_MIN = -0x8000;
const I16_MAX = 0x7fff;

export function encodeClientHello(hello: ClientHello): Uint8Array {
  checkInteger('client hello', 'clientId length', hello.clientId.length, 1, MAX_CLIENT_ID_LENGTH);

  const id = asciiBytes('client hello', 'clientId', hello.clientId, isClientIdCharacter);

  return new ByteWriter(MessageType.ClientHello).u8(id.length).bytes(id).finish();
}

export function encodeKeyframeRequest(): Uint8Array {
  return new ByteWriter(MessageType.KeyframeRequest).finish();
}

export function encodePing(ping: Ping): Uint8Array {
  checkInteger('ping', 'id', ping.id, 0, UNKNOWN_U32);
  checkU64('ping', 'clientTimeUs', ping.clientTimeUs);
  return new ByteWriter(MessageType.Ping).u32(ping.id).u64(ping.clientTimeUs).finish();
}

export function encodePointerMove(move: PointerMove): Uint8Array {
  checkInteger('pointer move', 'x', move.x, 0, U16);
  checkInteger('pointer move', 'y', move.y, 0, U16);
  return new ByteWriter(MessageType.PointerMove).u16(move.x).u16(move.y).finish();
}

export function encodePointerRelative(motion: PointerRelative): Uint8Array {
  checkInteger('relative pointer motion', 'dx', motion.dx, I16_MIN, I16_MAX);
  checkInteger('relative pointer motion', 'dy', motion.dy, I16_MIN, I16_MAX);
  return new ByteWriter(MessageType.PointerRelative).i16(motion.dx).i16(motion.dy).finish();
}

export function encodePointerButton(button: PointerButton): Uint8Array {
  checkInteger('pointer button', 'button', button.button, 0, 4);
  return new ByteWriter(MessageType.PointerButton)
    .u8(button.button)
    .u8(button.pressed ? 1 : 0)
    .finish();
}

export function encodeWheel(wheel: Wheel): Uint8Array {
  checkInteger('wheel', 'deltaX', wheel.deltaX, I16_MIN, I16_MAX);
  checkInteger('wheel', 'deltaY', wheel.deltaY, I16_MIN, I16_MAX);
  return new ByteWriter(MessageType.Wheel).i16(wheel.deltaX).i16(wheel.deltaY).finish();
}

export function encodeKey(key: Key): Uint8Array {
  checkInteger('key', 'modifiers', key.modifiers, 0, 0x7f);
  checkInteger('key', 'code length', key.code.length, 0, MAX_KEY_CODE_LENGTH);

  const code = asciiBytes('key', 'code', key.code, isKeyCodeCharacter);
  const value = encodeUtf8(key.key, 'key value');

  checkMaxLength('key', 'key', value.length, MAX_KEY_BYTES);

  return new ByteWriter(MessageType.Key)
    .u8((key.pressed ? 0x01 : 0) | (key.repeat ? 0x02 : 0))
    .u8(key.modifiers)
    .u8(code.length)
    .bytes(code)
    .u8(value.length)
    .bytes(value)
    .finish();
}

export function encodeTouch(touch: Touch): Uint8Array {
  checkInteger('touch', 'phase', touch.phase, 0, 3);
  checkInteger('touch', 'id', touch.id, 0, 0xff);
  checkInteger('touch', 'x', touch.x, 0, U16);
  checkInteger('touch', 'y', touch.y, 0, U16);
  return new ByteWriter(MessageType.Touch).u8(touch.phase).u8(touch.id).u16(touch.x).u16(touch.y).finish();
}

export function encodeClientClipboard(clipboard: ClientClipboard): Uint8Array {
  return encodeClipboard(MessageType.ClientClipboard, 'client clipboard message', clipboard.text);
}

export function encodeResizeRequest(request: ResizeRequest): Uint8Array {
  checkInteger('resize request', 'width', request.width, 1, U16);
  checkInteger('resize request', 'height', request.height, 1, U16);
  return new ByteWriter(MessageType.ResizeRequest).u16(request.width).u16(request.height).finish();
}

export function encodeClientStats(stats: ClientStats): Uint8Array {
  checkInteger('client stats message', 'decodePath', stats.decodePath, 0, 2);
  checkInteger('client stats message', 'decodedFrames', stats.decodedFrames, 0, UNKNOWN_U32);
  checkInteger('client stats message', 'droppedFrames', stats.droppedFrames, 0, UNKNOWN_U32);

  if (stats.latencyUs !== undefined) {
    checkInteger('client stats message', 'latencyUs', stats.latencyUs, 0, UNKNOWN_U32 - 1);
  }

  return new ByteWriter(MessageType.ClientStats)
    .u8(stats.decodePath)
    .u32(stats.decodedFrames)
    .u32(stats.droppedFrames)
    .u32(stats.latencyUs ?? UNKNOWN_U32)
    .finish();
}
