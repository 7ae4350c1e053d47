export { StreamClientError, type StreamClientErrorCode, type StreamClientErrorOptions } from './errors.js';
export { silentLogger, type LogFields, type Logger } from './logger.js';
export type {
  DecodePath,
  PresentedFrameDetail,
  SinkCounters,
  StreamConfiguration,
  VideoSink,
  VideoSinkEventMap,
} from './video-sink.js';

export { avcConfigurationBox, avcSampleEntry, toAvccSample, type AvcParameterSets } from './fmp4/avc-sample-entry.js';
export { box, fullBox } from './fmp4/box-writer.js';
export {
  createInitSegment,
  DEFAULT_TIMESCALE,
  VIDEO_TRACK_ID,
  type InitSegmentOptions,
} from './fmp4/init-segment.js';
export {
  createMediaSegment,
  movieFragmentHeader,
  NON_SYNC_SAMPLE_FLAGS,
  SYNC_SAMPLE_FLAGS,
  trackFragmentDecodeTime,
  trackRun,
  type FragmentSample,
  type MediaSegmentOptions,
} from './fmp4/media-segment.js';

export { DecodeTimeline, type DecodeTimelineOptions, type SampleTiming } from './remux/decode-timeline.js';
export {
  Fmp4Remuxer,
  type Fmp4RemuxerOptions,
  type InitSegment,
  type MediaSegment,
  type RemuxOutput,
} from './remux/fmp4-remuxer.js';

export { MsePlayer, type MsePlayerEventMap, type MsePlayerOptions } from './mse/mse-player.js';

export { decoderConfig, decoderSetupFromSps, isWebCodecsSupported, type DecoderSetup } from './webcodecs/decoder-config.js';
export { FrameRenderer, type PresentedFrame, type RendererCounters } from './webcodecs/frame-renderer.js';
export { WebCodecsPlayer, type WebCodecsPlayerOptions } from './webcodecs/webcodecs-player.js';

export {
  StreamConnection,
  STREAM_SUBPROTOCOLS,
  TOKEN_SUBPROTOCOL_PREFIX,
  type ConnectionCloseDetail,
  type ConnectionState,
  type StreamConnectionEventMap,
  type StreamConnectionOptions,
  type WebSocketConstructor,
} from './connection/stream-connection.js';

export { backoffDelayMs, type BackoffOptions } from './connection/backoff.js';
export { describeClose, isTerminalCloseCode } from './connection/close-codes.js';
export {
  ReconnectScheduler,
  type ReconnectDecision,
  type ReconnectSchedulerOptions,
  type VisibilitySource,
} from './connection/reconnect-scheduler.js';

export { estimateClockOffset, type ClockEstimate, type PingSample } from './stats/clock-offset.js';
export { StatsCollector, type PlayerStats } from './stats/stats-collector.js';
export { formatStats, StatsOverlay } from './stats/stats-overlay.js';

export { ClipboardSync, type ClipboardSyncOptions } from './input/clipboard-sync.js';
export { InputCapture, type InputCaptureOptions } from './input/input-capture.js';
export { keyMessage, WheelAccumulator, WHEEL_UNITS_PER_NOTCH, type KeyboardEventFields } from './input/input-encoding.js';
export { desktopSizeFor, ResizeFollower, type ResizeFollowerOptions } from './input/resize-follower.js';
export { toStreamPoint, type ClientRect, type StreamPoint } from './input/stream-coordinates.js';

export {
  chooseDecodePath,
  createSink,
  type DecodePathPreference,
  type DecodeSurfaces,
} from './player/decode-path-choice.js';
export { DecodePathHost, type DecodePathHostOptions } from './player/decode-path-host.js';
export { Capability, DeskvmPlayer } from './player/deskvm-player.js';
export { clientTimeUs, PingClock, type PingClockOptions } from './player/ping-clock.js';
export type {
  DeskvmPlayerCoreEventMap,
  DeskvmPlayerOptions,
  PlayerConfigurationDetail,
  PlayerErrorDetail,
  PlayingDetail,
} from './player/player-types.js';

export { defineDeskvmPlayer } from './element/define-player.js';
export { DeskvmPlayerElement } from './element/player-element.js';
export type { DeskvmErrorDetail, DeskvmPlayerEventMap } from './element/element-events.js';
