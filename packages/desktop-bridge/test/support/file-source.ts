import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { splitAccessUnits, toAnnexB } from '@deskvm/stream-protocol';

import type { FrameSource, SourceFrame } from '../../src/frame-source.js';

/** Path of a case file: the shared cases folder sits beside the repository. */
export function caseFile(name: string): URL {
  return new URL(`../../../../../shared/cases/h264/${name}`, import.meta.url);
}

/**
 * URL of the case no-vui-320x240.h264 with the VUI removed from every SPS, a fixture of @deskvm/stream-protocol's
 * tests. The case file itself carries a VUI with a bitstream restriction, because x264 always writes one.
 */
export const VUI_REMOVED_CASE = new URL('../../../stream-protocol/test/fixtures/vui-removed-320x240.h264', import.meta.url);

/** Counters a test reads to see what the bridge did with its sources. */
export interface FileSourceLog {
  started: number;
  stopped: number;
}

/**
 * Creates a frame source that plays the access units of a recorded H.264 file at `intervalMs` per access unit,
 * looping when `loop` is true. Tests use it in place of GStreamer where they need the exact same frames every run.
 */
export function fileSource(
  path: URL,
  intervalMs: number,
  log: FileSourceLog,
  loop = true,
  range: { start?: number; end?: number } = {},
): () => FrameSource {
  const accessUnits = splitAccessUnits(readFileSync(path)).slice(range.start ?? 0, range.end);
  return () => {
    log.started += 1;
    const controller = new AbortController();
    async function* frames(): AsyncGenerator<SourceFrame> {
      let timestampUs = 0n;
      do {
        for (const accessUnit of accessUnits) {
          if (controller.signal.aborted) {
            return;
          }
          yield { data: toAnnexB(accessUnit.nalUnits), nalUnits: accessUnit.nalUnits, keyframe: accessUnit.keyframe, timestampUs };
          timestampUs += BigInt(intervalMs * 1000);
          await sleep(intervalMs, undefined, { signal: controller.signal }).catch(() => undefined);
        }
      } while (loop && !controller.signal.aborted);
    }
    return {
      frames,
      stop: async () => {
        if (!controller.signal.aborted) {
          log.stopped += 1;
          controller.abort();
        }
      },
    };
  };
}
