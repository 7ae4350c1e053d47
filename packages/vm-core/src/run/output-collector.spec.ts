import { OutputCollector } from './output-collector.js';
import { describe, expect, it } from '@jest/globals';

describe('OutputCollector', () => {
  it('keeps everything below the limit', () => {
    const collector = new OutputCollector(16);

    collector.append(Buffer.from('abc'));
    collector.append(Buffer.from('def'));

    expect(collector.toString()).toBe('abcdef');
  });

  it('keeps the latest bytes of ASCII output', () => {
    const collector = new OutputCollector(4);

    collector.append(Buffer.from('0123'));
    collector.append(Buffer.from('456789'));

    expect(collector.toString()).toBe('6789');
  });

  // With one byte per chunk, the rest of a cut character sits in later chunks than the cut.
  it('drops a cut character spread over chunks', () => {
    const collector = new OutputCollector(6);

    for (const byte of Buffer.from('a😀b😀')) {
      collector.append(Buffer.from([byte]));
      expect(collector.toString().startsWith('\uFFFD')).toBe(false);
    }

    expect(collector.toString()).toBe('b😀');
  });

  it('keeps nothing with a limit of 0', () => {
    const collector = new OutputCollector(0);

    collector.append(Buffer.from('é✓😀'));

    expect(collector.toString()).toBe('');
  });
});
