import { describe, expect, it } from '@jest/globals';
import { StderrLines } from './stderr-lines.js';

describe('StderrLines', () => {
  it('joins a line split across chunks', () => {
    const lines = new StderrLines();

    expect(lines.push('first li')).toEqual([]);
    expect(lines.push('ne\nsecond\nthi')).toEqual(['first line', 'second']);
    expect(lines.push(Buffer.from('rd\n'))).toEqual(['third']);
  });
});
