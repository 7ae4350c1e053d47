export { PipelineError, type PipelineErrorCode, type PipelineErrorOptions } from './errors.js';
export type { Logger } from './logger.js';
export {
  DEFAULT_BITRATE_KBPS,
  DEFAULT_KEYFRAME_INTERVAL_SECONDS,
  VIDEO_TEST_PATTERNS,
  X264_SPEED_PRESETS,
  type EncoderDescription,
  type FrameRate,
  type OpenH264EncoderDescription,
  type PipelineDescription,
  type ResolvedPipelineDescription,
  type SourceDescription,
  type VideoTestPattern,
  type VideoTestSourceDescription,
  type X264EncoderDescription,
  type X264SpeedPreset,
  type XImageSourceDescription,
} from './description.js';
export { resolveDescription } from './validate.js';
export { renderArgv } from './render-argv.js';
export { quoteShellArgument, renderCommandLine } from './command-line.js';
export { gdpCrc } from './gdp/crc.js';
export { GDP_HEADER_LENGTH, GdpPayloadType, GstBufferFlag } from './gdp/gdp-header.js';
export {
  GdpParser,
  type GdpBufferPacket,
  type GdpCapsPacket,
  type GdpEventPacket,
  type GdpPacket,
  type GdpParserOptions,
} from './gdp/gdp-parser.js';
export type { EncodedAccessUnit } from './encoded-access-unit.js';
export type { PipelineExit } from './exit-error.js';
export { runPipeline, type PipelineRun, type PipelineStats, type RunPipelineOptions } from './run-pipeline.js';
