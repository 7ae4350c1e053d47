import { StreamClientError, toStreamClientError } from '../errors.js';
import type { Logger } from '../logger.js';

/** One operation on a `SourceBuffer`; they run strictly one after the other. */
export type BufferOperation =
  | { kind: 'append'; data: Uint8Array }
  | { kind: 'changeType'; mimeType: string }
  | { kind: 'remove'; start: number; end: number };

/** A time range in seconds. */
export interface TimeRange {
  start: number;
  end: number;
}

/** Callbacks and settings of `SourceBufferQueue`. */
export interface SourceBufferQueueOptions {
  /** Called after each append or remove completes (`updateend`). */
  onUpdateEnd: () => void;
  /** Called once when the queue fails; it runs no operation afterwards. */
  onError: (error: StreamClientError) => void;
  /** Returns a range to remove after a QuotaExceededError, or `undefined` when nothing can go. */
  freeSpace: () => TimeRange | undefined;
  logger: Logger;
}

// Appends queued behind a busy SourceBuffer are merged into one call up to this size, so a backlog (after the main
// thread was blocked) costs few round trips through the media pipeline.
const MAX_MERGED_APPEND_BYTES = 4 * 1024 * 1024;

// After this many QuotaExceededErrors in a row for the same data, the queue gives up.
const MAX_QUOTA_RETRIES = 3;

/**
 * Runs appends, removes and `changeType()` calls on a `SourceBuffer` one at a time, waiting for `updateend` between
 * them. Operations queued before `attach()` wait for the SourceBuffer.
 */
export class SourceBufferQueue {
  private readonly operations: BufferOperation[] = [];
  private sourceBuffer: SourceBuffer | undefined;
  private failed = false;
  private quotaRetries = 0;

  constructor(private readonly options: SourceBufferQueueOptions) {}

  /** Number of operations waiting to run. */
  get pending(): number {
    return this.operations.length;
  }

  /** Starts running operations on `sourceBuffer`. */
  attach(sourceBuffer: SourceBuffer): void {
    this.sourceBuffer = sourceBuffer;

    sourceBuffer.addEventListener('updateend', () => {
      this.options.onUpdateEnd();
      this.run();
    });
    sourceBuffer.addEventListener('error', () => {
      this.fail(new StreamClientError('CLIENT_ERR_APPEND_FAILED', 'The SourceBuffer rejected appended data.'));
    });

    this.run();
  }

  /** Adds an operation at the end of the queue and starts it if the SourceBuffer is idle. */
  enqueue(operation: BufferOperation): void {
    if (this.failed) {
      return;
    }

    this.operations.push(operation);
    this.run();
  }

  /** Drops every waiting operation. */
  clear(): void {
    this.operations.length = 0;
  }

  private run(): void {
    const sourceBuffer = this.sourceBuffer;

    while (!this.failed && sourceBuffer !== undefined && !sourceBuffer.updating && this.operations.length > 0) {
      const operation = this.mergeAppends(this.operations.shift() as BufferOperation);

      try {
        this.perform(sourceBuffer, operation);
      } catch (error) {
        this.handleFailure(operation, error);
        return;
      }

      // changeType() completes synchronously; appends and removes finish with updateend.
      if (operation.kind !== 'changeType') {
        if (operation.kind === 'append') {
          this.quotaRetries = 0;
        }
        return;
      }
    }
  }

  private mergeAppends(first: BufferOperation): BufferOperation {
    if (first.kind !== 'append') {
      return first;
    }

    const parts = [first.data];
    let size = first.data.length;
    while (this.operations[0]?.kind === 'append' && size + this.operations[0].data.length <= MAX_MERGED_APPEND_BYTES) {
      const next = this.operations.shift() as { kind: 'append'; data: Uint8Array };
      parts.push(next.data);
      size += next.data.length;
    }

    if (parts.length === 1) {
      return first;
    }

    const merged = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) {
      merged.set(part, offset);
      offset += part.length;
    }

    return { kind: 'append', data: merged };
  }

  private perform(sourceBuffer: SourceBuffer, operation: BufferOperation): void {
    if (operation.kind === 'append') {
      sourceBuffer.appendBuffer(operation.data as Uint8Array<ArrayBuffer>);
    } else if (operation.kind === 'remove') {
      sourceBuffer.remove(operation.start, operation.end);
    } else {
      sourceBuffer.changeType(operation.mimeType);
    }
  }

  private handleFailure(operation: BufferOperation, error: unknown): void {
    const quotaExceeded = error instanceof Error && error.name === 'QuotaExceededError';

    if (quotaExceeded && operation.kind === 'append' && this.quotaRetries < MAX_QUOTA_RETRIES) {
      const range = this.options.freeSpace();
      if (range !== undefined) {
        this.quotaRetries += 1;
        this.options.logger.warn('SourceBuffer is full; removing played media and retrying the append', {
          removeStart: range.start,
          removeEnd: range.end,
          bytes: operation.data.length,
        });
        this.operations.unshift({ kind: 'remove', ...range }, operation);
        this.run();
        return;
      }
    }

    if (quotaExceeded) {
      this.fail(
        toStreamClientError(
          error,
          'CLIENT_ERR_BUFFER_FULL',
          `SourceBuffer quota exceeded for ${operation.kind === 'append' ? operation.data.length : 0} bytes and no ` +
            'played media can be removed; the server must send keyframes more often',
        ),
      );
      return;
    }

    this.fail(toStreamClientError(error, 'CLIENT_ERR_APPEND_FAILED', `SourceBuffer ${operation.kind} failed`));
  }

  private fail(error: StreamClientError): void {
    if (this.failed) {
      return;
    }

    this.failed = true;
    this.operations.length = 0;
    this.options.onError(error);
  }
}
