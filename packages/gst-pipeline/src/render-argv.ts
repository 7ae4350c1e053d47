import type { PipelineDescription, ResolvedPipelineDescription } from './description.js';
import { PipelineError } from './errors.js';
import { resolveDescription } from './validate.js';

type PropertyValue = string | number | boolean;

/**
 * Characters allowed in a property value or caps field on argv. gst-launch-1.0 escapes each argument and joins them
 * into one pipeline description (`gst_parse_launchv_full` in gst/gstparse.c), which the pipeline parser then splits
 * again, so a value with other characters might start a new element, property or caps field. `resolveDescription`
 * already rejects such values, and this check keeps a future field from reaching argv unvalidated.
 */
const SAFE_VALUE = /^[A-Za-z0-9_.:/+-]+$/;

function propertyArgument(element: string, name: string, value: PropertyValue): string {
  const text = String(value);

  if (!SAFE_VALUE.test(text)) {
    throw new PipelineError(
      'PIPELINE_ERR_INVALID_DESCRIPTION',
      `Invalid value ${JSON.stringify(text)} for ${element} property ${name}: use only letters, digits and _ . : / + -.`,
    );
  }

  return `${name}=${text}`;
}

function element(name: string, properties: Record<string, PropertyValue> = {}): string[] {
  return [name, ...Object.entries(properties).map(([key, value]) => propertyArgument(name, key, value))];
}

function caps(mediaType: string, fields: Record<string, PropertyValue>): string[] {
  const parts = Object.entries(fields).map(([key, value]) => propertyArgument(mediaType, key, value));

  return [[mediaType, ...parts].join(',')];
}

function sourceElements(source: ResolvedPipelineDescription['source']): string[] {
  if (source.kind === 'videotestsrc') {
    return element('videotestsrc', { 'is-live': true, pattern: source.pattern });
  }

  return element('ximagesrc', {
    'display-name': source.display,
    'show-pointer': source.showPointer,
    'use-damage': false,
  });
}

function encoderElements(description: ResolvedPipelineDescription): string[] {
  const { encoder, bitrateKbps, keyframeInterval } = description;

  if (encoder.kind === 'x264enc') {
    // zerolatency turns off lookahead and frame threading, so each frame leaves the encoder as soon as it is coded.
    return element('x264enc', {
      tune: 'zerolatency',
      'speed-preset': encoder.speedPreset,
      bframes: 0,
      'b-adapt': false,
      'key-int-max': keyframeInterval,
      bitrate: bitrateKbps,
      'byte-stream': true,
    });
  }

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

/**
 * Renders a pipeline description to the arguments of gst-launch-1.0, starting with `-q -e`: capture, conversion to
 * I420 at the output size and frame rate, a one-buffer leaky queue, the encoder, `h264parse`, and a `gdppay ! fdsink`
 * that writes GStreamer Data Protocol packets to stdout. Every `!` and every `name=value` is its own item; no item is
 * meant for a shell.
 *
 * @throws PipelineError `PIPELINE_ERR_INVALID_DESCRIPTION` when a value is invalid or could add pipeline elements
 */
export function renderArgv(description: PipelineDescription): string[] {
  const resolved = resolveDescription(description);
  const { width, height, frameRate } = resolved;

  const stages: string[][] = [
    sourceElements(resolved.source),
    element('videoconvert'),
    element('videoscale'),
    caps('video/x-raw', { format: 'I420', width, height, framerate: `${frameRate.numerator}/${frameRate.denominator}` }),
    // One buffer, dropping the older one when full: a slow encoder skips frames instead of encoding a growing backlog.
    element('queue', { 'max-size-buffers': 1, 'max-size-bytes': 0, 'max-size-time': 0, leaky: 'downstream' }),
    encoderElements(resolved),
    // config-interval=-1 puts SPS and PPS in front of every keyframe, so a viewer can start at any keyframe.
    element('h264parse', { 'config-interval': -1 }),
    caps('video/x-h264', { 'stream-format': 'byte-stream', alignment: 'au' }),
    element('gdppay'),
    element('fdsink', { fd: 1, sync: false }),
  ];

  const argv = ['-q', '-e'];

  for (const [index, stage] of stages.entries()) {
    if (index > 0) {
      argv.push('!');
    }

    argv.push(...stage);
  }

  return argv;
}
