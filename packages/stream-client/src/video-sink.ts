import type { StreamMessage } from '@deskvm/stream-protocol';

import type { StreamClientError } from './errors.js';

/** The decode path of a `VideoSink`. */
export type DecodePath = 'webcodecs' | 'mse';

/** Detail of `configurationchange`: the stream's codec and picture size from the SPS now in use. */
export interface StreamConfiguration {
  /** RFC 6381 codec string from the SPS, such as `avc1.640033`. */
  codec: string;
  /** Width in pixels after SPS cropping. */
  width: number;
  /** Height in pixels after SPS cropping. */
  height: number;
}

/** Detail of `frame`: one picture that reached the screen. */
export interface PresentedFrameDetail {
  /** Stream timestamp of the picture in microseconds, as the server sent it. */
  timestampUs: number;
  /** `performance.now()` when the picture was presented, in ms. */
  presentedAtMs: number;
}

/** Frame counters of a sink since it was created. */
export interface SinkCounters {
  /** Pictures presented on screen. */
  presented: number;
  /** Pictures decoded but never shown, plus access units skipped to reach a keyframe. */
  dropped: number;
  /** Decode errors the sink recovered from by waiting for the next keyframe. */
  decodeErrors: number;
}

/** Events that every `VideoSink` dispatches. */
export interface VideoSinkEventMap {
  /** A fatal error; the sink plays nothing more. */
  error: CustomEvent<StreamClientError>;
  /** The first access unit, or a new SPS, configured the decoder. */
  configurationchange: CustomEvent<StreamConfiguration>;
  /** A picture reached the screen. */
  frame: CustomEvent<PresentedFrameDetail>;
  /** The sink skips to the next keyframe and requests one from the server (after a decode error or a backlog). */
  keyframerequest: CustomEvent<undefined>;
}

/**
 * A decode path that turns stream messages into pictures: `MsePlayer` (Media Source Extensions on a `<video>`) or
 * `WebCodecsPlayer` (`VideoDecoder` drawing on a `<canvas>`).
 */
export interface VideoSink extends EventTarget {
  /** The decode path of this sink. */
  readonly path: DecodePath;
  /** Frame counters since the sink was created. */
  readonly counters: Readonly<SinkCounters>;
  /** Takes the next message from the server, in arrival order. */
  handleMessage(message: StreamMessage): void;
  /** Stops playback and releases the media resources. The sink takes no messages afterwards. */
  destroy(): void;
}
