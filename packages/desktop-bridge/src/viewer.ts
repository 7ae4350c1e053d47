import type { WebSocket } from 'ws';

import type { CachedFrame } from './gop-cache.js';

/** Counters of one viewer, for health output and logs. */
export interface ViewerStats {
  readonly id: number;
  readonly sentFrames: number;
  readonly droppedFrames: number;
  readonly bufferedBytes: number;
}

/**
 * One connected viewer. When the socket's send buffer passes its limit, the viewer skips ahead to the next keyframe.
 * So a slow viewer neither delays the others nor grows the bridge's memory.
 */
export class Viewer {
  readonly id: number;
  readonly #socket: WebSocket;
  readonly #maxBufferedBytes: number;
  #waitingForKeyframe = true;
  #sentFrames = 0;
  #droppedFrames = 0;

  /**
   * @param maxBufferedBytes send-buffer size above which frames are skipped until the next keyframe
   */
  constructor(id: number, socket: WebSocket, maxBufferedBytes: number) {
    this.id = id;
    this.#socket = socket;
    this.#maxBufferedBytes = maxBufferedBytes;
  }

  /** Sends a message that is not a video frame, such as the server hello; these are never skipped. */
  sendControl(message: Uint8Array): void {
    if (this.#socket.readyState !== this.#socket.OPEN) {
      return;
    }
    this.#socket.send(message, { binary: true });
  }

  /** Sends a video frame, or skips it while the viewer waits for a keyframe. Returns true when it was sent. */
  sendFrame(frame: CachedFrame): boolean {
    if (this.#socket.readyState !== this.#socket.OPEN) {
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
      sentFrames: this.#sentFrames,
      droppedFrames: this.#droppedFrames,
      bufferedBytes: this.#socket.bufferedAmount,
    };
  }
}
