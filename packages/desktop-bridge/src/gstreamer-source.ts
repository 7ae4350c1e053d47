import { resolveDescription, runPipeline, type PipelineDescription } from '@deskvm/gst-pipeline';

import type { FrameSource, FrameSourceFactory, SourceFrame } from './frame-source.js';
import { silentLogger, type Logger } from './logger.js';

/** Settings of {@link gstreamerSource}. */
export interface GstreamerSourceOptions {
  /** Receives the runner's debug lines and warnings. Default: silent. */
  readonly logger?: Logger;
  /** Variables added to the environment of gst-launch-1.0, such as `GST_DEBUG`. */
  readonly env?: Record<string, string>;
  /** The gst-launch-1.0 executable. Default 'gst-launch-1.0' from PATH. */
  readonly gstLaunchPath?: string;
}

/**
 * Creates a frame source factory that runs `description` with gst-launch-1.0 for each start. The description is
 * validated here, so a bad size or display name fails when the bridge is configured, not on the first viewer.
 *
 * @throws PipelineError `PIPELINE_ERR_INVALID_DESCRIPTION` naming the invalid field
 */
export function gstreamerSource(description: PipelineDescription, options: GstreamerSourceOptions = {}): FrameSourceFactory {
  resolveDescription(description);
  const logger = options.logger ?? silentLogger;

  return (): FrameSource => {
    const run = runPipeline(description, {
      logger,
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.gstLaunchPath === undefined ? {} : { gstLaunchPath: options.gstLaunchPath }),
    });

    async function* frames(): AsyncGenerator<SourceFrame> {
      for await (const accessUnit of run.accessUnits()) {
        yield {
          data: accessUnit.data,
          nalUnits: accessUnit.nalUnits,
          keyframe: accessUnit.keyframe,
          timestampUs: accessUnit.ptsUs,
          // NOTE: no per-frame encoderLatencyUs (capture to arrival). gst-launch-1.0 does not print the pipeline's
          // base time, so the capture time of a buffer is unknown here. encodeTimeUs() gives the encode time alone.
        };
      }
    }

    // The runner's latency tracer measures the time each frame spends inside the encoder element.
    function encodeTimeUs(): number | undefined {
      const latency = run.stats().encoderLatency;

      return latency === undefined || latency.frames === 0 ? undefined : Math.round(latency.p50Ms * 1000);
    }

    return { frames, stop: () => run.stop(), encodeTimeUs };
  };
}
