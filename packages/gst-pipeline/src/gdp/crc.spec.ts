import { describe, expect, it } from '@jest/globals';
import { gdpCrc } from './crc.js';

describe('gdpCrc', () => {
  it('check value', () => {
    const bytes = new TextEncoder().encode('123456789');

    expect(gdpCrc(bytes)).toBe(0xd64e);
  });

  it('empty input', () => {
    expect(gdpCrc(new Uint8Array(0))).toBe(0x0000);
  });

  it('recorded header', () => {
    // The first 58 bytes of the stream-start event header written by gdppay (GStreamer 1.22), CRC 0xfe1f.
    const header = new Uint8Array(58);
    header.set([0x01, 0x00, 0x01, 0x00, 0x28, 0x4e, 0x00, 0x00, 0x00, 0x87]);
    header.fill(0xff, 10, 18);

    expect(gdpCrc(header)).toBe(0xfe1f);
  });
});
