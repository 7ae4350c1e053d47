import { describe, expect, it } from '@jest/globals';
import { AsyncQueue } from './async-queue.js';

function queueWithEvents(highWaterMark = 2): { queue: AsyncQueue<number>; events: string[] } {
  const events: string[] = [];
  const queue = new AsyncQueue<number>({
    highWaterMark,
    onFull: () => events.push('full'),
    onDrain: () => events.push('drain'),
  });

  return { queue, events };
}

describe('AsyncQueue', () => {
  it('items in order', async () => {
    const { queue } = queueWithEvents();
    queue.push(1);
    queue.push(2);

    const first = await queue.next();
    const second = await queue.next();

    expect(first).toEqual({ value: 1, done: false });
    expect(second).toEqual({ value: 2, done: false });
  });

  it('waiting consumer receives push', async () => {
    const { queue } = queueWithEvents();
    const pending = queue.next();

    queue.push(7);

    await expect(pending).resolves.toEqual({ value: 7, done: false });
  });

  it('end after queued items', async () => {
    const { queue } = queueWithEvents();
    queue.push(1);
    queue.end();

    const first = await queue.next();
    const last = await queue.next();

    expect(first.value).toBe(1);
    expect(last.done).toBe(true);
  });

  it('error after queued items, once', async () => {
    const { queue } = queueWithEvents();
    const error = new Error('boom');
    queue.push(1);
    queue.fail(error);

    const first = await queue.next();
    const failed = queue.next();

    expect(first.value).toBe(1);
    await expect(failed).rejects.toBe(error);
    await expect(queue.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('error wakes waiting consumer', async () => {
    const { queue } = queueWithEvents();
    const pending = queue.next();

    queue.fail(new Error('gone'));

    await expect(pending).rejects.toThrow('gone');
  });

  it('push after end is dropped', async () => {
    const { queue } = queueWithEvents();
    queue.end();

    queue.push(1);

    expect(queue.length).toBe(0);
  });

  it('full and drain events', async () => {
    const { queue, events } = queueWithEvents(2);

    queue.push(1);
    queue.push(2);
    queue.push(3);
    await queue.next();
    await queue.next();

    expect(events).toEqual(['full', 'drain']);
  });

  it('removeLimit drains', () => {
    const { queue, events } = queueWithEvents(1);
    queue.push(1);

    queue.removeLimit();
    queue.push(2);

    expect(events).toEqual(['full', 'drain']);
    expect(queue.length).toBe(2);
  });

  it('concurrent next calls in order', async () => {
    const { queue } = queueWithEvents();
    const first = queue.next();
    const second = queue.next();

    queue.push(1);
    queue.push(2);

    await expect(first).resolves.toEqual({ value: 1, done: false });
    await expect(second).resolves.toEqual({ value: 2, done: false });
  });

  it('end wakes every waiting call', async () => {
    const { queue } = queueWithEvents();
    const first = queue.next();
    const second = queue.next();

    queue.fail(new Error('gone'));

    await expect(first).rejects.toThrow('gone');
    await expect(second).resolves.toEqual({ value: undefined, done: true });
  });
});
