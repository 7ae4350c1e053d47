import type { BackoffOptions } from '../connection/backoff.js';
import type { WebSocketConstructor } from '../connection/stream-connection.js';
import type { StreamClientError, StreamClientErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PlayerStats } from '../stats/stats-collector.js';
import type { DecodePath, PresentedFrameDetail, StreamConfiguration } from '../video-sink.js';
import type { DecodePathPreference, DecodeSurfaces } from './decode-path-choice.js';

/** Options of `DeskvmPlayer`. */
export interface DeskvmPlayerOptions {
  /** WebSocket URL of the bridge's stream endpoint, such as `ws://127.0.0.1:8080/stream`. */
  url: string;
  /** Session token. It travels only in the subprotocol list and is never logged. */
  token: string;
  /** The `<video>` (MSE path) and `<canvas>` (WebCodecs path); the player shows the one in use and hides the other. */
  surfaces: DecodeSurfaces;
  /** Decode path: `auto` (default) picks WebCodecs where `VideoDecoder.isConfigSupported` accepts the codec, else MSE. */
  decodePath?: DecodePathPreference;
  /** Reconnect after a dropped connection (default true), with these backoff settings. */
  reconnect?: boolean | (BackoffOptions & { maxAttempts?: number });
  /** Interval of `stats` events and of the stats message to the server, in ms. Default 1000. */
  statsIntervalMs?: number;
  /** Interval of pings that measure the round trip and the server clock, in ms. Default 2000. */
  pingIntervalMs?: number;
  /** Stable id of this viewer; a newer connection with the same id replaces this one. Default: none sent. */
  clientId?: string;
  /** Logger for the connection, the decode path and reconnects. Default: silent. */
  logger?: Logger;
  /** WebSocket class to use. Default: `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
}

/** Detail of the player's `error` event. */
export interface PlayerErrorDetail {
  /** A `StreamClientErrorCode`. */
  code: StreamClientErrorCode;
  message: string;
  /** True when the player stopped playing because of it; false when it recovers or reconnects on its own. */
  fatal: boolean;
  error: StreamClientError;
}

/** Detail of the player's `playing` event. */
export interface PlayingDetail {
  /** The decode path that presented the first picture. */
  decodePath: DecodePath;
}

/** Detail of the player's `configurationchange` event. */
export interface PlayerConfigurationDetail extends StreamConfiguration {
  decodePath: DecodePath;
}

/** Events of `DeskvmPlayer`. */
export interface DeskvmPlayerCoreEventMap {
  /** The WebSocket is open and the server's hello arrived; the detail is the protocol version. */
  connected: CustomEvent<{ protocolVersion: number }>;
  /** The first picture of a connection reached the screen. */
  playing: CustomEvent<PlayingDetail>;
  /** The decoder was configured for a new codec or size. */
  configurationchange: CustomEvent<PlayerConfigurationDetail>;
  /** Something failed; see `fatal`. */
  error: CustomEvent<PlayerErrorDetail>;
  /** A picture reached the screen, with its stream timestamp, for latency measurements. */
  frame: CustomEvent<PresentedFrameDetail>;
  /** Playback statistics, every `statsIntervalMs`. */
  stats: CustomEvent<PlayerStats>;
  /** The desktop's clipboard text arrived; `written` is true when it reached the browser's clipboard. */
  clipboard: CustomEvent<{ text: string; written: boolean }>;
  /** The connection closed; a reconnect may follow (`reconnecting`). */
  disconnected: CustomEvent<{ code: number; reconnecting: boolean }>;
}
