import { StreamError, type StreamErrorCode } from '../errors.js';

/**
 * Reads the bits of an RBSP (emulation-prevention bytes already removed) most significant bit first, with the H.264
 * descriptors u(n), ue(v) and se(v). Every read names its syntax element, so an error names the invalid field.
 */
export class BitReader {
  private bitOffset = 0;

  /**
   * @param bytes - the RBSP
   * @param code - the error code of every error this reader throws
   * @param structure - the name of the structure being read, such as `SPS`, for error messages
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly code: StreamErrorCode,
    private readonly structure: string,
  ) {}

  /** The number of bits read so far. */
  get position(): number {
    return this.bitOffset;
  }

  /** The number of bits not read yet. */
  get bitsLeft(): number {
    return this.bytes.length * 8 - this.bitOffset;
  }

  /** Reads u(n), an unsigned integer of `bitCount` bits (0 to 32). */
  u(bitCount: number, name: string): number {
    if (bitCount > this.bitsLeft) {
      throw this.error(
        `${this.structure} is truncated: ${name} needs ${bitCount} bits at bit ${this.bitOffset}, but only ` +
          `${this.bitsLeft} remain.`,
      );
    }

    let value = 0;

    for (let index = 0; index < bitCount; index += 1) {
      const byte = this.bytes[this.bitOffset >>> 3];
      const bit = (byte >>> (7 - (this.bitOffset & 7))) & 1;

      value = value * 2 + bit;
      this.bitOffset += 1;
    }

    return value;
  }

  /** Reads u(1) as a boolean. */
  flag(name: string): boolean {
    return this.u(1, name) === 1;
  }

  /** Reads ue(v), an unsigned Exp-Golomb code, for values up to 2^32 - 2. */
  ue(name: string): number {
    let leadingZeros = 0;

    while (this.u(1, name) === 0) {
      leadingZeros += 1;

      if (leadingZeros > 31) {
        throw this.error(
          `${this.structure} has an invalid ${name}: its Exp-Golomb code has more than 31 leading zeros.`,
        );
      }
    }

    return 2 ** leadingZeros - 1 + this.u(leadingZeros, name);
  }

  /** Reads se(v), a signed Exp-Golomb code: 0, 1, -1, 2, -2, ... */
  se(name: string): number {
    const codeNum = this.ue(name);

    return codeNum % 2 === 1 ? (codeNum + 1) / 2 : -(codeNum / 2);
  }

  /** Reads ue(v) and checks that it lies in `[min, max]`. */
  ueInRange(name: string, min: number, max: number): number {
    const value = this.ue(name);

    this.checkRange(name, value, min, max);
    return value;
  }

  /** Reads se(v) and checks that it lies in `[min, max]`. */
  seInRange(name: string, min: number, max: number): number {
    const value = this.se(name);

    this.checkRange(name, value, min, max);
    return value;
  }

  /**
   * Reads `rbsp_trailing_bits`: a stop bit equal to 1, then zero bits. Zero bytes after them are accepted because
   * they are `trailing_zero_8bits` that a caller may have left in place.
   */
  trailingBits(): void {
    if (!this.flag('rbsp_stop_one_bit')) {
      throw this.error(
        `${this.structure} has an invalid rbsp_stop_one_bit 0 at bit ${this.bitOffset - 1}: the syntax elements ` +
          'before it do not match their length, or the data is damaged.',
      );
    }

    while (this.bitsLeft > 0) {
      if (this.u(1, 'rbsp_alignment_zero_bit') !== 0) {
        throw this.error(
          `${this.structure} has unexpected data after rbsp_stop_one_bit, at bit ${this.bitOffset - 1}. ` +
            'The syntax elements before it do not match their length, or the data is damaged.',
        );
      }
    }
  }

  /** Makes an error with this reader's code. */
  error(message: string): StreamError {
    return new StreamError(this.code, message);
  }

  private checkRange(name: string, value: number, min: number, max: number): void {
    if (value < min || value > max) {
      throw this.error(`${this.structure} has an invalid ${name} ${value}: it must be from ${min} to ${max}.`);
    }
  }
}
