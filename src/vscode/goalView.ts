// Flattens a goal record into the panel's view model (no secrets, no transcripts, no command output).
import { forecast } from '../engine/budget';
import type { Goal, Role } from '../engine/goal';
import { priceFor } from '../engine/prices';
import { modelFor, type EngineSettings } from '../engine/settings';
import { isDemoGoal } from '../engine/demo';
import type { GoalView, HistoryView, UsageView } from '../protocol';

/** The figures of a goal that change with every model response. */
export function toUsageView(goal: Goal): UsageView {
  const f = forecast(goal);
  return {
    tokens: goal.usage.total.tokens,
    budget: goal.budget.tokenBudget,
    costUsd: goal.usage.total.costUsd,
    requests: goal.usage.total.requests,
    forecastTokens: f ? f.tokensToFinish : null,
    forecastCostUsd: f ? f.costToFinish : null,
  };
}

/** True when every role that made a request has a price (else the cost is not known, not $0). */
export function pricesKnown(goal: Goal, settings: EngineSettings): boolean {
  return (Object.keys(goal.usage.byRole) as Role[]).every((role) =>
    goal.usage.byRole[role].requests === 0 || priceFor(modelFor(settings, role), settings.prices) !== null);
}

/** The folder's goal as the panel renders it. */
export function toGoalView(folder: string, folderName: string, goal: Goal, running: boolean, settings?: EngineSettings, runningSince?: Date | null): GoalView {
  return {
    activeMs: goal.activeMs ?? 0,
    runningSince: running && runningSince ? runningSince.toISOString() : null,
    ...(settings ? { priceKnown: pricesKnown(goal, settings) } : {}),
    ...toUsageView(goal),
    folder,
    folderName,
    id: goal.id,
    objective: goal.spec.objective,
    ...(goal.spec.title ? { title: goal.spec.title } : {}),
    status: goal.status,
    interrupted: goal.status === 'pursuing' && !running,
    demo: isDemoGoal(goal),
    checkpoint: goal.checkpointSummary,
    reason: goal.reason,
    phase: goal.phase,
    iteration: goal.iteration,
    createdAt: goal.createdAt,
    endedAt: goal.endedAt,
    validation: goal.validation.commands,
    tasks: goal.backlog.map((t) => ({
      id: t.id,
      title: t.title,
      details: t.details,
      status: t.status,
      blockedReason: t.blockedReason,
      commit: t.commit,
      attempts: t.attempts.map((a) => ({
        n: a.n,
        outcome: a.outcome,
        summary: a.summary,
        blocker: a.blocker,
        checks: a.checks.map((c) => ({ command: c.command, exitCode: c.exitCode, timedOut: c.timedOut, durationMs: c.durationMs, logPath: c.logPath })),
      })),
    })),
    reviews: goal.reviews.map((r) => ({ id: r.id, taskId: r.taskId, attempt: r.attempt, at: r.at, verdict: r.verdict, summary: r.summary, notes: r.notes })),
    commits: goal.commits.map((c) => ({ sha: c.sha, title: c.title, taskId: c.taskId, at: c.at })),
    points: goal.iterations.map((p) => ({ n: p.n, tokens: p.tokens, tasksDone: p.tasksDone })),
  };
}

/** An ended goal as the history list shows it. */
export function toHistoryView(goal: Goal): HistoryView {
  return {
    folder: goal.folder,
    id: goal.id,
    objective: goal.spec.objective,
    status: goal.status,
    reason: goal.reason,
    tokens: goal.usage.total.tokens,
    costUsd: goal.usage.total.costUsd,
    tasksDone: goal.backlog.filter((t) => t.status === 'done').length,
    tasksTotal: goal.backlog.length,
    endedAt: goal.endedAt,
  };
}

/** True when two views of the same goal differ only in their usage figures (a tick, not a new state). */
export function onlyUsageChanged(before: GoalView, after: GoalView): boolean {
  const usageKeys = new Set<string>(['tokens', 'budget', 'costUsd', 'requests', 'forecastTokens', 'forecastCostUsd']);
  for (const key of Object.keys(after) as (keyof GoalView)[]) {
    if (usageKeys.has(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) return false;
  }
  return true;
}
