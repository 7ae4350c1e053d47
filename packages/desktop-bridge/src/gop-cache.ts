/** One access unit ready to send: the encoded wire message, and whether it starts a group of pictures. */
export interface CachedFrame {
  readonly message: Uint8Array;
  readonly keyframe: boolean;
}

/**
 * The access units since the last keyframe, so a viewer that joins mid-stream starts decoding at once instead of
 * waiting for the encoder's next keyframe. When a group grows past its limits the cache empties and new viewers wait.
 */
export class GopCache {
  readonly #maxFrames: number;
  readonly #maxBytes: number;
  #frames: CachedFrame[] = [];
  #bytes = 0;

  /**
   * @param maxFrames maximum access units kept (default 600: 10 s at 60 fps)
   * @param maxBytes maximum encoded bytes kept (default 32 MiB)
   */
  constructor(maxFrames = 600, maxBytes = 32 * 1024 * 1024) {
    this.#maxFrames = maxFrames;
    this.#maxBytes = maxBytes;
  }

  /** Adds an access unit; a keyframe starts a new group. Delta frames with no keyframe before them are not kept. */
  add(frame: CachedFrame): void {
    if (frame.keyframe) {
      this.#frames = [];
      this.#bytes = 0;
    } else if (this.#frames.length === 0) {
      return;
    }

    this.#frames.push(frame);
    this.#bytes += frame.message.byteLength;
    if (this.#frames.length > this.#maxFrames || this.#bytes > this.#maxBytes) {
      this.clear();
    }
  }

  /** Returns the current group, keyframe first, or an empty list when no group start is cached. */
  frames(): readonly CachedFrame[] {
    return this.#frames;
  }

  /** Forgets the cached group, for example when the pipeline restarts. */
  clear(): void {
    this.#frames = [];
    this.#bytes = 0;
  }
}
