/**
 * Computes the 16-bit CRC that the GStreamer Data Protocol stores in its header: CCITT polynomial 0x1021, initial value
 * 0xffff, no bit reflection, result XORed with 0xffff (the CRC-16/GENIBUS parameters). The check value of the ASCII
 * bytes `123456789` is 0xd64e.
 */
export function gdpCrc(bytes: Uint8Array): number {
  let crc = 0xffff;

  for (const byte of bytes) {
    crc ^= byte << 8;

    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }

  return crc ^ 0xffff;
}
