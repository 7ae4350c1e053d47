/**
 * Collects big-endian fields of one wire message. Callers check ranges before writing, so the writer only lays out
 * bytes. The buffer grows as needed, and `finish` returns exactly the written length.
 */
export class ByteWriter {
  #bytes: Uint8Array;
  #view: DataView;
  #length = 0;

  /** @param type the message type byte, written first */
  constructor(type: number, capacity = 64) {
    this.#bytes = new Uint8Array(capacity);
    this.#view = new DataView(this.#bytes.buffer);
    this.u8(type);
  }

  u8(value: number): this {
    this.#reserve(1).setUint8(this.#length - 1, value);
    return this;
  }

  u16(value: number): this {
    this.#reserve(2).setUint16(this.#length - 2, value);
    return this;
  }

  i16(value: number): this {
    this.#reserve(2).setInt16(this.#length - 2, value);
    return this;
  }

  u32(value: number): this {
    this.#reserve(4).setUint32(this.#length - 4, value);
    return this;
  }

  u64(value: bigint): this {
    this.#reserve(8).setBigUint64(this.#length - 8, value);
    return this;
  }

  bytes(value: Uint8Array): this {
    this.#reserve(value.length);
    this.#bytes.set(value, this.#length - value.length);
    return this;
  }

  /**
   * Returns the message: a buffer of exactly the written length. It is the writer's own buffer when the capacity was
   * exact, as for video messages, so an access unit is copied once; write nothing after this call.
   */
  finish(): Uint8Array {
    return this.#length === this.#bytes.length ? this.#bytes : this.#bytes.slice(0, this.#length);
  }

  /** Grows the buffer for `length` more bytes and advances the length; returns the view to write through. */
  #reserve(length: number): DataView {
    const required = this.#length + length;

    if (required > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(required, this.#bytes.length * 2));

      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
      this.#view = new DataView(grown.buffer);
    }

    this.#length = required;
    return this.#view;
  }
}
