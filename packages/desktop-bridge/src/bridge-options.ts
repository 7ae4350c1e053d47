import type { DesktopControl } from './desktop-control.js';
import type { FrameSourceFactory } from './frame-source.js';
import type { RequestHandler } from './http-routes.js';
import type { Logger } from './logger.js';
import type { FrameRate } from './stream-configuration.js';

/** Settings of `startBridge`. */
export interface BridgeOptions {
  /** Session token that viewers must present; at least 16 characters. Never logged. */
  readonly token: string;
  /** Starts the encoder, for example `gstreamerSource`. Called again for every restart, so it may read the desktop size. */
  readonly source: FrameSourceFactory;
  /** Frame rate announced to viewers. */
  readonly frameRate: FrameRate;
  /** Input, clipboard and resize for viewers. Default none: the hello announces no capability. */
  readonly desktop?: DesktopControl;
  /** Address to listen on. Default '127.0.0.1'; anything else exposes the desktop to the network. */
  readonly host?: string;
  /** TCP port; default 0, which picks a free port. */
  readonly port?: number;
  /** Origins allowed to open the stream besides the bridge's own, as `scheme://host:port`. Default none. */
  readonly allowedOrigins?: readonly string[];
  /** Send-buffer size per viewer above which it skips to the next keyframe, in bytes. Default 2 MiB. */
  readonly maxBufferedBytes?: number;
  /**
   * Control messages (every message but video) that may be queued for a viewer while its send buffer is over
   * `maxBufferedBytes`, in bytes. A viewer that passes it has stopped reading and is closed with 4004. Default
   * 2 MiB, room for the largest clipboard message and the small messages around it.
   */
  readonly maxControlBacklogBytes?: number;
  /**
   * Largest message accepted from a viewer, in bytes; a larger one closes the connection with 1009. Default
   * 1048592 (1 MiB and 16 bytes), enough for the largest clipboard message.
   */
  readonly maxMessageBytes?: number;
  /** Input messages accepted per viewer per second; the excess is dropped with an error message. Default 1000. */
  readonly inputPerSecond?: number;
  /**
   * Ping messages replied to per viewer per second; the excess is dropped with an error message. Default 20, ten
   * times what stream-client sends by default (one every 2 s).
   */
  readonly pingsPerSecond?: number;
  /** Minimum time between two served keyframe requests of one viewer, in milliseconds. Default 1000. */
  readonly keyframeIntervalMs?: number;
  /** How often version 2 viewers get a ServerStats message, in milliseconds. Default 1000. */
  readonly statsIntervalMs?: number;
  /** How long the pipeline keeps running after the last viewer left, in milliseconds. Default 60000. */
  readonly idleStopMs?: number;
  /** First restart delay after a pipeline failure, in milliseconds; it doubles per failure in a row. Default 500. */
  readonly restartDelayMs?: number;
  /** Maximum restart delay, in milliseconds. Default 10000. */
  readonly maxRestartDelayMs?: number;
  /** A pipeline that delivers no access unit for this long is restarted, in milliseconds. Default 10000. */
  readonly stallTimeoutMs?: number;
  /** Pipeline failures within `circuitWindowMs` after which restarts stop for `circuitOpenMs`. Default 5. */
  readonly circuitFailures?: number;
  /** Window for `circuitFailures`, in milliseconds. Default 60000. */
  readonly circuitWindowMs?: number;
  /** How long restarts stop once the circuit breaker opened, in milliseconds. Default 30000. */
  readonly circuitOpenMs?: number;
  /**
   * Whether to add `bitstream_restriction_flag` with `max_num_reorder_frames` 0 to each SPS, so browsers show frames
   * without waiting. Default true; set false for a source that encodes B-frames.
   */
  readonly rewriteSps?: boolean;
  /** Serves requests the bridge does not handle itself, such as a viewer page. */
  readonly handleRequest?: RequestHandler;
  /** Receives starts, stops, viewer joins and leaves, restarts and errors. Default: silent. */
  readonly logger?: Logger;
}

/** Default of `BridgeOptions.maxMessageBytes`: the largest clipboard message (1 MiB of text and 5 bytes) fits. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 16;
