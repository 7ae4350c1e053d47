import type { StreamMessage } from '@deskvm/stream-protocol';

/**
 * A decode path that turns stream messages into pictures on a `<video>` element. `MsePlayer` is the Media Source
 * Extensions path; a WebCodecs path would implement the same interface.
 */
export interface VideoSink extends EventTarget {
  /** Takes the next message from the server, in arrival order. */
  handleMessage(message: StreamMessage): void;
  /** Stops playback and releases the media resources. The sink takes no messages afterwards. */
  destroy(): void;
}
