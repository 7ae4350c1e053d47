import {
  HARDWARE_ENCODERS,
  DEFAULT_BITRATE_KBPS,
  MAX_FRAME_DIMENSION,
  MIN_FRAME_DIMENSION,
  DEFAULT_KEYFRAME_INTERVAL_SECONDS,
  VIDEO_TEST_PATTERNS,
  X264_SPEED_PRESETS,
  type EncoderDescription,
  type FrameRate,
  type HardwareEncoderKind,
  type PipelineDescription,
  type ResolvedPipelineDescription,
  type SourceDescription,
} from './description.js';
import { PipelineError } from './errors.js';

const MAX_FRAME_RATE = 240;
const MAX_FRACTION_TERM = 1_000_000;
const MAX_BITRATE_KBPS = 2_048_000;
const MAX_KEYFRAME_INTERVAL = 100_000;
const MAX_FD = 1023;
const MAX_NODE_ID = 0xffff_ffff;
const DEFAULT_KEEPALIVE_MS = 100;
const MAX_KEEPALIVE_MS = 10_000;
const MAX_X264_THREADS = 64;

/** A local X display: `:N` or `:N.S`. */
const LOCAL_DISPLAY = /^:[0-9]{1,5}(\.[0-9]{1,2})?$/;

function invalid(message: string): PipelineError {
  return new PipelineError('PIPELINE_ERR_INVALID_DESCRIPTION', message);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function requireInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`Invalid ${field} ${describe(value)}: pass an integer from ${min} to ${max}.`);
  }

  return value;
}

function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw invalid(`Invalid ${field} ${describe(value)}: pass true or false.`);
  }

  return value;
}

function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw invalid(`Invalid ${field} ${describe(value)}: pass one of ${allowed.join(', ')}.`);
  }

  return value as T;
}

function requireDimension(field: string, value: unknown): number {
  const pixels = requireInteger(field, value, MIN_FRAME_DIMENSION, MAX_FRAME_DIMENSION);

  if (pixels % 2 !== 0) {
    throw invalid(`Invalid ${field} ${pixels}: H.264 with 4:2:0 chroma needs an even size, so pass ${pixels - 1} or ${pixels + 1}.`);
  }

  return pixels;
}

function resolveFrameRate(value: FrameRate): { numerator: number; denominator: number } {
  if (typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value)) {
    throw invalid(
      `Invalid frameRate ${value}: a number must be an integer, so pass a fraction such as ` +
        '{ numerator: 30000, denominator: 1001 } for 29.97 frames per second.',
    );
  }

  const fraction =
    typeof value === 'number'
      ? { numerator: requireInteger('frameRate', value, 1, MAX_FRAME_RATE), denominator: 1 }
      : {
          numerator: requireInteger('frameRate.numerator', value?.numerator, 1, MAX_FRACTION_TERM),
          denominator: requireInteger('frameRate.denominator', value?.denominator, 1, MAX_FRACTION_TERM),
        };

  if (fraction.numerator / fraction.denominator > MAX_FRAME_RATE) {
    throw invalid(
      `Invalid frameRate ${fraction.numerator}/${fraction.denominator}: pass at most ${MAX_FRAME_RATE} frames per second.`,
    );
  }

  return fraction;
}

function resolveSource(source: SourceDescription): ResolvedPipelineDescription['source'] {
  switch (source?.kind) {
    case 'videotestsrc':
      return {
        kind: 'videotestsrc',
        pattern: requireOneOf('source.pattern', source.pattern ?? 'smpte', VIDEO_TEST_PATTERNS),
      };

    case 'ximagesrc': {
      if (typeof source.display !== 'string' || !LOCAL_DISPLAY.test(source.display)) {
        throw invalid(`Invalid source.display ${describe(source.display)}: pass a local X display such as ":99".`);
      }

      const showPointer = requireBoolean('source.showPointer', source.showPointer ?? true);
      const useDamage = requireBoolean('source.useDamage', source.useDamage ?? false);

      return { kind: 'ximagesrc', display: source.display, showPointer, useDamage };
    }

    case 'pipewiresrc':
      return {
        kind: 'pipewiresrc',
        fd: requireInteger('source.fd', source.fd, 0, MAX_FD),
        nodeId: requireInteger('source.nodeId', source.nodeId, 0, MAX_NODE_ID),
        memory: requireOneOf('source.memory', source.memory ?? 'system', ['dmabuf', 'system'] as const),
        keepaliveMs: requireInteger('source.keepaliveMs', source.keepaliveMs ?? DEFAULT_KEEPALIVE_MS, 1, MAX_KEEPALIVE_MS),
      };

    default:
      throw invalid(
        `Invalid source.kind ${describe((source as { kind?: unknown })?.kind)}: pass "videotestsrc", "ximagesrc" or "pipewiresrc".`,
      );
  }
}

function resolveEncoder(encoder: EncoderDescription): ResolvedPipelineDescription['encoder'] {
  switch (encoder?.kind) {
    case 'x264enc':
      return {
        kind: 'x264enc',
        speedPreset: requireOneOf('encoder.speedPreset', encoder.speedPreset ?? 'ultrafast', X264_SPEED_PRESETS),
        threads: encoder.threads === undefined ? undefined : requireInteger('encoder.threads', encoder.threads, 0, MAX_X264_THREADS),
        slicedThreads: encoder.slicedThreads === undefined ? undefined : requireBoolean('encoder.slicedThreads', encoder.slicedThreads),
      };

    case 'openh264enc':
      return {
        kind: 'openh264enc',
        usageType: requireOneOf('encoder.usageType', encoder.usageType ?? 'screen', ['screen', 'camera'] as const),
      };

    default: {
      const kind = (encoder as { kind?: unknown })?.kind;

      if (HARDWARE_ENCODERS.includes(kind as HardwareEncoderKind)) {
        return { kind: kind as HardwareEncoderKind };
      }

      throw invalid(`Invalid encoder.kind ${describe(kind)}: pass x264enc, openh264enc or one of ${HARDWARE_ENCODERS.join(', ')}.`);
    }
  }
}

/** The encoders of GStreamer's `va` plugin, which can take DMA-BUF frames through `vapostproc`. */
export const VA_ENCODERS: ReadonlySet<string> = new Set(['vah264enc', 'vah264lpenc']);

/** Maximum macroblocks per frame in H.264 at its highest level, 6.2 (ITU-T H.264 table A-1, MaxFS). */
const MAX_FRAME_MACROBLOCKS = 139_264;

/** Maximum macroblocks per second in H.264 at level 6.2 (ITU-T H.264 table A-1, MaxMBPS). */
const MAX_MACROBLOCK_RATE = 16_711_680;

/**
 * Rejects sizes and frame rates that no H.264 level allows: encoders then write an SPS whose level no decoder
 * promises to play, and browsers stall on it.
 */
function checkLevelLimits(width: number, height: number, framesPerSecond: number): void {
  const frameMacroblocks = Math.ceil(width / 16) * Math.ceil(height / 16);
  if (frameMacroblocks > MAX_FRAME_MACROBLOCKS) {
    throw invalid(
      `Invalid size ${width}x${height}: it has ${frameMacroblocks} macroblocks per frame, and H.264 allows at most ` +
        `${MAX_FRAME_MACROBLOCKS} (level 6.2; 7680x4320 fits). Use a smaller size.`,
    );
  }

  const macroblockRate = frameMacroblocks * framesPerSecond;
  if (macroblockRate > MAX_MACROBLOCK_RATE) {
    const maxFramesPerSecond = Math.floor(MAX_MACROBLOCK_RATE / frameMacroblocks);
    throw invalid(
      `Invalid frame rate ${framesPerSecond} fps at ${width}x${height}: H.264 level 6.2 allows at most ` +
        `${maxFramesPerSecond} fps at this size. Lower the frame rate or the size.`,
    );
  }
}

/**
 * Validates a pipeline description and fills in its defaults. Every value that reaches gst-launch-1.0's argv passes
 * through here, so no value can add elements or properties to the pipeline.
 *
 * @throws PipelineError `PIPELINE_ERR_INVALID_DESCRIPTION` naming the first invalid field and its value
 */
export function resolveDescription(description: PipelineDescription): ResolvedPipelineDescription {
  const source = resolveSource(description.source);
  const encoder = resolveEncoder(description.encoder);
  const width = requireDimension('width', description.width);
  const height = requireDimension('height', description.height);
  const frameRate = resolveFrameRate(description.frameRate);
  const bitrateKbps = requireInteger('bitrateKbps', description.bitrateKbps ?? DEFAULT_BITRATE_KBPS, 1, MAX_BITRATE_KBPS);

  const framesPerSecond = frameRate.numerator / frameRate.denominator;
  checkLevelLimits(width, height, framesPerSecond);
  const defaultKeyframeInterval = Math.max(1, Math.round(DEFAULT_KEYFRAME_INTERVAL_SECONDS * framesPerSecond));
  const keyframeInterval = requireInteger(
    'keyframeInterval',
    description.keyframeInterval ?? defaultKeyframeInterval,
    1,
    MAX_KEYFRAME_INTERVAL,
  );

  if (source.kind === 'pipewiresrc' && source.memory === 'dmabuf' && !VA_ENCODERS.has(encoder.kind)) {
    throw invalid(
      `Invalid source.memory "dmabuf" with encoder ${encoder.kind}: DMA-BUF frames go through vapostproc, so use ` +
        `vah264enc or vah264lpenc, or pass memory "system".`,
    );
  }

  return { source, encoder, width, height, frameRate, bitrateKbps, keyframeInterval };
}
