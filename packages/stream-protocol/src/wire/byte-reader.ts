import { StreamError } from '../errors.js';
import { decodeUtf8 } from './utf8.js';

/**
 * Reads big-endian fields from one wire message in order. Every read checks the remaining length first, so a cut
 * message fails with `STREAM_ERR_TRUNCATED` naming the message and field instead of reading past the end.
 */
export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #message: string;
  #offset: number;

  /**
   * @param message the message name used in errors, such as 'Key message'
   * @param offset where reading starts; 1 skips the type byte
   */
  constructor(bytes: Uint8Array, message: string, offset = 1) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#message = message;
    this.#offset = offset;
  }

  /** The bytes not read yet. */
  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  u8(field: string): number {
    this.#require(field, 1);
    const value = this.#view.getUint8(this.#offset);
    this.#offset += 1;
    return value;
  }

  u16(field: string): number {
    this.#require(field, 2);
    const value = this.#view.getUint16(this.#offset);
    this.#offset += 2;
    return value;
  }

  i16(field: string): number {
    this.#require(field, 2);
    const value = this.#view.getInt16(this.#offset);
    this.#offset += 2;
    return value;
  }

  u32(field: string): number {
    this.#require(field, 4);
    const value = this.#view.getUint32(this.#offset);
    this.#offset += 4;
    return value;
  }

  u64(field: string): bigint {
    this.#require(field, 8);
    const value = this.#view.getBigUint64(this.#offset);
    this.#offset += 8;
    return value;
  }

  /** Reads `length` bytes as a view into the message (no copy). */
  bytes(field: string, length: number): Uint8Array {
    this.#require(field, length);
    const value = this.#bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return value;
  }

  /** Reads a UTF-8 string of `length` bytes. */
  utf8(field: string, length: number): string {
    return decodeUtf8(this.bytes(field, length), `${this.#message} ${field}`);
  }

  /** Throws `STREAM_ERR_TRAILING_BYTES` unless the whole message has been read. */
  end(): void {
    if (this.remaining > 0) {
      throw new StreamError(
        'STREAM_ERR_TRAILING_BYTES',
        `Invalid ${this.#message}: it has ${this.#bytes.length} bytes, but its fields end at byte ${this.#offset}.`,
      );
    }
  }

  #require(field: string, length: number): void {
    if (this.remaining < length) {
      throw new StreamError(
        'STREAM_ERR_TRUNCATED',
        `Truncated ${this.#message}: it has ${this.#bytes.length} bytes, but its ${field} field needs ` +
          `${this.#offset + length}.`,
      );
    }
  }
}
