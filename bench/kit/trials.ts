// The frame of a benchmark that repeats one trial N times (N from an environment variable), printing a line
// per trial as it ends, so a long run shows its progress.

/** N from `envName` (at least 1), else `fallback`. */
export function trialCount(envName: string, fallback: number): number {
  return Math.max(1, Number(process.env[envName] ?? fallback));
}

/** Runs `trial` `n` times one after another; `line` says what each trial measured. */
export async function runTrials<T>(name: string, n: number, trial: () => Promise<T>, line: (t: T) => string): Promise<T[]> {
  const trials: T[] = [];
  for (let i = 0; i < n; i++) {
    const t = await trial();
    trials.push(t);
    console.log(`${name}: trial ${i + 1}: ${line(t)}`);
  }
  return trials;
}
