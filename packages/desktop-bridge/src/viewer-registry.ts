import { CloseCode } from '@deskvm/stream-protocol';

import type { Logger } from './logger.js';
import type { Viewer } from './viewer.js';

/**
 * Maps client ids to viewers. When a second connection claims an id, the older one is closed with 4003
 * (superseded), so a player that reconnected does not keep a stale twin streaming.
 */
export class ViewerRegistry {
  readonly #byClientId = new Map<string, Viewer>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Records `clientId` for `viewer` and closes an older viewer with the same id. */
  claim(viewer: Viewer, clientId: string): void {
    const older = this.#byClientId.get(clientId);

    viewer.clientId = clientId;
    this.#byClientId.set(clientId, viewer);

    if (older !== undefined && older !== viewer) {
      this.#logger.info('viewer superseded', { viewerId: older.id, byViewerId: viewer.id, clientId });
      older.close(CloseCode.Superseded, 'superseded by a newer connection');
    }
  }

  /** Forgets a viewer that left. */
  release(viewer: Viewer): void {
    if (viewer.clientId !== undefined && this.#byClientId.get(viewer.clientId) === viewer) {
      this.#byClientId.delete(viewer.clientId);
    }
  }
}
