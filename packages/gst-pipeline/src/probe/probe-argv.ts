import type { PipelineDescription } from '../description.js';
import { encodeStages, type RenderOptions } from '../render-argv.js';
import { caps, element, linkStages } from '../render/elements.js';
import { encoderInputFormat } from '../render/encoder-settings.js';
import { resolveDescription } from '../validate.js';

/** Frames encoded by a probe: enough to pass the encoder's start-up and a few P-frames. */
export const PROBE_FRAMES = 10;

/**
 * Renders the gst-launch-1.0 arguments of a probe: `PROBE_FRAMES` frames from a non-live videotestsrc through the
 * description's conversion, encoder and h264parse into a fakesink. The source of the description is not used, so a
 * probe needs no display or screen cast.
 */
export function renderProbeArgv(description: PipelineDescription, options: RenderOptions = {}): string[] {
  const resolved = resolveDescription({ ...description, source: { kind: 'videotestsrc' } });
  const { width, height, frameRate } = resolved;
  const format = encoderInputFormat(resolved.encoder.kind);

  const stages = [
    element('videotestsrc', { 'num-buffers': PROBE_FRAMES }),
    element('videoconvert'),
    element('videoscale'),
    caps('video/x-raw', { format, width, height, framerate: `${frameRate.numerator}/${frameRate.denominator}` }),
    ...encodeStages(resolved, options),
    element('fakesink'),
  ];

  return ['-q', ...linkStages(stages)];
}
