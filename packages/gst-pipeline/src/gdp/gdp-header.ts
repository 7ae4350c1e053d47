import { PipelineError } from '../errors.js';
import { gdpCrc } from './crc.js';

/*
 * GStreamer Data Protocol (GDP) version 1.0 header, as written by gdppay. Source: gst/gdp/dataprotocol.c in
 * gst-plugins-bad (GStreamer 1.x), checked against the output of gdppay in GStreamer 1.22. All integers are
 * big-endian, and every packet is this header followed by `payload length` bytes.
 *
 *   offset size field
 *        0    1 major version (1)
 *        1    1 minor version (0)
 *        2    1 header flags: bit 0 header CRC present, bit 1 payload CRC present
 *        3    1 padding
 *        4    2 payload type: 1 buffer, 2 caps, 64 + GstEventType for events
 *        6    4 payload length in bytes
 *       10    8 PTS in ns (for events: the event timestamp)
 *       18    8 duration in ns
 *       26    8 offset
 *       34    8 offset_end
 *       42    2 buffer flags (LIVE, DISCONT, HEADER, GAP, DELTA_UNIT only)
 *       44    8 DTS in ns
 *       52    6 padding
 *       58    2 header CRC over bytes 0 to 57, or 0
 *       60    2 payload CRC, or 0
 *
 * Times of 0xffffffffffffffff mean "none" (GST_CLOCK_TIME_NONE). Caps and event payloads are text ending in a NUL byte.
 */

/** Size of a GDP header in bytes. */
export const GDP_HEADER_LENGTH = 62;

/** GDP payload types. Event packets use `EventBase` plus the GstEventType value. */
export const GdpPayloadType = { Buffer: 1, Caps: 2, EventBase: 64 } as const;

/** GstBufferFlags bits that gdppay keeps (`gst/gstbuffer.h`, GStreamer 1.x: GST_MINI_OBJECT_FLAG_LAST is 0x10). */
export const GstBufferFlag = {
  Live: 0x0010,
  Discont: 0x0040,
  Header: 0x0400,
  Gap: 0x0800,
  DeltaUnit: 0x2000,
} as const;

const HEADER_FLAG_CRC_HEADER = 0x01;
const HEADER_FLAG_CRC_PAYLOAD = 0x02;
const CLOCK_TIME_NONE = 0xffff_ffff_ffff_ffffn;

/** The fields of one GDP header. Times are undefined when the header contains GST_CLOCK_TIME_NONE. */
export interface GdpHeader {
  payloadType: number;
  payloadLength: number;
  ptsNs?: bigint;
  durationNs?: bigint;
  dtsNs?: bigint;
  /** GstBufferFlags bits, see `GstBufferFlag`. */
  bufferFlags: number;
  /** The payload CRC to check, or undefined when the sender did not compute one. */
  payloadCrc?: number;
}

function invalidGdp(message: string): PipelineError {
  return new PipelineError('PIPELINE_ERR_INVALID_GDP', message);
}

function clockTime(view: DataView, offset: number): bigint | undefined {
  const value = view.getBigUint64(offset);

  return value === CLOCK_TIME_NONE ? undefined : value;
}

/**
 * Parses and checks one GDP header.
 *
 * @param header - exactly `GDP_HEADER_LENGTH` bytes
 * @param maxPayloadLength - the largest payload accepted, in bytes
 * @param streamOffset - where the header starts in the stream, in bytes, for error messages
 * @throws PipelineError `PIPELINE_ERR_INVALID_GDP` on another major version, an unknown payload type, a header CRC
 *   mismatch or a payload longer than `maxPayloadLength`
 */
export function parseGdpHeader(header: Uint8Array, maxPayloadLength: number, streamOffset: number): GdpHeader {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const major = header[0];
  const flags = header[2];

  if (major !== 1) {
    throw invalidGdp(
      `Invalid GDP header at byte ${streamOffset}: major version ${major}.${header[1]}, expected 1. Check that the pipeline ends in gdppay ! fdsink fd=1 and that nothing else writes to stdout.`,
    );
  }

  if (flags & HEADER_FLAG_CRC_HEADER) {
    const expected = view.getUint16(58);
    const actual = gdpCrc(header.subarray(0, 58));

    if (expected !== actual) {
      throw invalidGdp(
        `Invalid GDP header at byte ${streamOffset}: header CRC 0x${actual.toString(16)} does not match 0x${expected.toString(16)}; the stream is corrupt or out of sync.`,
      );
    }
  }

  const payloadType = view.getUint16(4);

  if (payloadType !== GdpPayloadType.Buffer && payloadType !== GdpPayloadType.Caps && payloadType < GdpPayloadType.EventBase) {
    throw invalidGdp(`Invalid GDP header at byte ${streamOffset}: unknown payload type ${payloadType}.`);
  }

  const payloadLength = view.getUint32(6);

  if (payloadLength > maxPayloadLength) {
    throw invalidGdp(
      `Invalid GDP header at byte ${streamOffset}: payload of ${payloadLength} bytes exceeds the maximum of ${maxPayloadLength}; raise maxPayloadLength if the frames are really this large.`,
    );
  }

  return {
    payloadType,
    payloadLength,
    ptsNs: clockTime(view, 10),
    durationNs: clockTime(view, 18),
    dtsNs: clockTime(view, 44),
    bufferFlags: view.getUint16(42),
    payloadCrc: flags & HEADER_FLAG_CRC_PAYLOAD ? view.getUint16(60) : undefined,
  };
}
