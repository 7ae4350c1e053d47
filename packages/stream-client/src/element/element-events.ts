import type { PlayerStats } from '../stats/stats-collector.js';
import type { DecodePath } from '../video-sink.js';
import type { PlayerConfigurationDetail } from '../player/player-types.js';

/** Detail of the `deskvm-error` event. */
export interface DeskvmErrorDetail {
  /** A `StreamClientErrorCode`. */
  code: string;
  message: string;
  /** True when playback stopped; false when the player recovers or reconnects on its own. */
  fatal: boolean;
}

/** Events that `<deskvm-player>` dispatches; all bubble and cross the shadow boundary. */
export interface DeskvmPlayerEventMap {
  /** The WebSocket is open and the server's hello arrived. */
  'deskvm-connected': CustomEvent<{ protocolVersion: number }>;
  /** The first picture of a connection reached the screen. */
  'deskvm-playing': CustomEvent<{ decodePath: DecodePath }>;
  /** The decoder was configured for a new codec or size. */
  'deskvm-configurationchange': CustomEvent<PlayerConfigurationDetail>;
  /** Connecting or playing failed. The detail contains the error code, message and whether it was fatal. */
  'deskvm-error': CustomEvent<DeskvmErrorDetail>;
  /** Playback statistics, once a second. */
  'deskvm-stats': CustomEvent<PlayerStats>;
  /** The desktop's clipboard text arrived; `written` is true when it reached the browser's clipboard. */
  'deskvm-clipboard': CustomEvent<{ text: string; written: boolean }>;
  /** The connection closed; `reconnecting` is true when a reconnect follows. */
  'deskvm-disconnected': CustomEvent<{ code: number; reconnecting: boolean }>;
}
