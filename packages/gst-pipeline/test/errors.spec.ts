import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PipelineError, runPipeline, type PipelineDescription, type PipelineRun } from '../src/index.js';

const description: PipelineDescription = {
  source: { kind: 'videotestsrc' },
  encoder: { kind: 'x264enc' },
  width: 160,
  height: 120,
  frameRate: 30,
};

/** Returns the first error that iterating the run throws. */
async function iterationError(run: PipelineRun): Promise<PipelineError> {
  try {
    for await (const accessUnit of run) {
      void accessUnit;
    }
  } catch (error) {
    return error as PipelineError;
  }

  throw new Error('the run ended without an error');
}

/** Returns the path of the plugin file that provides `element`, from the output of `gst-inspect-1.0`. */
function pluginFile(element: string): string {
  const output = execaSync('gst-inspect-1.0', [element]).stdout;
  const match = /^\s*Filename\s+(\S+)$/m.exec(output);

  if (!match) {
    throw new Error(`gst-inspect-1.0 ${element} printed no Filename line`);
  }

  return match[1];
}

describe('runPipeline errors', () => {
  let pluginDirectory: string;

  beforeAll(() => {
    // A plugin directory with every plugin the pipeline needs except x264, as on a machine without gst-plugins-ugly.
    pluginDirectory = mkdtempSync(join(tmpdir(), 'gst-pipeline-plugins-'));

    for (const element of ['videotestsrc', 'videoconvert', 'queue', 'h264parse', 'gdppay']) {
      const file = pluginFile(element);
      const link = join(pluginDirectory, file.split('/').at(-1) as string);

      try {
        symlinkSync(file, link);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw error;
        }
      }
    }
  });

  afterAll(() => {
    rmSync(pluginDirectory, { recursive: true, force: true });
  });

  it('missing element', async () => {
    const run = runPipeline(description, {
      env: {
        GST_PLUGIN_SYSTEM_PATH_1_0: pluginDirectory,
        GST_PLUGIN_PATH_1_0: '',
        GST_REGISTRY_1_0: join(pluginDirectory, 'registry.bin'),
      },
    });

    const error = await iterationError(run);

    expect(error).toBeInstanceOf(PipelineError);
    expect(error.code).toBe('PIPELINE_ERR_MISSING_ELEMENT');
    expect(error.element).toBe('x264enc');
    expect(error.message).toContain('no element "x264enc"');
    expect(error.stderrTail).toContain('no element "x264enc"');
  });

  it('missing element rejects caps', async () => {
    const run = runPipeline(description, {
      env: {
        GST_PLUGIN_SYSTEM_PATH_1_0: pluginDirectory,
        GST_PLUGIN_PATH_1_0: '',
        GST_REGISTRY_1_0: join(pluginDirectory, 'registry.bin'),
      },
    });

    await expect(run.caps).rejects.toMatchObject({ code: 'PIPELINE_ERR_MISSING_ELEMENT' });
  });

  it('gst-launch-1.0 not found', async () => {
    const run = runPipeline(description, { gstLaunchPath: join(tmpdir(), 'no-such-dir', 'gst-launch-1.0') });

    const error = await iterationError(run);
    const exit = await run.exited;

    expect(error.code).toBe('PIPELINE_ERR_GST_NOT_FOUND');
    expect(error.message).toContain('ENOENT');
    expect(error.cause).toBeDefined();
    expect(run.pid).toBeUndefined();
    expect(exit).toEqual({ exitCode: undefined, signal: undefined });
  });

  it('not negotiated', async () => {
    // OpenH264 (Debian 12) accepts at most 9437184 pixels per frame, so negotiation fails at the encoder. The size
    // stays within what H.264 itself allows, which resolveDescription checks first.
    const run = runPipeline({ ...description, encoder: { kind: 'openh264enc' }, width: 8192, height: 1168 });

    const error = await iterationError(run);

    expect(error.code).toBe('PIPELINE_ERR_NOT_NEGOTIATED');
    expect(error.message).toContain('not-negotiated');
  });

  it('display unavailable', async () => {
    // Display numbers this high are not in use here; the test fails rather than passes if one happens to be.
    const run = runPipeline({ ...description, source: { kind: 'ximagesrc', display: ':65000' } });

    const error = await iterationError(run);

    expect(error.code).toBe('PIPELINE_ERR_DISPLAY_UNAVAILABLE');
  });

  it('invalid description throws synchronously', () => {
    expect(() => runPipeline({ ...description, width: 161 })).toThrow(
      expect.objectContaining({ code: 'PIPELINE_ERR_INVALID_DESCRIPTION' }),
    );
  });
});
