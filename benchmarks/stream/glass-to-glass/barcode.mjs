// A barcode of the capture time in the top rows of a video frame, written in Node and read in the browser.
//
// One row of 40 blocks, each black (luma 16) or white (luma 235). The first 36 carry the capture time in microseconds
// modulo 2^36 (about 19 hours), most significant bit first. The last 4 carry a checksum, the sum of the value's nine
// 4-bit groups modulo 16. Blocks are 32 pixels high and a multiple of 16 pixels wide, so each covers whole H.264 macroblocks and
// survives compression at low bitrates.

/** Bits of the capture time in the barcode. */
export const VALUE_BITS = 36;
/** Blocks in the barcode: the value, then 4 checksum bits. */
export const BLOCKS = VALUE_BITS + 4;
/** Height of the barcode band in pixels, from the top of the frame. */
export const BARCODE_HEIGHT = 32;

const VALUE_RANGE = 2 ** VALUE_BITS;
const BLACK = 16;
const WHITE = 235;

/** Returns the block width in pixels for a frame `width` pixels wide: the largest multiple of 16 that fits 40 times. */
export function blockWidth(width) {
  const blockPixels = Math.floor(width / BLOCKS / 16) * 16;
  if (blockPixels === 0) {
    throw new RangeError(`Invalid frame width ${width}: the barcode needs at least ${BLOCKS * 16} pixels.`);
  }
  return blockPixels;
}

function checksum(value) {
  let sum = 0;
  for (let rest = value; rest > 0; rest = Math.floor(rest / 16)) {
    sum += rest % 16;
  }
  return sum % 16;
}

/** Returns the 40 bits for `timeUs`, most significant first. */
function bitsOf(timeUs) {
  const value = Math.round(timeUs) % VALUE_RANGE;
  const bits = [];
  for (let bit = VALUE_BITS - 1; bit >= 0; bit -= 1) {
    bits.push(Math.floor(value / 2 ** bit) % 2);
  }
  const sum = checksum(value);
  for (let bit = 3; bit >= 0; bit -= 1) {
    bits.push((sum >> bit) & 1);
  }
  return bits;
}

/** Writes the barcode of `timeUs` into the luma plane of an I420 frame (`lumaPlane` is `width` bytes per row). */
export function writeBarcode(lumaPlane, width, timeUs) {
  const blockPixels = blockWidth(width);
  const bits = bitsOf(timeUs);
  for (let row = 0; row < BARCODE_HEIGHT; row += 1) {
    const rowStart = row * width;
    lumaPlane.fill(BLACK, rowStart, rowStart + width);
    for (let block = 0; block < BLOCKS; block += 1) {
      if (bits[block] === 1) {
        const start = rowStart + block * blockPixels;
        lumaPlane.fill(WHITE, start, start + blockPixels);
      }
    }
  }
}

/**
 * Reads the barcode from RGBA pixels of the top `BARCODE_HEIGHT` rows of a frame `width` pixels wide. Returns the
 * capture time in microseconds, unwrapped to the value nearest `nowUs`, or undefined when the checksum does not match.
 */
export function readBarcode(rgba, width, nowUs) {
  const blockPixels = blockWidth(width);
  let value = 0;
  let sum = 0;
  for (let block = 0; block < BLOCKS; block += 1) {
    const bit = blockBrightness(rgba, width, block * blockPixels, blockPixels) > 128 ? 1 : 0;
    if (block < VALUE_BITS) {
      value = value * 2 + bit;
    } else {
      sum = sum * 2 + bit;
    }
  }
  if (sum !== checksum(value)) {
    return undefined;
  }

  const wraps = Math.round((nowUs - value) / VALUE_RANGE);
  return value + wraps * VALUE_RANGE;
}

// Averages the red channel (equal to luma for grey pixels) over a 4x4 grid in the middle half of a block.
function blockBrightness(rgba, width, left, blockPixels) {
  let total = 0;
  for (let gridY = 0; gridY < 4; gridY += 1) {
    const y = BARCODE_HEIGHT / 4 + (gridY * BARCODE_HEIGHT) / 8;
    for (let gridX = 0; gridX < 4; gridX += 1) {
      const x = left + blockPixels / 4 + Math.floor((gridX * blockPixels) / 8);
      total += rgba[(y * width + x) * 4];
    }
  }
  return total / 16;
}
