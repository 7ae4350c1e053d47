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
  STREAM_SUBPROTOCOL,
  TOKEN_SUBPROTOCOL_PREFIX,
  type ConnectionCloseDetail,
  type ConnectionState,
  type StreamConnectionEventMap,
  type StreamConnectionOptions,
  type WebSocketConstructor,
} from './connection/stream-connection.js';

export { defineDeskvmPlayer } from './element/define-player.js';
export { DeskvmPlayerElement, type DeskvmErrorDetail, type DeskvmPlayerEventMap } from './element/player-element.js';
