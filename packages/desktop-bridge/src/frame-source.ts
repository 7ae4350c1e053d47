/** One encoded access unit as the bridge receives it from a pipeline. */
export interface SourceFrame {
  /** The access unit in Annex-B form, start codes included. */
  readonly data: Uint8Array;
  /** The NAL units of `data`, headers included, without start codes. */
  readonly nalUnits: readonly Uint8Array[];
  /** True when the access unit contains an IDR picture. */
  readonly keyframe: boolean;
  /** Presentation timestamp in microseconds. */
  readonly timestampUs: bigint;
  /** Time from capture to this encoded access unit, in microseconds, when the source can measure it. */
  readonly encoderLatencyUs?: number;
}

/** A running encoder that yields access units until it is stopped or fails. */
export interface FrameSource {
  /** Access units in decode order. The iterator ends when the source stops, and throws when it fails. */
  frames(): AsyncIterable<SourceFrame>;
  /** Stops the source and resolves once its process is gone. */
  stop(): Promise<void>;
  /**
   * Makes the encoder produce a keyframe soon. It is absent when the source cannot do that, as with gst-launch-1.0,
   * which takes no force-key-unit event from outside. The bridge then replays its cached group of pictures.
   */
  requestKeyframe?(): void;
  /**
   * Returns the encoder's recent median encode time per frame, in microseconds, or undefined before it has one. Pong
   * messages report it when the access units carry no `encoderLatencyUs`. It is absent when the source cannot
   * measure it.
   */
  encodeTimeUs?(): number | undefined;
}

/**
 * Starts a new {@link FrameSource}; the bridge calls it again to restart a source that ended. A factory whose sources
 * implement `requestKeyframe` sets `forcesKeyframes` to true, because the bridge announces that capability in its
 * hello, before the first viewer has started a source.
 */
export type FrameSourceFactory = (() => FrameSource) & { readonly forcesKeyframes?: boolean };
