// Writers for ISO BMFF boxes (ISO/IEC 14496-12): every integer is big-endian, and a box is a 32-bit size that
// counts the whole box, a four-character type, then the payload.

/** Writes an unsigned 8-bit integer. */
export function u8(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff);
}

/** Writes an unsigned 16-bit integer. */
export function u16(value: number): Uint8Array {
  const bytes = new Uint8Array(2);
  new DataView(bytes.buffer).setUint16(0, value);
  return bytes;
}

/** Writes an unsigned 24-bit integer, as used by the `flags` field of a full box. */
export function u24(value: number): Uint8Array {
  return Uint8Array.of((value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** Writes an unsigned 32-bit integer. */
export function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

/** Writes a signed 32-bit integer. */
export function i32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value);
  return bytes;
}

/**
 * Writes an unsigned 64-bit integer from a non-negative safe integer (up to 2^53 - 1, which is about 3,170 years of
 * 90 kHz ticks).
 */
export function u64(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value));
  return bytes;
}

/** Writes a four-character code such as `moov`. */
export function fourCc(code: string): Uint8Array {
  if (!/^[\x20-\x7e]{4}$/.test(code)) {
    throw new RangeError(`Invalid four-character code "${code}": pass exactly 4 printable ASCII characters.`);
  }

  return Uint8Array.from(code, (character) => character.charCodeAt(0));
}

/** Writes `count` zero bytes. */
export function zeros(count: number): Uint8Array {
  return new Uint8Array(count);
}

/** Concatenates byte arrays into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const output = new Uint8Array(length);

  let offset = 0;
  for (const part of parts) {
    output.set(part, offset);
    offset += part.length;
  }

  return output;
}

/** Writes a box: its 32-bit size, its type and the payload parts in order. */
export function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const size = 8 + payload.reduce((sum, part) => sum + part.length, 0);
  return concatBytes([u32(size), fourCc(type), ...payload]);
}

/** Writes a full box: a box whose payload starts with an 8-bit version and 24-bit flags. */
export function fullBox(type: string, version: number, flags: number, ...payload: Uint8Array[]): Uint8Array {
  return box(type, u8(version), u24(flags), ...payload);
}

/** The unity transformation matrix of `mvhd` and `tkhd`, in 16.16 and 2.30 fixed point. */
export const UNITY_MATRIX: readonly number[] = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

/** Writes the unity matrix as nine 32-bit values. */
export function unityMatrix(): Uint8Array {
  return concatBytes(UNITY_MATRIX.map((value) => u32(value)));
}
