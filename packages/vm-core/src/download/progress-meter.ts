import type { DownloadProgressEvent } from '../events.js';

/** Default minimum time between two progress events of one file: 250 ms. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 250;

// Weight of the newest speed sample in the moving average; 0.3 follows changes within a few seconds.
const SPEED_SMOOTHING = 0.3;

/**
 * Counts the bytes of one file and emits progress events with speed and ETA. Byte counts emit at most once per
 * interval, and status changes emit at once.
 */
export class ProgressMeter {
  private bytesDone: number;
  private status: DownloadProgressEvent['status'] = 'downloading';
  private bytesPerSecond = 0;
  private lastSampleAt = performance.now();
  private lastSampleBytes: number;
  private lastEmitAt = 0;

  constructor(
    private readonly file: string,
    private readonly bytesTotal: number,
    initialBytes: number,
    private readonly emit: (event: DownloadProgressEvent) => void,
    private readonly intervalMs = DEFAULT_PROGRESS_INTERVAL_MS,
  ) {
    this.bytesDone = initialBytes;
    this.lastSampleBytes = initialBytes;
  }

  /** Bytes counted so far. */
  get done(): number {
    return this.bytesDone;
  }

  /** Adds bytes written and emits an event when the interval has passed. */
  add(bytes: number): void {
    this.bytesDone += bytes;

    const now = performance.now();

    if (now - this.lastEmitAt >= this.intervalMs) {
      this.sample(now);
      this.publish(now);
    }
  }

  /** Sets the byte count, for a download that restarts from zero. */
  reset(bytes: number): void {
    this.bytesDone = bytes;
    this.lastSampleBytes = bytes;
  }

  /** Changes the status and emits an event at once. */
  setStatus(status: DownloadProgressEvent['status']): void {
    this.status = status;
    this.publish(performance.now());
  }

  private sample(now: number): void {
    const seconds = (now - this.lastSampleAt) / 1000;

    if (seconds <= 0) {
      return;
    }

    const speed = Math.max(0, this.bytesDone - this.lastSampleBytes) / seconds;

    this.bytesPerSecond = this.bytesPerSecond === 0 ? speed : SPEED_SMOOTHING * speed + (1 - SPEED_SMOOTHING) * this.bytesPerSecond;
    this.lastSampleAt = now;
    this.lastSampleBytes = this.bytesDone;
  }

  private publish(now: number): void {
    this.lastEmitAt = now;

    const left = Math.max(0, this.bytesTotal - this.bytesDone);
    const etaSeconds = this.bytesPerSecond > 0 ? left / this.bytesPerSecond : undefined;

    this.emit({
      type: 'download-progress',
      file: this.file,
      status: this.status,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      bytesPerSecond: Math.round(this.bytesPerSecond),
      ...(etaSeconds === undefined ? {} : { etaSeconds: Math.round(etaSeconds * 10) / 10 }),
    });
  }
}
