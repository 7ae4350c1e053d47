// Test helper: parses ISO BMFF bytes back into a box tree, checking that every size fits inside its parent.

/** One parsed box. */
export interface ParsedBox {
  type: string;
  /** Offset of the box's first byte in the parsed buffer. */
  offset: number;
  size: number;
  /** The box's bytes after its 8-byte header. */
  payload: Uint8Array;
  children: ParsedBox[];
}

const CONTAINER_TYPES = new Set(['moov', 'trak', 'mdia', 'minf', 'dinf', 'stbl', 'mvex', 'moof', 'traf']);

// Bytes before the child boxes in boxes that hold fields and then boxes.
const CHILD_OFFSETS: Record<string, number> = { stsd: 8, dref: 8, avc1: 78 };

/** Parses `bytes[start, end)` into boxes, throwing when a size is too small or runs past `end`. */
export function parseBoxes(bytes: Uint8Array, start = 0, end = bytes.length): ParsedBox[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: ParsedBox[] = [];

  let offset = start;
  while (offset < end) {
    if (end - offset < 8) {
      throw new Error(`Box header at ${offset} is truncated: ${end - offset} bytes left.`);
    }

    const size = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (size < 8 || offset + size > end) {
      throw new Error(`Box ${type} at ${offset} has size ${size}, which does not fit in ${end - offset} bytes.`);
    }

    const payload = bytes.subarray(offset + 8, offset + size);
    const childOffset = CONTAINER_TYPES.has(type) ? 0 : CHILD_OFFSETS[type];
    const children =
      childOffset === undefined ? [] : parseBoxes(bytes, offset + 8 + childOffset, offset + size);

    boxes.push({ type, offset, size, payload, children });
    offset += size;
  }

  return boxes;
}

/** Returns the first box along a path of types, such as `['moov', 'trak', 'tkhd']`. */
export function findBox(boxes: readonly ParsedBox[], path: readonly string[]): ParsedBox {
  let level = boxes;
  let found: ParsedBox | undefined;

  for (const type of path) {
    found = level.find((candidate) => candidate.type === type);
    if (found === undefined) {
      throw new Error(`Box ${type} of path ${path.join('/')} not found.`);
    }
    level = found.children;
  }

  return found!;
}

/** Converts a hex string (spaces allowed) to bytes. */
export function hexBytes(hex: string): Uint8Array {
  const digits = hex.replace(/\s+/g, '');
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

/** Converts bytes to a lowercase hex string. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Returns the index of `needle` in `haystack`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let start = 0; start + needle.length <= haystack.length; start += 1) {
    for (let index = 0; index < needle.length; index += 1) {
      if (haystack[start + index] !== needle[index]) {
        continue outer;
      }
    }
    return start;
  }

  return -1;
}
