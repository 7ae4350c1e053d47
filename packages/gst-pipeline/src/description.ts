/** Frames per second: an integer such as 30, or an exact fraction such as 30000/1001. */
export type FrameRate = number | { numerator: number; denominator: number };

/** The patterns of GStreamer's videotestsrc (GStreamer 1.22, `gst-inspect-1.0 videotestsrc`). */
export const VIDEO_TEST_PATTERNS = [
  'smpte',
  'snow',
  'black',
  'white',
  'red',
  'green',
  'blue',
  'checkers-1',
  'checkers-2',
  'checkers-4',
  'checkers-8',
  'circular',
  'blink',
  'smpte75',
  'zone-plate',
  'gamut',
  'chroma-zone-plate',
  'solid-color',
  'ball',
  'smpte100',
  'bar',
  'pinwheel',
  'spokes',
  'gradient',
  'colors',
  'smpte-rp-219',
] as const;

/** One videotestsrc pattern name. */
export type VideoTestPattern = (typeof VIDEO_TEST_PATTERNS)[number];

/** A synthetic live source. It always runs with `is-live=true`, so it produces frames at the frame rate in real time. */
export interface VideoTestSourceDescription {
  kind: 'videotestsrc';
  /** The test picture; default `'smpte'` (colour bars). */
  pattern?: VideoTestPattern;
}

/**
 * Capture of an X11 screen. It always runs with `use-damage=false`, because with XDamage ximagesrc sends frames that
 * are stale or only partly updated.
 */
export interface XImageSourceDescription {
  kind: 'ximagesrc';
  /** The local X display, `:N` or `:N.S`, for example `':99'`. Remote `host:N` displays are rejected. */
  display: string;
  /** Whether to draw the mouse pointer into the frames; default true. */
  showPointer?: boolean;
  /**
   * Whether ximagesrc copies only the regions that XDamage reports as changed; default false. In GStreamer 1.22 it
   * then sends frames that are stale or only partly updated.
   */
  useDamage?: boolean;
}

/**
 * The memory that a PipeWire screen-cast stream is negotiated in. `'dmabuf'` keeps frames on the GPU and goes through
 * `vapostproc`, so it needs a VA encoder; `'system'` makes PipeWire copy frames into system memory.
 */
export type PipeWireMemory = 'dmabuf' | 'system';

/**
 * A screen-cast stream from the XDG desktop portal (Wayland compositors). The portal's PipeWire remote is handed to
 * gst-launch-1.0 as file descriptor 3 (the runner passes `fd` there), and frames are read from the node `nodeId`.
 * It always runs with `keepalive-time` and `resend-last`, because a compositor that sends only damaged frames sends
 * nothing while the screen is still.
 */
export interface PipeWireSourceDescription {
  kind: 'pipewiresrc';
  /** The PipeWire remote file descriptor from the portal's `OpenPipeWireRemote`, as open in this process. */
  fd: number;
  /** The PipeWire node id from the portal's `Start` response. */
  nodeId: number;
  /**
   * The memory to negotiate; default `'system'`. `runWithFallback` tries `'dmabuf'` first for VA encoders and falls back
   * to `'system'` when negotiation fails.
   */
  memory?: PipeWireMemory;
  /** How often the last frame is sent again while the screen is still, in ms, 1 to 10000; default 100. */
  keepaliveMs?: number;
}

/** The source of the frames. */
export type SourceDescription = VideoTestSourceDescription | XImageSourceDescription | PipeWireSourceDescription;

/** The x264 speed presets, fastest first. */
export const X264_SPEED_PRESETS = [
  'ultrafast',
  'superfast',
  'veryfast',
  'faster',
  'fast',
  'medium',
  'slow',
  'slower',
  'veryslow',
] as const;

/** One x264 speed preset. */
export type X264SpeedPreset = (typeof X264_SPEED_PRESETS)[number];

/** The x264 software encoder, always with `tune=zerolatency` and no B-frames. */
export interface X264EncoderDescription {
  kind: 'x264enc';
  /** Speed against quality; default `'ultrafast'`, because encoding time per frame adds directly to latency. */
  speedPreset?: X264SpeedPreset;
  /** Encoder threads, 0 to 64, where 0 lets x264 choose from the CPU count; unset by default, so x264enc uses 0. */
  threads?: number;
  /**
   * Whether x264 codes each frame as slices on parallel threads (true) or several frames in parallel (false), which
   * delays each frame. Default unset: GStreamer 1.22's x264enc then passes nothing, and x264's `tune=zerolatency`
   * turns sliced threads on.
   */
  slicedThreads?: boolean;
}

/** The OpenH264 software encoder (Constrained Baseline profile, so it never emits B-frames). */
export interface OpenH264EncoderDescription {
  kind: 'openh264enc';
  /** The content type OpenH264 tunes for; default `'screen'`, since deskvm streams desktops. */
  usageType?: 'screen' | 'camera';
}

/** The hardware H.264 encoders, by GStreamer element name. */
export const HARDWARE_ENCODERS = [
  'vah264enc',
  'vah264lpenc',
  'vaapih264enc',
  'nvh264enc',
  'nvcudah264enc',
  'qsvh264enc',
  'vtenc_h264_hw',
] as const;

/** One hardware H.264 encoder element. */
export type HardwareEncoderKind = (typeof HARDWARE_ENCODERS)[number];

/**
 * A hardware encoder, configured from the common settings (bitrate, keyframe interval, no B-frames, low latency),
 * which are mapped to the element's own properties.
 */
export interface HardwareEncoderDescription {
  kind: HardwareEncoderKind;
}

/** The H.264 encoder. */
export type EncoderDescription = X264EncoderDescription | OpenH264EncoderDescription | HardwareEncoderDescription;

/** Smallest output width and height, in pixels: one H.264 macroblock. */
export const MIN_FRAME_DIMENSION = 16;

/** Largest output width and height, in pixels; H.264 level 6.2 also bounds the area, to 139,264 macroblocks. */
export const MAX_FRAME_DIMENSION = 8192;

/** A complete capture-to-H.264 pipeline. */
export interface PipelineDescription {
  source: SourceDescription;
  encoder: EncoderDescription;
  /** Output width in pixels, even, 16 to 8192. The source is scaled to it. */
  width: number;
  /** Output height in pixels, even, 16 to 8192. */
  height: number;
  /** Output frame rate, more than 0 and at most 240 frames per second. */
  frameRate: FrameRate;
  /** Target bitrate in kbit/s, 1 to 2048000; default 4000. */
  bitrateKbps?: number;
  /**
   * Maximum distance between keyframes, in frames, 1 to 100000; default 2 seconds of frames (60 at 30 fps). A viewer
   * that joins or loses data waits at most this long for a picture when no keyframe is requested, while keyframes,
   * several times larger than other frames, stay rare enough not to cause regular bitrate spikes.
   */
  keyframeInterval?: number;
}

/** A description after validation, with every default filled in and the frame rate as a fraction. */
export interface ResolvedPipelineDescription {
  source:
    | Required<VideoTestSourceDescription>
    | Required<XImageSourceDescription>
    | Required<PipeWireSourceDescription>;
  encoder: ResolvedX264Encoder | Required<OpenH264EncoderDescription> | HardwareEncoderDescription;
  width: number;
  height: number;
  frameRate: { numerator: number; denominator: number };
  bitrateKbps: number;
  keyframeInterval: number;
}

/** An x264 encoder after validation: `threads` and `slicedThreads` stay undefined when x264enc's defaults apply. */
export type ResolvedX264Encoder = Required<Pick<X264EncoderDescription, 'kind' | 'speedPreset'>> &
  Pick<X264EncoderDescription, 'threads' | 'slicedThreads'>;

/** Default target bitrate in kbit/s. */
export const DEFAULT_BITRATE_KBPS = 4000;

/** Default keyframe interval in seconds, turned into frames at the pipeline's frame rate. */
export const DEFAULT_KEYFRAME_INTERVAL_SECONDS = 2;
