import {
  ErrorCode,
  StreamError,
  decodeClientMessage,
  encodeMessage,
  type ClientMessage,
  type Touch,
} from '@deskvm/stream-protocol';

import { describeError } from './describe-error.js';
import type { DesktopControl } from './desktop-control.js';
import type { Logger } from './logger.js';
import { RateLimiter } from './rate-limiter.js';
import type { StreamHub } from './stream-hub.js';
import type { Viewer } from './viewer.js';
import { WheelAccumulator } from './wheel-accumulator.js';

/** Limits on what one viewer may send. */
export interface ClientLimits {
  /** Largest message, in bytes. */
  readonly maxMessageBytes: number;
  /** Input messages (pointer, wheel, key, touch) per second, with a burst of half a second's worth. */
  readonly inputPerSecond: number;
  /** Ping messages per second, with a burst of half a second's worth. */
  readonly pingsPerSecond: number;
  /** Minimum time between two keyframe requests that are served, in milliseconds. */
  readonly keyframeIntervalMs: number;
}

/** The bridge state that a {@link ClientMessageHandler} acts on. */
export interface ClientContext {
  readonly hub: StreamHub;
  readonly desktop: DesktopControl | undefined;
  readonly logger: Logger;
  readonly limits: ClientLimits;
  /** Called for a ClientHello; closes older viewers with the same id. */
  readonly claimClientId: (viewer: Viewer, clientId: string) => void;
  /** Called for a resize request; restarts the pipeline at the new size. */
  readonly resize: (viewer: Viewer, width: number, height: number) => void;
  /** Maps a position in stream pixels onto desktop pixels. */
  readonly toDesktop: (x: number, y: number) => { x: number; y: number };
}

const INPUT_TYPES = new Set(['pointer-move', 'pointer-relative', 'pointer-button', 'wheel', 'key', 'touch']);

/**
 * Decodes and acts on the messages of one version 2 viewer. Bad messages get an Error message and never close the
 * connection; input past the rate limit is dropped with an Error message. Failures of the desktop are logged and
 * reported to the viewer, and never thrown into the socket's event handler.
 */
export class ClientMessageHandler {
  readonly #viewer: Viewer;
  readonly #context: ClientContext;
  readonly #inputLimiter: RateLimiter;
  readonly #pingLimiter: RateLimiter;
  readonly #wheel = new WheelAccumulator();
  #lastKeyframeRequestAt = Number.NEGATIVE_INFINITY;
  #touchId: number | undefined;
  #invalidMessages = 0;
  #droppedInput = 0;
  #droppedPings = 0;

  constructor(viewer: Viewer, context: ClientContext) {
    this.#viewer = viewer;
    this.#context = context;
    this.#inputLimiter = new RateLimiter(context.limits.inputPerSecond, Math.max(1, context.limits.inputPerSecond / 2));
    this.#pingLimiter = new RateLimiter(context.limits.pingsPerSecond, Math.max(1, context.limits.pingsPerSecond / 2));
  }

  /** Counters for the leave log line. */
  stats(): { invalidMessages: number; droppedInput: number; droppedPings: number } {
    return { invalidMessages: this.#invalidMessages, droppedInput: this.#droppedInput, droppedPings: this.#droppedPings };
  }

  /** Handles one WebSocket message. It never throws. */
  handle(data: Uint8Array, isBinary: boolean): void {
    let message: ClientMessage;

    try {
      if (!isBinary) {
        throw new StreamError('STREAM_ERR_INVALID_FIELD', 'Invalid message: a text frame; the stream takes binary frames only.');
      }

      message = decodeClientMessage(data, { maxBytes: this.#context.limits.maxMessageBytes });
    } catch (error) {
      this.#rejectInvalid(error);
      return;
    }

    if (INPUT_TYPES.has(message.type) && !this.#inputLimiter.tryTake()) {
      this.#droppedInput += 1;
      this.#viewer.sendError(
        ErrorCode.RateLimited,
        `Input rate limit of ${this.#context.limits.inputPerSecond} messages per second reached: ` +
          `${this.#droppedInput} input messages dropped so far.`,
      );
      return;
    }

    // Each Pong is queued for the viewer, so unlimited Pings would let a viewer fill the bridge's send buffer.
    if (message.type === 'ping' && !this.#pingLimiter.tryTake()) {
      this.#droppedPings += 1;
      this.#viewer.sendError(
        ErrorCode.RateLimited,
        `Ping rate limit of ${this.#context.limits.pingsPerSecond} messages per second reached: ` +
          `${this.#droppedPings} pings dropped so far.`,
      );
      return;
    }

    try {
      this.#dispatch(message);
    } catch (error) {
      this.#context.logger.error('viewer message handling failed', { viewerId: this.#viewer.id, type: message.type, ...describeError(error) });
      this.#viewer.sendError(ErrorCode.InvalidMessage, `The ${message.type} message could not be handled: ${describeError(error).error}`);
    }
  }

  #rejectInvalid(error: unknown): void {
    this.#invalidMessages += 1;

    const description = describeError(error);

    if (isLogWorthy(this.#invalidMessages)) {
      this.#context.logger.warn('invalid viewer message', {
        viewerId: this.#viewer.id,
        invalidMessages: this.#invalidMessages,
        ...description,
      });
    }

    const code = description.code === 'STREAM_ERR_WRONG_DIRECTION' ? ErrorCode.UnexpectedMessage : ErrorCode.InvalidMessage;

    this.#viewer.sendError(code, description.error);
  }

  #dispatch(message: ClientMessage): void {
    const { hub, desktop } = this.#context;

    switch (message.type) {
      case 'client-hello':
        this.#claim(message.clientId);
        return;
      case 'keyframe-request':
        this.#requestKeyframe();
        return;
      case 'ping':
        this.#viewer.sendControl(
          encodeMessage({
            type: 'pong',
            id: message.id,
            clientTimeUs: message.clientTimeUs,
            serverTimeUs: BigInt(Date.now()) * 1000n,
            encoderLatencyUs: hub.encoderLatencyUs,
          }),
        );
        return;
      case 'pointer-move': {
        const point = this.#context.toDesktop(message.x, message.y);

        this.#input('pointer', desktop?.pointerMove?.bind(desktop), point.x, point.y);
        return;
      }
      case 'pointer-relative':
        this.#input('pointer', desktop?.pointerRelative?.bind(desktop), message.dx, message.dy);
        return;
      case 'pointer-button':
        this.#input('pointer button', desktop?.pointerButton?.bind(desktop), message.button, message.pressed);
        return;
      case 'wheel': {
        const notches = this.#wheel.add(message.deltaX, message.deltaY);

        if (notches.x !== 0 || notches.y !== 0) {
          this.#input('wheel', desktop?.wheel?.bind(desktop), notches.x, notches.y);
        }

        return;
      }
      case 'key':
        this.#input('key', desktop?.key?.bind(desktop), {
          code: message.code,
          key: message.key,
          pressed: message.pressed,
          modifiers: message.modifiers,
        });
        return;
      case 'touch':
        this.#touch(message);
        return;
      case 'client-clipboard':
        this.#run(ErrorCode.ClipboardFailed, 'clipboard', desktop?.setClipboard?.bind(desktop), message.text);
        return;
      case 'resize-request':
        this.#context.resize(this.#viewer, message.width, message.height);
        return;
      case 'client-stats':
        this.#context.logger.debug('viewer stats', { viewerId: this.#viewer.id, ...message });
        return;
    }
  }

  #claim(clientId: string): void {
    if (this.#viewer.clientId !== undefined) {
      this.#viewer.sendError(ErrorCode.UnexpectedMessage, 'Unexpected ClientHello: this connection already sent one.');
      return;
    }

    this.#context.claimClientId(this.#viewer, clientId);
  }

  #requestKeyframe(): void {
    const now = performance.now();

    if (now - this.#lastKeyframeRequestAt < this.#context.limits.keyframeIntervalMs) {
      this.#viewer.sendError(
        ErrorCode.RateLimited,
        `Keyframe request ignored: at most one per ${this.#context.limits.keyframeIntervalMs} ms.`,
      );
      return;
    }

    this.#lastKeyframeRequestAt = now;

    const response = this.#context.hub.requestKeyframe(this.#viewer);

    this.#context.logger.debug('keyframe request', { viewerId: this.#viewer.id, response });
  }

  /** Maps the first touch point onto the pointer and the main button, because XTEST has no touch events. */
  #touch(touch: Touch): void {
    const desktop = this.#context.desktop;
    const point = this.#context.toDesktop(touch.x, touch.y);

    if (this.#touchId === undefined && touch.phase === 0) {
      this.#touchId = touch.id;
      this.#input('touch', desktop?.pointerMove?.bind(desktop), point.x, point.y);
      this.#input('touch', desktop?.pointerButton?.bind(desktop), 0, true);
      return;
    }

    if (touch.id !== this.#touchId) {
      return;
    }

    this.#input('touch', desktop?.pointerMove?.bind(desktop), point.x, point.y);

    if (touch.phase === 2 || touch.phase === 3) {
      this.#touchId = undefined;
      this.#input('touch', desktop?.pointerButton?.bind(desktop), 0, false);
    }
  }

  #input<Args extends unknown[]>(label: string, action: ((...args: Args) => Promise<void>) | undefined, ...args: Args): void {
    this.#run(ErrorCode.InputFailed, label, action, ...args);
  }

  /** Runs a desktop action; reports a missing capability or a failure to the viewer and the log. */
  #run<Args extends unknown[]>(
    code: ErrorCode,
    label: string,
    action: ((...args: Args) => Promise<void>) | undefined,
    ...args: Args
  ): void {
    if (action === undefined) {
      this.#viewer.sendError(code, `Unsupported ${label} message: this server has no desktop ${label} control.`);
      return;
    }

    action(...args).catch((error: unknown) => {
      this.#context.logger.warn(`desktop ${label} failed`, { viewerId: this.#viewer.id, ...describeError(error) });
      this.#viewer.sendError(code, `The desktop ${label} action failed: ${describeError(error).error}`);
    });
  }
}

/** True for the 1st, 10th, 100th, ... occurrence, so a flood of the same event cannot flood the log. */
function isLogWorthy(count: number): boolean {
  return Number.isInteger(Math.log10(count));
}
