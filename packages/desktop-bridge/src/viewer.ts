import { CloseCode, ErrorCode, MAX_ERROR_TEXT_BYTES, encodeMessage } from '@deskvm/stream-protocol';
import type { WebSocket } from 'ws';

import type { CachedFrame } from './gop-cache.js';
import { silentLogger, type Logger } from './logger.js';
import { RateLimiter } from './rate-limiter.js';
import type { EncodedConfiguration } from './stream-configuration.js';

/** Counters of one viewer, for health output and logs. */
export interface ViewerStats {
  readonly id: number;
  /** The negotiated wire format version. */
  readonly version: number;
  readonly sentFrames: number;
  readonly droppedFrames: number;
  readonly bufferedBytes: number;
  /** Error messages not sent because the viewer passed its error rate. */
  readonly suppressedErrors: number;
}

/** Send-buffer limits of one viewer, in bytes. */
export interface ViewerLimits {
  /** Send-buffer size above which video frames are skipped until the next keyframe. */
  readonly maxBufferedBytes: number;
  /**
   * Control messages (all but video) that may be queued while the send buffer is over `maxBufferedBytes`. Past this
   * backlog the viewer is closed with 4004, send buffer full.
   */
  readonly maxControlBacklogBytes: number;
}

/** How long a viewer closed for a full send buffer gets to complete the close handshake, in milliseconds. */
const CLOSE_GRACE_MS = 1000;

/**
 * One connected viewer. When the socket's send buffer passes its limit, the viewer skips ahead to the next keyframe.
 * Control messages are never skipped, but those queued while the buffer is over the limit count against a backlog
 * limit, and a viewer that passes it is closed. So a viewer that stops reading neither delays the others nor grows
 * the bridge's memory without bound.
 */
export class Viewer {
  readonly id: number;
  /** The negotiated wire format version, 1 or 2. */
  readonly version: number;
  /** The id from the viewer's ClientHello; undefined until it sends one. */
  clientId: string | undefined;
  readonly #socket: WebSocket;
  readonly #limits: ViewerLimits;
  readonly #logger: Logger;
  /** Error messages to one viewer are limited, so a flood of bad input cannot turn the bridge into an amplifier. */
  readonly #errorLimiter = new RateLimiter(10, 20);
  #waitingForKeyframe = true;
  #sentFrames = 0;
  #droppedFrames = 0;
  #suppressedErrors = 0;
  /** Bytes of control messages queued since the send buffer last was at or under `maxBufferedBytes`. */
  #controlBacklogBytes = 0;

  /**
   * @param version the negotiated wire format version
   * @param logger receives the close of a viewer whose control backlog passed its limit
   */
  constructor(id: number, version: number, socket: WebSocket, limits: ViewerLimits, logger: Logger = silentLogger) {
    this.id = id;
    this.version = version;
    this.#socket = socket;
    this.#limits = limits;
    this.#logger = logger;
  }

  /** True while the socket is open. */
  get open(): boolean {
    return this.#socket.readyState === this.#socket.OPEN;
  }

  /**
   * Sends a message that is not a video frame, such as a hello or a pong. These are never skipped, but while the send
   * buffer is over its limit they count against the control backlog, and the viewer is closed with 4004 once the
   * backlog passes its limit. Returns true when the message was queued.
   */
  sendControl(message: Uint8Array): boolean {
    if (!this.open) {
      return false;
    }

    if (this.#congested()) {
      this.#controlBacklogBytes += message.byteLength;

      if (this.#controlBacklogBytes > this.#limits.maxControlBacklogBytes) {
        this.#closeForFullBuffer();
        return false;
      }
    }

    this.#socket.send(message, { binary: true });
    return true;
  }

  /** Sends the configuration in this viewer's version: a ServerHello (version 1) or a Configuration (version 2). */
  sendConfiguration(configuration: EncodedConfiguration): void {
    this.sendControl(this.version === 1 ? configuration.serverHello : configuration.configuration);
  }

  /**
   * Sends an Error message, unless the viewer speaks version 1 (which has none) or passed its error rate of 10 per
   * second. Returns true when it was sent.
   */
  sendError(code: ErrorCode, message: string): boolean {
    if (this.version < 2) {
      return false;
    }

    if (!this.#errorLimiter.tryTake()) {
      this.#suppressedErrors += 1;
      return false;
    }

    return this.sendControl(encodeMessage({ type: 'error', code, message: truncateUtf8(message, MAX_ERROR_TEXT_BYTES) }));
  }

  /** Sends a video frame, or skips it while the viewer waits for a keyframe. Returns true when it was sent. */
  sendFrame(frame: CachedFrame): boolean {
    if (!this.open) {
      return false;
    }

    const congested = this.#congested();

    if (congested || (this.#waitingForKeyframe && !frame.keyframe)) {
      this.#waitingForKeyframe = true;
      this.#droppedFrames += 1;
      return false;
    }

    this.#waitingForKeyframe = false;
    this.#socket.send(frame.message, { binary: true });
    this.#sentFrames += 1;
    return true;
  }

  /** Makes the viewer skip to the next keyframe, for example after a pipeline restart. */
  resynchronize(): void {
    this.#waitingForKeyframe = true;
  }

  /** Closes the connection with a WebSocket close code and a short reason. */
  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  /** Returns whether the send buffer is over its limit, and resets the control backlog when it is not. */
  #congested(): boolean {
    if (this.#socket.bufferedAmount > this.#limits.maxBufferedBytes) {
      return true;
    }

    this.#controlBacklogBytes = 0;
    return false;
  }

  /**
   * Closes a viewer that stopped reading. Its close frame queues behind the unread data, so the socket is destroyed
   * if the close handshake does not complete within {@link CLOSE_GRACE_MS}, and that viewer then sees 1006.
   */
  #closeForFullBuffer(): void {
    this.#logger.warn('viewer closed: send buffer full', {
      viewerId: this.id,
      bufferedBytes: this.#socket.bufferedAmount,
      controlBacklogBytes: this.#controlBacklogBytes,
      maxControlBacklogBytes: this.#limits.maxControlBacklogBytes,
    });

    const timer = setTimeout(() => this.#socket.terminate(), CLOSE_GRACE_MS);

    timer.unref();
    this.#socket.once('close', () => clearTimeout(timer));
    this.#socket.close(CloseCode.SendBufferFull, 'send buffer full: the viewer does not read');
  }

  /** Current counters. */
  stats(): ViewerStats {
    return {
      id: this.id,
      version: this.version,
      sentFrames: this.#sentFrames,
      droppedFrames: this.#droppedFrames,
      bufferedBytes: this.#socket.bufferedAmount,
      suppressedErrors: this.#suppressedErrors,
    };
  }
}

/** Cuts a message to at most `maxBytes` of UTF-8 without splitting a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  let result = text;

  while (Buffer.byteLength(result, 'utf8') > maxBytes) {
    result = [...result].slice(0, -1).join('');
  }

  return result;
}
