import type { ResolvedPipelineDescription } from '../description.js';
import { caps, element } from './elements.js';

/** The descriptor number at which gst-launch-1.0 finds the PipeWire remote of a pipewiresrc source. */
export const PIPEWIRE_CHILD_FD = 3;

type Source = ResolvedPipelineDescription['source'];
type PipeWireSource = Extract<Source, { kind: 'pipewiresrc' }>;

function rawCaps(description: ResolvedPipelineDescription, format: string, memory = 'video/x-raw'): string[] {
  const { width, height, frameRate } = description;

  return caps(memory, { format, width, height, framerate: `${frameRate.numerator}/${frameRate.denominator}` });
}

function pipewireElement(source: PipeWireSource): string[] {
  return element('pipewiresrc', {
    fd: PIPEWIRE_CHILD_FD,
    // pipewiresrc's target-object takes a node name or serial, but the portal returns a node id, which only the
    // deprecated path property takes (PipeWire 0.3.65).
    path: source.nodeId,
    // A compositor that sends only damaged frames sends nothing while the screen is still; these resend the last one.
    'keepalive-time': source.keepaliveMs,
    'resend-last': true,
    'do-timestamp': true,
  });
}

function sourceElement(source: Exclude<Source, PipeWireSource>): string[] {
  if (source.kind === 'videotestsrc') {
    return element('videotestsrc', { 'is-live': true, pattern: source.pattern });
  }

  return element('ximagesrc', {
    'display-name': source.display,
    'show-pointer': source.showPointer,
    'use-damage': source.useDamage,
  });
}

/**
 * Renders the stages from the source to raw frames in `format` at the output size and frame rate. A DMA-BUF
 * PipeWire stream stays in GPU memory: `vapostproc` converts and scales it into VA memory for a `va` encoder.
 */
export function captureStages(description: ResolvedPipelineDescription, format: string): string[][] {
  const { source } = description;

  if (source.kind !== 'pipewiresrc') {
    return [sourceElement(source), element('videoconvert'), element('videoscale'), rawCaps(description, format)];
  }

  // NOTE: the PipeWire stages were checked against gst-inspect-1.0 only; no compositor runs on the test machine.
  if (source.memory === 'dmabuf') {
    // NOTE: these caps carry no DRM modifier: GStreamer 1.22 caps cannot (the DMA_DRM format arrived in 1.24). A
    // producer that offers only explicit modifiers fails to negotiate here and in the system-memory variant alike.
    // TODO: render `format=DMA_DRM` caps for GStreamer 1.24 and later.
    return [
      pipewireElement(source),
      ['video/x-raw(memory:DMABuf)'],
      element('videorate'),
      element('vapostproc'),
      rawCaps(description, format, 'video/x-raw(memory:VAMemory)'),
    ];
  }

  return [
    pipewireElement(source),
    ['video/x-raw'],
    element('videorate'),
    element('videoconvert'),
    element('videoscale'),
    rawCaps(description, format),
  ];
}
