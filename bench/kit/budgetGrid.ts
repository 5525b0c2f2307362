// The loop of the overshoot benchmarks: one run for every profile and budget, each printed as it ends
// (a run takes seconds, so the figures show as they come rather than at the end).

/** Runs `runOnce` for every budget of every profile, in that order, printing `line(run)` after each. */
export async function runEveryBudget<P, R>(profiles: readonly P[], budgets: readonly number[], runOnce: (profile: P, budget: number) => Promise<R>, line: (run: R) => string): Promise<R[]> {
  const runs: R[] = [];
  for (const profile of profiles) {
    for (const budget of budgets) {
      const run = await runOnce(profile, budget);
      runs.push(run);
      console.log(line(run));
    }
  }
  return runs;
}
