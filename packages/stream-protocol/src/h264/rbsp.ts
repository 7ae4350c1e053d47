import { StreamError, formatByte } from '../errors.js';

const EMULATION_PREVENTION_BYTE = 0x03;

/**
 * Removes the emulation-prevention bytes from a NAL unit: every `00 00 03` becomes `00 00`, which gives the raw byte
 * sequence payload (RBSP) that the syntax tables describe. The result can contain `00 00 00`, which is only forbidden
 * inside a NAL unit.
 *
 * @param nalUnit - the NAL unit, or any part of it that starts at a byte boundary
 * @returns a new buffer
 * @throws StreamError `STREAM_ERR_INVALID_NAL_UNIT` when the input contains `00 00 00`, `00 00 01` or `00 00 02`, or an
 *   emulation-prevention byte followed by a byte above 0x03, which H.264 forbids
 */
export function removeEmulationPrevention(nalUnit: Uint8Array): Uint8Array {
  const rbsp = new Uint8Array(nalUnit.length);
  let length = 0;
  let zeros = 0;

  for (let index = 0; index < nalUnit.length; index += 1) {
    const byte = nalUnit[index];

    if (zeros >= 2 && byte < EMULATION_PREVENTION_BYTE) {
      throw invalidSequence(nalUnit, index);
    }

    if (zeros >= 2 && byte === EMULATION_PREVENTION_BYTE) {
      const next = index + 1 < nalUnit.length ? nalUnit[index + 1] : 0;

      if (next > EMULATION_PREVENTION_BYTE) {
        throw invalidSequence(nalUnit, index + 1);
      }

      zeros = 0;
      continue;
    }

    rbsp[length] = byte;
    length += 1;
    zeros = byte === 0 ? zeros + 1 : 0;
  }

  return rbsp.slice(0, length);
}

/**
 * Adds emulation-prevention bytes to an RBSP, the inverse of `removeEmulationPrevention`. It inserts 0x03 after every
 * `00 00` that is followed by a byte from 0x00 to 0x03, and appends 0x03 when the RBSP ends with `00 00`. The NAL unit
 * then contains no start code and does not end with `00 00`.
 *
 * @returns a new buffer
 */
export function addEmulationPrevention(rbsp: Uint8Array): Uint8Array {
  const nalUnit = new Uint8Array(rbsp.length + Math.ceil(rbsp.length / 2) + 1);
  let length = 0;
  let zeros = 0;

  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= EMULATION_PREVENTION_BYTE) {
      nalUnit[length] = EMULATION_PREVENTION_BYTE;
      length += 1;
      zeros = 0;
    }

    nalUnit[length] = byte;
    length += 1;
    zeros = byte === 0 ? zeros + 1 : 0;
  }

  if (zeros >= 2) {
    nalUnit[length] = EMULATION_PREVENTION_BYTE;
    length += 1;
  }

  return nalUnit.slice(0, length);
}

function invalidSequence(nalUnit: Uint8Array, index: number): StreamError {
  const sequence = [nalUnit[index - 2], nalUnit[index - 1], nalUnit[index]].map(formatByte).join(' ');

  return new StreamError(
    'STREAM_ERR_INVALID_NAL_UNIT',
    `Invalid NAL unit: it contains the byte sequence ${sequence} ending at offset ${index}, which H.264 forbids ` +
      'inside a NAL unit. Split the byte stream at its start codes first, and pass one NAL unit.',
  );
}
