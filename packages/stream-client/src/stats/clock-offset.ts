/** One ping/pong exchange, with times in microseconds. */
export interface PingSample {
  /** Client time when the ping was sent, in µs since the Unix epoch. */
  sentAtUs: number;
  /** Client time when the pong arrived, in µs since the Unix epoch. */
  receivedAtUs: number;
  /** Server time in the pong, in µs since the Unix epoch. */
  serverTimeUs: number;
}

/** The result of `estimateClockOffset`. */
export interface ClockEstimate {
  /** Round trip of the sample used, in µs. */
  roundTripUs: number;
  /** Server clock minus client clock, in µs. */
  offsetUs: number;
}

/**
 * Estimates the server clock's offset from the client clock from ping/pong samples. It uses the sample with the
 * shortest round trip and assumes the pong was sent halfway through it, as NTP does, so the error is at most half
 * of that round trip. Returns undefined for no samples.
 */
export function estimateClockOffset(samples: readonly PingSample[]): ClockEstimate | undefined {
  let best: PingSample | undefined;
  for (const sample of samples) {
    if (best === undefined || sample.receivedAtUs - sample.sentAtUs < best.receivedAtUs - best.sentAtUs) {
      best = sample;
    }
  }

  if (best === undefined) {
    return undefined;
  }

  const roundTripUs = best.receivedAtUs - best.sentAtUs;
  return { roundTripUs, offsetUs: best.serverTimeUs - (best.sentAtUs + roundTripUs / 2) };
}
