import { encodeMessage } from '@deskvm/stream-protocol';

import type { StreamHub } from './stream-hub.js';

/**
 * Sends each version 2 viewer its ServerStats message. Counters that pass their field size wrap (frame counts) or
 * saturate (bytes, viewers, restarts), as the `ServerStats` type of @deskvm/stream-protocol documents.
 */
export function sendStats(hub: StreamHub): void {
  const pipeline = hub.pipelineStats();

  for (const viewer of hub.viewers) {
    if (viewer.version < 2) {
      continue;
    }

    const stats = viewer.stats();

    viewer.sendControl(
      encodeMessage({
        type: 'server-stats',
        sentFrames: stats.sentFrames % 2 ** 32,
        droppedFrames: stats.droppedFrames % 2 ** 32,
        bufferedBytes: Math.min(stats.bufferedBytes, 0xffff_ffff),
        viewers: Math.min(hub.viewers.size, 0xffff),
        pipelineRestarts: Math.min(pipeline.restarts, 0xffff_ffff),
      }),
    );
  }
}
