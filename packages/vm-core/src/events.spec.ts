import { from, lastValueFrom, toArray } from 'rxjs';
import { jsonLines, toJsonLine, type VmEvent } from './events.js';
import { describe, expect, it } from '@jest/globals';

describe('events', () => {
  it('serialises an event as one JSON line', () => {
    const line = toJsonLine(
      { type: 'stage', vm: 'default', stage: 'engine', status: 'passed', elapsedMs: 12 },
      new Date('2026-12-04T12:00:00.000Z'),
    );

    expect(line).toBe(
      '{"time":"2026-12-04T12:00:00.000Z","type":"stage","vm":"default","stage":"engine","status":"passed","elapsedMs":12}\n',
    );
  });

  it('escapes newlines inside values', () => {
    const line = toJsonLine({ type: 'log', vm: 'default', source: 'console', line: 'a\nb' });

    expect(line.split('\n')).toHaveLength(2);
    expect(JSON.parse(line).line).toBe('a\nb');
  });

  it('maps an event stream to JSON lines', async () => {
    const events: VmEvent[] = [
      { type: 'state', vm: 'default', state: { state: 'stopped', exists: true } },
      { type: 'state', vm: 'default', state: { state: 'starting', stage: 'boot', pid: 42 } },
    ];

    const lines = await lastValueFrom(from(events).pipe(jsonLines(), toArray()));

    expect(lines.map((line) => JSON.parse(line).state)).toEqual([
      { state: 'stopped', exists: true },
      { state: 'starting', stage: 'boot', pid: 42 },
    ]);
  });
});
