/** Per-frame encode time of the encoder element, from GStreamer's latency tracer. */
export interface EncoderLatencyStats {
  /** Frames measured in the window (the last `windowSize` frames). */
  frames: number;
  /** Median encode time in ms. */
  p50Ms: number;
  /** 95th percentile encode time in ms. */
  p95Ms: number;
  /** Maximum encode time in the window, in ms. */
  maxMs: number;
}

/**
 * Environment that turns on GStreamer's latency tracer per element (GStreamer 1.18 and later). It logs one
 * `element-latency` record on stderr for each buffer that leaves an element: the time from entering the element's
 * sink pad to leaving its source pad. For an encoder without frame reordering, that is the encode time of a frame.
 */
export function latencyTracerEnvironment(gstDebug: string | undefined): Record<string, string> {
  return {
    GST_TRACERS: 'latency(flags=element)',
    GST_DEBUG: gstDebug === undefined || gstDebug === '' ? 'GST_TRACER:7' : `${gstDebug},GST_TRACER:7`,
    GST_DEBUG_NO_COLOR: '1',
  };
}

const RECORD = /element-latency, .*?element=\(string\)([^,]+), .*?time=\(guint64\)(\d+)/;

const DEFAULT_WINDOW_SIZE = 4096;

/** Collects the encode times of one element from the latency tracer's stderr lines. */
export class EncoderLatencyCollector {
  private readonly samplesNs: number[] = [];
  private next = 0;

  /**
   * @param elementName - the encoder element's name in the pipeline, such as `x264enc0`
   * @param windowSize - how many of the latest frames the statistics cover; default 4096
   */
  constructor(
    private readonly elementName: string,
    private readonly windowSize = DEFAULT_WINDOW_SIZE,
  ) {}

  /** Reads one stderr line. Returns true when it was a latency record (of any element), which callers may drop. */
  handleLine(line: string): boolean {
    if (!line.includes('element-latency, ')) {
      return false;
    }

    const record = RECORD.exec(line);

    if (record && record[1] === this.elementName) {
      this.add(Number(record[2]));
    }

    return true;
  }

  /** Returns the statistics of the window, or undefined before the first frame. */
  stats(): EncoderLatencyStats | undefined {
    if (this.samplesNs.length === 0) {
      return undefined;
    }

    const sorted = [...this.samplesNs].sort((a, b) => a - b);

    return {
      frames: sorted.length,
      p50Ms: percentile(sorted, 0.5) / 1e6,
      p95Ms: percentile(sorted, 0.95) / 1e6,
      maxMs: sorted[sorted.length - 1] / 1e6,
    };
  }

  private add(nanoseconds: number): void {
    if (this.samplesNs.length < this.windowSize) {
      this.samplesNs.push(nanoseconds);
      return;
    }

    this.samplesNs[this.next] = nanoseconds;
    this.next = (this.next + 1) % this.windowSize;
  }
}

/** Returns the nearest-rank percentile of sorted values, `fraction` from 0 to 1. */
function percentile(sorted: readonly number[], fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));

  return sorted[rank - 1];
}
