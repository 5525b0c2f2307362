// Summary statistics of timing samples (nearest-rank percentiles, so every figure is a real sample).

/** Median, p95 and the rest of a sample set, in the samples' unit. */
export interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
}

/** The `p`-th percentile (0–100) by nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** Summary of `samples`. */
export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  const mean = n === 0 ? Number.NaN : samples.reduce((s, x) => s + x, 0) / n;
  return {
    n,
    min: n === 0 ? Number.NaN : Math.min(...samples),
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: n === 0 ? Number.NaN : Math.max(...samples),
    mean,
  };
}

/** A number with `digits` decimals, for tables. */
export function fixed(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** A whole number with thousands separators. */
export function whole(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}
