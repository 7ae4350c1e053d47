import type { DecodePath, PresentedFrameDetail, SinkCounters } from '../video-sink.js';
import { estimateClockOffset, type PingSample } from './clock-offset.js';

/** Playback statistics of a player, as `stats` events and `DeskvmPlayer.stats` report them. */
export interface PlayerStats {
  /** The decode path in use, or undefined before the first configuration. */
  decodePath: DecodePath | undefined;
  /** Pictures presented per second over the last window. */
  framesPerSecond: number;
  /** Video payload received per second over the last window, in bits. */
  bitrateBitsPerSecond: number;
  /**
   * Glass-to-glass estimate in ms: presentation time minus the frame's server timestamp, corrected by the clock offset
   * from ping/pong. Undefined until a pong arrived, or with a server whose timestamps are not on its Unix-epoch clock.
   */
  latencyMs: number | undefined;
  /** Shortest recent ping/pong round trip in ms; undefined before the first pong. */
  roundTripMs: number | undefined;
  /** Encoder latency the server reported in its last pong, in ms; undefined when unknown. */
  encoderLatencyMs: number | undefined;
  /** Pictures presented since the decode path was created. */
  presentedFrames: number;
  /** Pictures decoded but not shown, plus access units skipped to reach a keyframe. */
  droppedFrames: number;
  /** Decode errors recovered from at the next keyframe. */
  decodeErrors: number;
  /** Reconnects since the player started. */
  reconnects: number;
}

// Ping samples kept for the clock offset: the best of the last few survives a congested round trip or two.
const MAX_PING_SAMPLES = 8;

/**
 * Collects what the stats report: bytes received, frames presented and their latency, ping/pong samples. Rates are
 * computed over the window between two `snapshot()` calls.
 */
export class StatsCollector {
  private windowStartMs: number;
  private windowBytes = 0;
  private windowFrames = 0;
  private lastLatencyMs: number | undefined;
  private encoderLatencyMs: number | undefined;
  private readonly pingSamples: PingSample[] = [];
  reconnects = 0;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.windowStartMs = now();
  }

  /** Counts a received video payload of `bytes`. */
  recordVideoBytes(bytes: number): void {
    this.windowBytes += bytes;
  }

  /** Counts a presented picture and updates the latency from its timestamp when the clock offset is known. */
  recordFrame(frame: PresentedFrameDetail): void {
    this.windowFrames += 1;

    const clock = estimateClockOffset(this.pingSamples);
    if (clock === undefined) {
      return;
    }

    const presentedAtUs = (performance.timeOrigin + frame.presentedAtMs) * 1000;
    this.lastLatencyMs = (presentedAtUs + clock.offsetUs - frame.timestampUs) / 1000;
  }

  /** Adds a ping/pong sample and the encoder latency the pong carried (undefined when unknown). */
  recordPong(sample: PingSample, encoderLatencyUs: number | undefined): void {
    this.pingSamples.push(sample);
    if (this.pingSamples.length > MAX_PING_SAMPLES) {
      this.pingSamples.shift();
    }
    this.encoderLatencyMs = encoderLatencyUs === undefined ? undefined : encoderLatencyUs / 1000;
  }

  /** Forgets the per-connection state (ping samples, latency), as a new connection may reach another server. */
  resetConnection(): void {
    this.pingSamples.length = 0;
    this.lastLatencyMs = undefined;
    this.encoderLatencyMs = undefined;
  }

  /** Returns the stats for the window since the last call and starts a new window. */
  snapshot(decodePath: DecodePath | undefined, counters: Readonly<SinkCounters> | undefined): PlayerStats {
    const nowMs = this.now();
    const seconds = Math.max((nowMs - this.windowStartMs) / 1000, 0.001);
    const clock = estimateClockOffset(this.pingSamples);

    const stats: PlayerStats = {
      decodePath,
      framesPerSecond: this.windowFrames / seconds,
      bitrateBitsPerSecond: (this.windowBytes * 8) / seconds,
      latencyMs: this.lastLatencyMs,
      roundTripMs: clock === undefined ? undefined : clock.roundTripUs / 1000,
      encoderLatencyMs: this.encoderLatencyMs,
      presentedFrames: counters?.presented ?? 0,
      droppedFrames: counters?.dropped ?? 0,
      decodeErrors: counters?.decodeErrors ?? 0,
      reconnects: this.reconnects,
    };

    this.windowStartMs = nowMs;
    this.windowBytes = 0;
    this.windowFrames = 0;
    return stats;
  }
}
