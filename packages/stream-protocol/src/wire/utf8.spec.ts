import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../../test/support.js';
import { decodeUtf8, encodeUtf8 } from './utf8.js';

describe('UTF-8', () => {
  it('round-trips every plane', () => {
    const random = seededRandom(7);
    const codePoints = Array.from({ length: 5000 }, () => {
      const codePoint = Math.floor(random() * 0x110000);

      return codePoint >= 0xd800 && codePoint <= 0xdfff ? 0x41 : codePoint;
    });
    const text = String.fromCodePoint(...codePoints);

    expect(decodeUtf8(encodeUtf8(text, 'text'), 'text')).toBe(text);
  });

  it('matches Node Buffer encoding', () => {
    const text = 'a é ✓ 😀 \u0000 \u07ff \u0800 \uffff';

    expect(Buffer.from(encodeUtf8(text, 'text')).toString('hex')).toBe(Buffer.from(text, 'utf8').toString('hex'));
  });

  it.each([
    ['overlong slash', [0xc0, 0xaf]],
    ['overlong three-byte', [0xe0, 0x80, 0xaf]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['lone continuation', [0x80]],
    ['cut sequence', [0xe2, 0x9c]],
  ])('rejects %s', (_name, bytes) => {
    expect(() => decodeUtf8(Uint8Array.from(bytes), 'text')).toThrow('not valid UTF-8');
  });
});
