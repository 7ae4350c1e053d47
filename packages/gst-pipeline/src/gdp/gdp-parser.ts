import { PipelineError } from '../errors.js';
import { gdpCrc } from './crc.js';
import { GDP_HEADER_LENGTH, GdpPayloadType, parseGdpHeader, type GdpHeader } from './gdp-header.js';

/** One GStreamer buffer, whole, with its timestamps in nanoseconds (undefined for GST_CLOCK_TIME_NONE). */
export interface GdpBufferPacket {
  type: 'buffer';
  payload: Uint8Array;
  ptsNs?: bigint;
  dtsNs?: bigint;
  durationNs?: bigint;
  /** GstBufferFlags bits, see `GstBufferFlag`. */
  flags: number;
}

/** New caps, such as `video/x-h264, stream-format=(string)byte-stream, ..., width=(int)320, ...`. */
export interface GdpCapsPacket {
  type: 'caps';
  caps: string;
}

/** A serialized event: its GstEventType value and its structure as text (empty for events without a structure). */
export interface GdpEventPacket {
  type: 'event';
  eventType: number;
  structure: string;
}

/** One decoded GDP packet. */
export type GdpPacket = GdpBufferPacket | GdpCapsPacket | GdpEventPacket;

/** Options of `GdpParser`. */
export interface GdpParserOptions {
  /** The largest payload accepted, in bytes; default 64 MiB. A larger length means a corrupt stream. */
  maxPayloadLength?: number;
}

const DEFAULT_MAX_PAYLOAD_LENGTH = 64 * 1024 * 1024;
const textDecoder = new TextDecoder();

function decodeText(payload: Uint8Array): string {
  const end = payload.length > 0 && payload[payload.length - 1] === 0 ? payload.length - 1 : payload.length;

  return textDecoder.decode(payload.subarray(0, end));
}

function toPacket(header: GdpHeader, payload: Uint8Array): GdpPacket {
  if (header.payloadType === GdpPayloadType.Buffer) {
    return {
      type: 'buffer',
      payload,
      ptsNs: header.ptsNs,
      dtsNs: header.dtsNs,
      durationNs: header.durationNs,
      flags: header.bufferFlags,
    };
  }

  if (header.payloadType === GdpPayloadType.Caps) {
    return { type: 'caps', caps: decodeText(payload) };
  }

  return { type: 'event', eventType: header.payloadType - GdpPayloadType.EventBase, structure: decodeText(payload) };
}

/**
 * Decodes a GStreamer Data Protocol stream (gdppay output) from chunks of any size, such as the `data` events of a
 * pipe. Each `push` returns the packets that the chunk completed; bytes of an incomplete packet stay buffered.
 */
export class GdpParser {
  private readonly maxPayloadLength: number;
  private pending: Uint8Array = new Uint8Array(0);
  private header?: GdpHeader;
  private consumed = 0;

  constructor(options: GdpParserOptions = {}) {
    this.maxPayloadLength = options.maxPayloadLength ?? DEFAULT_MAX_PAYLOAD_LENGTH;
  }

  /** Number of bytes received that do not yet form a whole packet. */
  get bufferedLength(): number {
    return this.pending.length + (this.header === undefined ? 0 : GDP_HEADER_LENGTH);
  }

  /**
   * Appends a chunk and returns every packet it completes, in stream order. Payloads are copies, so the caller may
   * reuse `chunk`.
   *
   * @throws PipelineError `PIPELINE_ERR_INVALID_GDP` when a header is malformed or a payload CRC does not match. The
   *   parser cannot resynchronize after that, so drop it.
   */
  push(chunk: Uint8Array): GdpPacket[] {
    this.pending = this.pending.length === 0 ? chunk : concat(this.pending, chunk);

    const packets: GdpPacket[] = [];
    let offset = 0;

    for (;;) {
      if (this.header === undefined) {
        if (this.pending.length - offset < GDP_HEADER_LENGTH) {
          break;
        }

        this.header = parseGdpHeader(this.pending.subarray(offset, offset + GDP_HEADER_LENGTH), this.maxPayloadLength, this.consumed);
        offset += GDP_HEADER_LENGTH;
        this.consumed += GDP_HEADER_LENGTH;
      }

      const { payloadLength } = this.header;

      if (this.pending.length - offset < payloadLength) {
        break;
      }

      const payload = this.pending.slice(offset, offset + payloadLength);
      this.checkPayloadCrc(this.header, payload);
      packets.push(toPacket(this.header, payload));
      offset += payloadLength;
      this.consumed += payloadLength;
      this.header = undefined;
    }

    // slice copies, so no reference to the caller's chunk survives this call.
    this.pending = this.pending.slice(offset);

    return packets;
  }

  private checkPayloadCrc(header: GdpHeader, payload: Uint8Array): void {
    if (header.payloadCrc === undefined || payload.length === 0) {
      return;
    }

    const actual = gdpCrc(payload);

    if (actual !== header.payloadCrc) {
      throw new PipelineError(
        'PIPELINE_ERR_INVALID_GDP',
        `Invalid GDP payload ending at byte ${this.consumed + payload.length}: CRC 0x${actual.toString(16)} does not match 0x${header.payloadCrc.toString(16)}.`,
      );
    }
  }
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);

  return joined;
}
