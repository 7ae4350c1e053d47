/** Writes bits most significant bit first, with the H.264 descriptors u(n) and ue(v), into a growing buffer. */
export class BitWriter {
  private bytes = new Uint8Array(64);
  private bitOffset = 0;

  /** Writes u(n): the low `bitCount` bits of `value` (0 to 32 bits). */
  u(bitCount: number, value: number): void {
    for (let index = bitCount - 1; index >= 0; index -= 1) {
      this.bit(Math.floor(value / 2 ** index) % 2);
    }
  }

  /** Writes u(1). */
  flag(value: boolean): void {
    this.bit(value ? 1 : 0);
  }

  /** Writes ue(v), an unsigned Exp-Golomb code, for values up to 2^32 - 2. */
  ue(value: number): void {
    const codeNum = value + 1;
    const bitCount = Math.floor(Math.log2(codeNum)) + 1;

    this.u(bitCount - 1, 0);
    this.u(bitCount, codeNum);
  }

  /** Copies bits `[from, to)` of `source`. */
  copyBits(source: Uint8Array, from: number, to: number): void {
    for (let offset = from; offset < to; offset += 1) {
      this.bit((source[offset >>> 3] >>> (7 - (offset & 7))) & 1);
    }
  }

  /** Writes `rbsp_trailing_bits`: a 1 bit, then 0 bits up to the next byte boundary. */
  trailingBits(): void {
    this.bit(1);

    while (this.bitOffset % 8 !== 0) {
      this.bit(0);
    }
  }

  /** Returns a copy of the bytes written so far; a last partial byte is padded with 0 bits. */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, Math.ceil(this.bitOffset / 8));
  }

  private bit(value: number): void {
    const byteIndex = this.bitOffset >>> 3;

    if (byteIndex >= this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);

      grown.set(this.bytes);
      this.bytes = grown;
    }

    if (value !== 0) {
      this.bytes[byteIndex] |= 0x80 >>> (this.bitOffset & 7);
    }

    this.bitOffset += 1;
  }
}
