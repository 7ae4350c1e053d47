/** Returns the current time in µs on the monotonic `process.hrtime` clock, whose origin is arbitrary. */
export function monotonicMicroseconds(): bigint {
  return process.hrtime.bigint() / 1000n;
}
