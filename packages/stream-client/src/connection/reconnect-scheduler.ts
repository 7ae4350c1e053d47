import { silentLogger, type Logger } from '../logger.js';
import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import { isTerminalCloseCode } from './close-codes.js';

/** The part of `Document` that the scheduler watches: hidden tabs wait for `visibilitychange` before reconnecting. */
export interface VisibilitySource {
  readonly visibilityState: DocumentVisibilityState;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/** Options of `ReconnectScheduler`. */
export interface ReconnectSchedulerOptions extends BackoffOptions {
  /** Opens a new connection. Called once per attempt. */
  connect: () => void;
  /** Largest number of attempts in a row without a frame shown; then `onGiveUp` runs. Default: no limit. */
  maxAttempts?: number;
  /** Called when `maxAttempts` attempts in a row failed. */
  onGiveUp?: () => void;
  /** Visibility of the page. Default: `globalThis.document`, or always visible outside a browser. */
  visibility?: VisibilitySource;
  /** Logger for scheduled attempts. Default: silent. */
  logger?: Logger;
}

/** The outcome of `handleClose`. */
export type ReconnectDecision = 'scheduled' | 'waiting-for-visible' | 'terminal' | 'gave-up' | 'stopped';

/**
 * Decides when to reconnect after a connection closes, with capped exponential backoff and full jitter. While the
 * page is hidden no attempt runs, and the pending one starts when the page becomes visible. A close code that means a
 * new connection would fail the same way ends reconnecting. The attempt counter goes back to 0 only when `frameShown()` reports a picture,
 * so a server that accepts connections and then drops them before any video still backs off.
 */
export class ReconnectScheduler {
  private readonly logger: Logger;
  private readonly visibility: VisibilitySource | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waitingForVisible = false;
  private attempts = 0;
  private stopped = false;

  private readonly handleVisibilityChange = (): void => {
    if (!this.waitingForVisible || this.visibility?.visibilityState !== 'visible') {
      return;
    }

    this.waitingForVisible = false;
    this.schedule();
  };

  constructor(private readonly options: ReconnectSchedulerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.visibility = options.visibility ?? (typeof document === 'undefined' ? undefined : document);
    this.visibility?.addEventListener('visibilitychange', this.handleVisibilityChange);
  }

  /** Reconnect attempts in a row since the last frame shown. */
  get attempt(): number {
    return this.attempts;
  }

  /** Schedules the next attempt after a close with `closeCode`, unless that code or the state rules it out. */
  handleClose(closeCode: number): ReconnectDecision {
    if (this.stopped) {
      return 'stopped';
    }

    if (isTerminalCloseCode(closeCode)) {
      this.logger.info('Not reconnecting after this close code', { closeCode });
      this.stop();
      return 'terminal';
    }

    if (this.options.maxAttempts !== undefined && this.attempts >= this.options.maxAttempts) {
      this.logger.warn('Giving up reconnecting', { attempts: this.attempts });
      this.stop();
      this.options.onGiveUp?.();
      return 'gave-up';
    }

    if (this.visibility?.visibilityState === 'hidden') {
      this.waitingForVisible = true;
      return 'waiting-for-visible';
    }

    this.schedule();
    return 'scheduled';
  }

  /** Resets the attempt counter: call it when a picture reached the screen on the current connection. */
  frameShown(): void {
    this.attempts = 0;
  }

  /** Cancels a pending attempt and stops watching visibility. Later closes schedule nothing. */
  stop(): void {
    this.stopped = true;
    this.waitingForVisible = false;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.visibility?.removeEventListener('visibilitychange', this.handleVisibilityChange);
  }

  private schedule(): void {
    if (this.timer !== undefined) {
      return;
    }

    const delayMs = backoffDelayMs(this.attempts, this.options);
    this.attempts += 1;
    this.logger.info('Reconnecting', { attempt: this.attempts, delayMs });

    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) {
        return;
      }
      if (this.visibility?.visibilityState === 'hidden') {
        this.waitingForVisible = true;
        return;
      }
      this.options.connect();
    }, delayMs);
  }
}
