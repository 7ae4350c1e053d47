import { describe, expect, it } from '@jest/globals';
import { runPipeline, type PipelineDescription, type PipelineError } from '../src/index.js';
import { EncoderLatencyCollector } from '../src/encoder-latency.js';
import { take } from './support/take.js';

const description: PipelineDescription = { source: { kind: 'videotestsrc', pattern: 'ball' }, encoder: { kind: 'x264enc' }, width: 320, height: 240, frameRate: 30 };

describe('encoder latency from the tracer', () => {
  it('x264enc run reports encode times', async () => {
    const run = runPipeline(description);

    try {
      await take(run.accessUnits(), 20);
      const latency = run.stats().encoderLatency;

      expect(latency).toBeDefined();
      expect(latency?.frames).toBeGreaterThanOrEqual(20);
      expect(latency?.p50Ms).toBeGreaterThan(0);
      expect(latency?.p95Ms).toBeGreaterThanOrEqual(latency?.p50Ms ?? Infinity);
      expect(latency?.maxMs).toBeGreaterThanOrEqual(latency?.p95Ms ?? Infinity);
    } finally {
      await run.stop();
    }
  });

  it('turned off reports nothing', async () => {
    const run = runPipeline(description, { measureEncoderLatency: false });

    try {
      await take(run.accessUnits(), 5);

      expect(run.stats().encoderLatency).toBeUndefined();
    } finally {
      await run.stop();
    }
  });

  it('tracer lines stay out of the stderr tail', async () => {
    const run = runPipeline({ ...description, width: 7680, height: 4320, encoder: { kind: 'openh264enc' } });

    const error = await run.caps.then(
      () => undefined,
      (reason: unknown) => reason as PipelineError,
    );

    expect(error?.code).toBe('PIPELINE_ERR_NOT_NEGOTIATED');
    expect(error?.stderrTail).toContain('not-negotiated');
    expect(error?.stderrTail).not.toContain('GST_TRACER');
    expect(error?.stderrTail).not.toContain('element-latency');
  });
});

describe('EncoderLatencyCollector', () => {
  const record = (element: string, nanoseconds: number): string =>
    `0:00:00.1 1 0x1 TRACE GST_TRACER :0:: element-latency, element-id=(string)0x55, element=(string)${element}, src=(string)src, time=(guint64)${nanoseconds}, ts=(guint64)1;`;

  it('keeps only its element', () => {
    const collector = new EncoderLatencyCollector('x264enc0');

    expect(collector.handleLine(record('queue0', 9_000_000))).toBe(true);
    expect(collector.handleLine(record('x264enc0', 2_000_000))).toBe(true);
    expect(collector.handleLine('ERROR: something else')).toBe(false);
    expect(collector.stats()).toEqual({ frames: 1, p50Ms: 2, p95Ms: 2, maxMs: 2 });
  });

  it('computes nearest-rank percentiles', () => {
    const collector = new EncoderLatencyCollector('enc0');

    for (let milliseconds = 1; milliseconds <= 100; milliseconds++) {
      collector.handleLine(record('enc0', milliseconds * 1_000_000));
    }

    expect(collector.stats()).toEqual({ frames: 100, p50Ms: 50, p95Ms: 95, maxMs: 100 });
  });

  it('window drops the oldest frames', () => {
    const collector = new EncoderLatencyCollector('enc0', 2);

    collector.handleLine(record('enc0', 50_000_000));
    collector.handleLine(record('enc0', 1_000_000));
    collector.handleLine(record('enc0', 3_000_000));

    expect(collector.stats()?.maxMs).toBe(3);
  });

  it('no frames gives undefined', () => {
    expect(new EncoderLatencyCollector('enc0').stats()).toBeUndefined();
  });
});
