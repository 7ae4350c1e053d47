import { LogRingBuffer } from './log-ring-buffer.js';
import { describe, expect, it } from '@jest/globals';

describe('LogRingBuffer', () => {
  it('keeps text written in pieces', () => {
    const log = new LogRingBuffer(64);

    log.append('hello ');
    log.append(Buffer.from('world\n'));

    expect(log.text()).toBe('hello world\n');
    expect(log.totalBytes).toBe(12);
  });

  it('holds a character split across chunks', () => {
    const log = new LogRingBuffer(64);
    const bytes = Buffer.from('a€b🙂c');

    for (const byte of bytes) {
      log.append(Buffer.from([byte]));
      expect(log.text()).not.toContain('\uFFFD');
    }

    expect(log.text()).toBe('a€b🙂c');
  });

  it('drops whole characters when it wraps', () => {
    const log = new LogRingBuffer(8);

    // 'é' is 2 bytes, so 5 of them are 10 bytes: the oldest must go whole, never half.
    log.append('ééééé');

    expect(log.text()).toBe('éééé');

    log.append('x');

    expect(log.text()).toBe('éééx');
    expect(log.text()).not.toContain('\uFFFD');
  });

  it('keeps the newest bytes of a chunk larger than the capacity', () => {
    const log = new LogRingBuffer(5);

    log.append('0123456789');

    expect(log.text()).toBe('56789');
    expect(log.totalBytes).toBe(10);
  });

  it('returns the last lines', () => {
    const log = new LogRingBuffer(1024);

    log.append('one\ntwo\nthree\nfour\n');

    expect(log.tailLines(2)).toBe('three\nfour');
    expect(log.tailLines(10)).toBe('one\ntwo\nthree\nfour');
  });

  it('reads what arrived since a cursor and counts the loss', () => {
    const log = new LogRingBuffer(8);

    log.append('abc');

    const first = log.readSince(0);

    expect(first).toEqual({ text: 'abc', cursor: 3, dropped: 0 });

    log.append('defghijkl');

    const second = log.readSince(first.cursor);

    expect(second.text).toBe('efghijkl');
    expect(second.dropped).toBe(1);
    expect(second.cursor).toBe(12);
  });

  it('rejects a capacity below 4 bytes', () => {
    expect(() => new LogRingBuffer(3)).toThrow('capacityBytes 3');
  });
});
