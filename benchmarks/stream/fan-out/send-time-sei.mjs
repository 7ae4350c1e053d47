// Carries the time at which the benchmark's source handed an access unit to the bridge inside the access unit itself,
// as an H.264 SEI message (user data unregistered, payload type 5). So the viewers need not trust the timestamp
// field of the wire format, which the bridge may rewrite. The time is written as 16 hexadecimal ASCII digits of
// microseconds, and the UUID has no zero byte, so the payload contains no 00 00 sequence and needs no
// emulation-prevention bytes.
import { isVclNalUnitType, nalUnitType } from '@deskvm/stream-protocol';

/** The 16-byte UUID that marks the benchmark's SEI payload ("deskvm-send-time"). */
export const SEND_TIME_UUID = Buffer.from('deskvm-send-time', 'ascii');

const HEX_DIGITS = 16;

/** Builds the SEI NAL unit that carries `sendTimeUs`. */
function sendTimeSei(sendTimeUs) {
  const digits = Buffer.from(Math.round(sendTimeUs).toString(16).padStart(HEX_DIGITS, '0'), 'ascii');
  const payloadSize = SEND_TIME_UUID.length + digits.length;
  // NAL header (type 6), payload type 5, payload size, UUID, digits, RBSP stop bit.
  return Uint8Array.from([0x06, 0x05, payloadSize, ...SEND_TIME_UUID, ...digits, 0x80]);
}

/** Returns the NAL units of an access unit with the send-time SEI inserted before the first slice. */
export function withSendTime(nalUnits, sendTimeUs) {
  const firstSlice = nalUnits.findIndex((nalUnit) => isVclNalUnitType(nalUnitType(nalUnit)));
  const at = firstSlice === -1 ? nalUnits.length : firstSlice;
  return [...nalUnits.slice(0, at), sendTimeSei(sendTimeUs), ...nalUnits.slice(at)];
}

/** Returns the send time in microseconds from the bytes of a video message, or undefined when it has none. */
export function readSendTime(bytes) {
  const at = bytes.indexOf(SEND_TIME_UUID);
  if (at === -1) {
    return undefined;
  }
  const digits = bytes.subarray(at + SEND_TIME_UUID.length, at + SEND_TIME_UUID.length + HEX_DIGITS).toString('ascii');
  return Number.parseInt(digits, 16);
}
