import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';

import { ReconnectScheduler, type VisibilitySource } from './reconnect-scheduler.js';

class FakeVisibility implements VisibilitySource {
  visibilityState: DocumentVisibilityState = 'visible';
  private readonly listeners = new Set<() => void>();

  addEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.listeners.delete(listener);
  }

  set(state: DocumentVisibilityState): void {
    this.visibilityState = state;
    for (const listener of this.listeners) {
      listener();
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

// With random() = 0.999999 each delay is just under its ceiling: 499, 999, 1999, ... ms.
function createScheduler(visibility = new FakeVisibility(), maxAttempts?: number) {
  const connect = jest.fn<() => void>();
  const onGiveUp = jest.fn<() => void>();
  const scheduler = new ReconnectScheduler({
    connect,
    onGiveUp,
    maxAttempts,
    visibility,
    random: () => 0.999_999,
    initialDelayMs: 500,
    maxDelayMs: 4000,
  });
  return { scheduler, connect, onGiveUp, visibility };
}

describe('ReconnectScheduler', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('waits the first backoff delay', () => {
    const { scheduler, connect } = createScheduler();

    expect(scheduler.handleClose(1006)).toBe('scheduled');
    jest.advanceTimersByTime(498);
    expect(connect).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);

    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('grows and caps the delays', () => {
    const { scheduler, connect } = createScheduler();
    const delays: number[] = [];

    for (let attempt = 0; attempt < 6; attempt += 1) {
      const before = Date.now();
      scheduler.handleClose(1006);
      jest.advanceTimersToNextTimer();
      delays.push(Date.now() - before);
    }

    expect(delays).toEqual([499, 999, 1999, 3999, 3999, 3999]);
    expect(connect).toHaveBeenCalledTimes(6);
  });

  it('resets the counter after a frame', () => {
    const { scheduler } = createScheduler();
    scheduler.handleClose(1006);
    jest.advanceTimersToNextTimer();
    scheduler.handleClose(1006);
    jest.advanceTimersToNextTimer();
    expect(scheduler.attempt).toBe(2);

    scheduler.frameShown();
    const before = Date.now();
    scheduler.handleClose(1006);
    jest.advanceTimersToNextTimer();

    expect(Date.now() - before).toBe(499);
    expect(scheduler.attempt).toBe(1);
  });

  it('keeps the counter when no frame was shown', () => {
    const { scheduler } = createScheduler();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      scheduler.handleClose(1006);
      jest.advanceTimersToNextTimer();
    }

    const before = Date.now();
    scheduler.handleClose(1006);
    jest.advanceTimersToNextTimer();

    expect(Date.now() - before).toBe(3999);
  });

  it.each([
    [4001, 'auth failure'],
    [4002, 'version mismatch'],
    [4003, 'superseded'],
  ])('stops after close code %i (%s)', (code) => {
    const { scheduler, connect, visibility } = createScheduler();

    expect(scheduler.handleClose(code)).toBe('terminal');
    jest.advanceTimersByTime(60_000);

    expect(connect).not.toHaveBeenCalled();
    expect(scheduler.handleClose(1006)).toBe('stopped');
    expect(visibility.listenerCount).toBe(0);
  });

  it('waits while the tab is hidden', () => {
    const visibility = new FakeVisibility();
    visibility.visibilityState = 'hidden';
    const { scheduler, connect } = createScheduler(visibility);

    expect(scheduler.handleClose(1006)).toBe('waiting-for-visible');
    jest.advanceTimersByTime(60_000);
    expect(connect).not.toHaveBeenCalled();

    visibility.set('visible');
    jest.advanceTimersByTime(499);

    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('holds a timer that fires while hidden', () => {
    const { scheduler, connect, visibility } = createScheduler();
    scheduler.handleClose(1006);
    visibility.set('hidden');
    jest.advanceTimersByTime(10_000);
    expect(connect).not.toHaveBeenCalled();

    visibility.set('visible');
    jest.advanceTimersByTime(999);

    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('gives up after maxAttempts', () => {
    const { scheduler, connect, onGiveUp } = createScheduler(new FakeVisibility(), 2);
    scheduler.handleClose(1006);
    jest.advanceTimersToNextTimer();
    scheduler.handleClose(1006);
    jest.advanceTimersToNextTimer();

    expect(scheduler.handleClose(1006)).toBe('gave-up');
    expect(connect).toHaveBeenCalledTimes(2);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
  });

  it('cancels a pending attempt on stop', () => {
    const { scheduler, connect } = createScheduler();
    scheduler.handleClose(1006);

    scheduler.stop();
    jest.advanceTimersByTime(60_000);

    expect(connect).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });
});
