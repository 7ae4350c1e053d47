// Percentiles and table output shared by the stream benchmarks.

/** Returns the p-th percentile (0 to 100) of `values` by the nearest-rank method, or NaN for an empty list. */
export function percentile(values, p) {
  if (values.length === 0) {
    return Number.NaN;
  }

  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);

  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Returns the median of `values`. */
export function median(values) {
  return percentile(values, 50);
}

/** Formats a number with `digits` decimals, or `-` when it is not finite. */
export function formatNumber(value, digits = 1) {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** Prints rows of equal-length string arrays as a Markdown table, the first row being the header. */
export function printTable(rows) {
  const [header, ...body] = rows;
  const line = (cells) => `| ${cells.join(' | ')} |`;

  console.log(line(header));
  console.log(line(header.map(() => '---')));
  for (const row of body) {
    console.log(line(row));
  }
}

/** Returns the wall-clock time in microseconds, with sub-millisecond resolution, comparable across processes. */
export function wallClockUs() {
  return (performance.timeOrigin + performance.now()) * 1000;
}
