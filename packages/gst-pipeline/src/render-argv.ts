import type { PipelineDescription, ResolvedPipelineDescription } from './description.js';
import type { InspectedElement } from './probe/inspect-output.js';
import { caps, element, linkStages, type PropertyValue } from './render/elements.js';
import { encoderInputFormat, hardwareEncoderProperties } from './render/encoder-settings.js';
import { captureStages } from './render/sources.js';
import { resolveDescription } from './validate.js';

/** Options of `renderArgv`. */
export interface RenderOptions {
  /**
   * The encoder as `gst-inspect-1.0` reported it. Property names and enum values are then taken from what the
   * installed version has; without it, GStreamer 1.22's names are used.
   */
  inspectedEncoder?: InspectedElement;
}

function x264Properties(encoder: Extract<ResolvedPipelineDescription['encoder'], { kind: 'x264enc' }>, description: ResolvedPipelineDescription) {
  // zerolatency turns off lookahead and frame threading, so each frame leaves the encoder as soon as it is coded.
  const properties: Record<string, PropertyValue> = {
    tune: 'zerolatency',
    'speed-preset': encoder.speedPreset,
    bframes: 0,
    'b-adapt': false,
    'key-int-max': description.keyframeInterval,
    bitrate: description.bitrateKbps,
    'byte-stream': true,
  };

  if (encoder.threads !== undefined) {
    properties.threads = encoder.threads;
  }

  if (encoder.slicedThreads !== undefined) {
    properties['sliced-threads'] = encoder.slicedThreads;
  }

  return properties;
}

/** Renders the encoder element with the common settings mapped to its own properties. */
export function encoderElements(description: ResolvedPipelineDescription, options: RenderOptions = {}): string[] {
  const { encoder, bitrateKbps, keyframeInterval } = description;

  if (encoder.kind === 'x264enc') {
    return element('x264enc', x264Properties(encoder, description));
  }

  if (encoder.kind === 'openh264enc') {
    // openh264enc takes bits per second. Frame skipping stays off so that the frame rate does not drop silently.
    return element('openh264enc', {
      complexity: 'low',
      'usage-type': encoder.usageType,
      'rate-control': 'bitrate',
      bitrate: bitrateKbps * 1000,
      'gop-size': keyframeInterval,
      'enable-frame-skip': false,
    });
  }

  return element(encoder.kind, hardwareEncoderProperties(encoder.kind, description, options.inspectedEncoder));
}

/** Renders the stages from the raw frames to the encoder's output: the one-buffer leaky queue and the encoder. */
export function encodeStages(resolved: ResolvedPipelineDescription, options: RenderOptions = {}): string[][] {
  return [
    // One buffer, dropping the older one when full: a slow encoder skips frames instead of encoding a growing backlog.
    element('queue', { 'max-size-buffers': 1, 'max-size-bytes': 0, 'max-size-time': 0, leaky: 'downstream' }),
    encoderElements(resolved, options),
    // config-interval=-1 puts SPS and PPS in front of every keyframe, so a viewer can start at any keyframe.
    element('h264parse', { 'config-interval': -1 }),
    caps('video/x-h264', { 'stream-format': 'byte-stream', alignment: 'au' }),
  ];
}

/**
 * Renders a pipeline description to the arguments of gst-launch-1.0, starting with `-q -e`: capture, conversion to
 * the encoder's raw format (I420 for software encoders, NV12 for hardware ones) at the output size and frame rate, a
 * one-buffer leaky queue, the encoder, `h264parse`, and a `gdppay ! fdsink` that writes GStreamer Data Protocol
 * packets to stdout. Every `!` and every `name=value` is its own item; no item is meant for a shell. A pipewiresrc
 * source reads its PipeWire remote from file descriptor 3, which `runPipeline` passes in.
 *
 * @throws PipelineError `PIPELINE_ERR_INVALID_DESCRIPTION` when a value is invalid or could add pipeline elements
 */
export function renderArgv(description: PipelineDescription, options: RenderOptions = {}): string[] {
  const resolved = resolveDescription(description);
  const format = encoderInputFormat(resolved.encoder.kind);

  const stages: string[][] = [
    ...captureStages(resolved, format),
    ...encodeStages(resolved, options),
    element('gdppay'),
    element('fdsink', { fd: 1, sync: false }),
  ];

  return ['-q', '-e', ...linkStages(stages)];
}
