/**
 * The exec channel's wire format, shared by the host (`ExecChannel`) and the agent in the container.
 *
 * Every frame is `length (uint32 BE) | type (uint8) | command id (uint32 BE) | payload`, where `length` counts the
 * type, the command id and the payload, so a frame with an empty payload has length 5. Output and stdin payloads are
 * raw bytes. This file imports only `node:buffer`, because the agent bundle runs on Node 18 with no dependencies.
 */
import { Buffer } from 'node:buffer';

/** Frame types. Host to agent: `start` to `kill`. Agent to host: `hello` to `error`. */
export const FrameType = {
  /** Host to agent: start a command. Payload: the UTF-8 JSON of a `StartRequest`. */
  start: 0x01,
  /** Host to agent: bytes for the command's stdin. */
  stdin: 0x02,
  /** Host to agent: close the command's stdin. Empty payload. */
  stdinEnd: 0x03,
  /** Host to agent: send SIGKILL to the command's process group. Empty payload. */
  kill: 0x04,
  /** Agent to host, command id 0, sent once at start. Payload: the UTF-8 JSON of an `AgentHello`. */
  hello: 0x10,
  /** Agent to host: bytes the command wrote to stdout. */
  stdout: 0x11,
  /** Agent to host: bytes the command wrote to stderr. */
  stderr: 0x12,
  /** Agent to host: the command ended and its output is complete. Payload: the exit code as int32 BE. */
  exit: 0x13,
  /** Agent to host: the agent could not run the command. Payload: a UTF-8 message. */
  error: 0x14,
} as const;

/** One of the `FrameType` values. */
export type FrameTypeValue = (typeof FrameType)[keyof typeof FrameType];

/** A decoded frame. */
export interface Frame {
  type: number;
  /** The command the frame belongs to; 0 for the `hello` frame. */
  commandId: number;
  payload: Buffer;
}

/** Bytes before the payload: the length (4), the type (1) and the command id (4). */
export const FRAME_HEADER_BYTES = 9;

/** Maximum of the length field (type, command id and payload) on both sides: 1 MiB. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Maximum payload of one output or stdin frame: 64 KiB. Larger chunks are split. */
export const MAX_DATA_PAYLOAD_BYTES = 64 * 1024;

/** Version of the protocol, sent in the `hello` frame. The host rejects an agent with another version. */
export const PROTOCOL_VERSION = 1;

/** Raised by the decoder and the encoder for a frame that breaks the format. */
export class FrameError extends Error {
  /** Stable code: `FRAME_ERR_TOO_LARGE` or `FRAME_ERR_INVALID`. */
  readonly code: 'FRAME_ERR_TOO_LARGE' | 'FRAME_ERR_INVALID';

  constructor(code: FrameError['code'], message: string) {
    super(message);
    this.name = 'FrameError';
    this.code = code;
  }
}

/** Encodes one frame. Raises `FRAME_ERR_TOO_LARGE` when it would exceed `maxFrameBytes` (default `MAX_FRAME_BYTES`). */
export function encodeFrame(type: number, commandId: number, payload: Uint8Array = Buffer.alloc(0), maxFrameBytes = MAX_FRAME_BYTES): Buffer {
  const length = 5 + payload.byteLength;

  if (length > maxFrameBytes) {
    throw new FrameError(
      'FRAME_ERR_TOO_LARGE',
      `A frame of type ${type} for command ${commandId} would take ${length} bytes, more than the limit of ${maxFrameBytes}.`,
    );
  }

  const frame = Buffer.allocUnsafe(4 + length);

  frame.writeUInt32BE(length, 0);
  frame.writeUInt8(type, 4);
  frame.writeUInt32BE(commandId, 5);
  frame.set(payload, FRAME_HEADER_BYTES);

  return frame;
}

/** Encodes an exit code as the payload of an `exit` frame. */
export function encodeExitCode(exitCode: number): Buffer {
  const payload = Buffer.allocUnsafe(4);

  payload.writeInt32BE(exitCode, 0);

  return payload;
}

/** Decodes the payload of an `exit` frame. Raises `FRAME_ERR_INVALID` unless it is 4 bytes. */
export function decodeExitCode(payload: Buffer): number {
  if (payload.length !== 4) {
    throw new FrameError('FRAME_ERR_INVALID', `An exit frame has a payload of ${payload.length} bytes instead of 4.`);
  }

  return payload.readInt32BE(0);
}

/**
 * Splits a byte stream into frames. Feed it chunks as they arrive; a frame may span any number of chunks. After it
 * raised an error the stream is out of step, so the caller must drop the connection.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** @param maxFrameBytes - the largest length field accepted; default `MAX_FRAME_BYTES` */
  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /** Bytes received that do not yet form a whole frame. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Appends `chunk` and returns the frames it completes. Raises `FRAME_ERR_TOO_LARGE` or `FRAME_ERR_INVALID`. */
  push(chunk: Uint8Array): Frame[] {
    this.pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.pendingBytes += chunk.byteLength;

    const frames: Frame[] = [];

    while (this.pendingBytes >= 4) {
      const head = this.peek(4);
      const length = head.readUInt32BE(0);

      if (length > this.maxFrameBytes) {
        throw new FrameError('FRAME_ERR_TOO_LARGE', `Received a frame of ${length} bytes, more than the limit of ${this.maxFrameBytes}.`);
      }

      if (length < 5) {
        throw new FrameError('FRAME_ERR_INVALID', `Received a frame length of ${length}, less than the 5 bytes of type and command id.`);
      }

      if (this.pendingBytes < 4 + length) {
        break;
      }

      const frame = this.take(4 + length);

      frames.push({ type: frame.readUInt8(4), commandId: frame.readUInt32BE(5), payload: frame.subarray(FRAME_HEADER_BYTES) });
    }

    return frames;
  }

  private peek(byteCount: number): Buffer {
    const first = this.pending[0] as Buffer;

    if (first.length >= byteCount) {
      return first;
    }

    this.pending = [Buffer.concat(this.pending, this.pendingBytes)];

    return this.pending[0] as Buffer;
  }

  private take(byteCount: number): Buffer {
    const joined = this.peek(byteCount);
    const frame = joined.subarray(0, byteCount);
    const rest = joined.subarray(byteCount);

    this.pending = rest.length === 0 ? [] : [rest];
    this.pendingBytes -= byteCount;

    return frame;
  }
}
