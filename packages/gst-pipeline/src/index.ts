export { PipelineError, type PipelineErrorCode, type PipelineErrorOptions } from './errors.js';
export type { Logger } from './logger.js';
export {
  DEFAULT_BITRATE_KBPS,
  DEFAULT_KEYFRAME_INTERVAL_SECONDS,
  HARDWARE_ENCODERS,
  MAX_FRAME_DIMENSION,
  MIN_FRAME_DIMENSION,
  VIDEO_TEST_PATTERNS,
  X264_SPEED_PRESETS,
  type EncoderDescription,
  type FrameRate,
  type HardwareEncoderDescription,
  type HardwareEncoderKind,
  type OpenH264EncoderDescription,
  type PipelineDescription,
  type PipeWireMemory,
  type PipeWireSourceDescription,
  type ResolvedX264Encoder,
  type ResolvedPipelineDescription,
  type SourceDescription,
  type VideoTestPattern,
  type VideoTestSourceDescription,
  type X264EncoderDescription,
  type X264SpeedPreset,
  type XImageSourceDescription,
} from './description.js';
export { resolveDescription } from './validate.js';
export { renderArgv, type RenderOptions } from './render-argv.js';
export type { EncoderLatencyStats } from './encoder-latency.js';
export { PLATFORMS, platformProfile, type EncoderCandidate, type GpuVendor, type Platform, type PlatformProfile } from './platform/profiles.js';
export { detectPlatform, listGpuDevices, type DetectedPlatform, type PlatformFiles } from './platform/detect-platform.js';
export { parseGstVersion, parseInspectOutput, type InspectedElement, type InspectedProperty } from './probe/inspect-output.js';
export { execaToolRunner, type GstTool, type GstToolResult, type GstToolRunner, type GstToolRunOptions } from './probe/gst-tool-runner.js';
export { PROBE_FRAMES, renderProbeArgv } from './probe/probe-argv.js';
export { ProbeCache, defaultDataDirectory, probeCacheKey, type ProbeCacheKey } from './probe/probe-cache.js';
export { chosenCandidate, formatProbeReport, type CandidateVerdict, type ProbeReport, type RejectionKind } from './probe/probe-report.js';
export { probeEncoders, type ProbeOptions, type ProbeResult } from './probe/probe-encoders.js';
export {
  attemptsFromReport,
  captureVariants,
  runWithFallback,
  type FailedAttempt,
  type FallbackOptions,
  type FallbackResult,
  type PipelineAttempt,
} from './run-with-fallback.js';
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
