/** Callbacks that let a producer follow the queue's fill level. */
export interface AsyncQueueOptions {
  /** Queue length at which `onFull` is called; the producer should pause. */
  highWaterMark: number;
  /** Called once when the queue reaches `highWaterMark`. */
  onFull(): void;
  /** Called once when a full queue drops below `highWaterMark` again. */
  onDrain(): void;
}

/**
 * A single-consumer queue between a push-based producer (stream events) and a pull-based consumer (`for await`). The
 * producer ends it with `end()` or `fail(error)`; the consumer receives the queued items first and then the end or
 * the error.
 */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<{ resolve(result: IteratorResult<T>): void; reject(error: unknown): void }> = [];
  private ended = false;
  private error?: unknown;
  private full = false;
  private highWaterMark: number;

  constructor(private readonly options: AsyncQueueOptions) {
    this.highWaterMark = options.highWaterMark;
  }

  /** Number of queued items. */
  get length(): number {
    return this.items.length;
  }

  /** Adds an item, or drops it when the queue has already ended. */
  push(item: T): void {
    if (this.ended) {
      return;
    }

    const waiting = this.waiting.shift();

    if (waiting) {
      waiting.resolve({ value: item, done: false });
      return;
    }

    this.items.push(item);

    if (!this.full && this.items.length >= this.highWaterMark) {
      this.full = true;
      this.options.onFull();
    }
  }

  /** Lets the queue grow without limit from now on, and calls `onDrain` if the producer is paused. */
  removeLimit(): void {
    this.highWaterMark = Number.POSITIVE_INFINITY;
    this.drainIfBelowLimit();
  }

  /** Ends the queue after the items already in it. */
  end(): void {
    this.finish(undefined);
  }

  /** Ends the queue with an error, delivered after the items already in it. The first end or error wins. */
  fail(error: unknown): void {
    this.finish(error);
  }

  /** Returns the next item, waiting for one when the queue is empty. Concurrent calls receive items in call order. */
  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      const value = this.items.shift() as T;
      this.drainIfBelowLimit();
      return Promise.resolve({ value, done: false });
    }

    if (this.ended) {
      return this.error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(this.takeError());
    }

    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
    });
  }

  private finish(error: unknown): void {
    if (this.ended) {
      return;
    }

    this.ended = true;
    this.error = error;

    // The first waiting call receives the error, and any others the end, as after a throw from an iterator.
    for (const waiting of this.waiting.splice(0)) {
      if (this.error === undefined) {
        waiting.resolve({ value: undefined, done: true });
      } else {
        waiting.reject(this.takeError());
      }
    }
  }

  /** Returns the error once; later calls see a clean end, as an iterator that has thrown is finished. */
  private takeError(): unknown {
    const error = this.error;
    this.error = undefined;

    return error;
  }

  private drainIfBelowLimit(): void {
    if (this.full && this.items.length < this.highWaterMark) {
      this.full = false;
      this.options.onDrain();
    }
  }
}
