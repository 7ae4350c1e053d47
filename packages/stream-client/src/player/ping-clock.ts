import type { ClientMessage, Pong } from '@deskvm/stream-protocol';

import type { PingSample } from '../stats/clock-offset.js';

/** Options of `PingClock`. */
export interface PingClockOptions {
  /** Interval between pings, in ms. */
  intervalMs: number;
  /** Sends a ping; returns false when it could not be sent. */
  send: (message: ClientMessage) => boolean;
  /** Called for each pong that replies to a ping of this clock, with the encoder latency it carried. */
  onSample: (sample: PingSample, encoderLatencyUs: number | undefined) => void;
}

// Only this many pings wait for a pong, so a server that never replies does not grow the map.
const MAX_OUTSTANDING_PINGS = 16;

/** Returns the client's time in microseconds since the Unix epoch, with `performance.now()` resolution. */
export function clientTimeUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

/** Sends pings at an interval and turns the pongs into round-trip and clock-offset samples. */
export class PingClock {
  private readonly outstanding = new Map<number, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private nextId = 1;

  constructor(private readonly options: PingClockOptions) {}

  /** Sends a ping now and then every `intervalMs`, until `stop()`. */
  start(): void {
    this.stop();
    this.ping();
    this.timer = setInterval(() => this.ping(), this.options.intervalMs);
  }

  /** Stops pinging and drops the pings that wait for a pong. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.outstanding.clear();
  }

  /** Takes a pong; pongs that match no outstanding ping are ignored. */
  handlePong(pong: Pong): void {
    const sentAtUs = this.outstanding.get(pong.id);
    if (sentAtUs === undefined) {
      return;
    }

    this.outstanding.delete(pong.id);
    const sample = { sentAtUs, receivedAtUs: clientTimeUs(), serverTimeUs: Number(pong.serverTimeUs) };
    this.options.onSample(sample, pong.encoderLatencyUs);
  }

  private ping(): void {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0;
    const sentAtUs = clientTimeUs();

    if (!this.options.send({ type: 'ping', id, clientTimeUs: BigInt(Math.round(sentAtUs)) })) {
      return;
    }

    this.outstanding.set(id, sentAtUs);
    if (this.outstanding.size > MAX_OUTSTANDING_PINGS) {
      const oldest = this.outstanding.keys().next().value;
      if (oldest !== undefined) {
        this.outstanding.delete(oldest);
      }
    }
  }
}
