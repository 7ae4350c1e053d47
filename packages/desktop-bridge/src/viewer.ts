import { ErrorCode, MAX_ERROR_TEXT_BYTES, encodeMessage } from '@deskvm/stream-protocol';
import type { WebSocket } from 'ws';

import type { CachedFrame } from './gop-cache.js';
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

/**
 * One connected viewer. When the socket's send buffer passes its limit, the viewer skips ahead to the next keyframe.
 * So a slow viewer neither delays the others nor grows the bridge's memory.
 */
export class Viewer {
  readonly id: number;
  /** The negotiated wire format version, 1 or 2. */
  readonly version: number;
  /** The id from the viewer's ClientHello; undefined until it sends one. */
  clientId: string | undefined;
  readonly #socket: WebSocket;
  readonly #maxBufferedBytes: number;
  /** Error messages to one viewer are limited, so a flood of bad input cannot turn the bridge into an amplifier. */
  readonly #errorLimiter = new RateLimiter(10, 20);
  #waitingForKeyframe = true;
  #sentFrames = 0;
  #droppedFrames = 0;
  #suppressedErrors = 0;

  /**
   * @param version the negotiated wire format version
   * @param maxBufferedBytes send-buffer size above which frames are skipped until the next keyframe
   */
  constructor(id: number, version: number, socket: WebSocket, maxBufferedBytes: number) {
    this.id = id;
    this.version = version;
    this.#socket = socket;
    this.#maxBufferedBytes = maxBufferedBytes;
  }

  /** True while the socket is open. */
  get open(): boolean {
    return this.#socket.readyState === this.#socket.OPEN;
  }

  /** Sends a message that is not a video frame, such as a hello or a pong; these are never skipped. */
  sendControl(message: Uint8Array): void {
    if (this.open) {
      this.#socket.send(message, { binary: true });
    }
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

    this.sendControl(encodeMessage({ type: 'error', code, message: truncateUtf8(message, MAX_ERROR_TEXT_BYTES) }));
    return true;
  }

  /** Sends a video frame, or skips it while the viewer waits for a keyframe. Returns true when it was sent. */
  sendFrame(frame: CachedFrame): boolean {
    if (!this.open) {
      return false;
    }

    const congested = this.#socket.bufferedAmount > this.#maxBufferedBytes;

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
