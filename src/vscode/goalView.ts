// Flattens a goal record into the panel's view model (no secrets, no transcripts).
import { forecast } from '../engine/budget';
import type { Goal } from '../engine/goal';
import type { GoalView } from '../protocol';

export function toGoalView(folder: string, goal: Goal, running: boolean): GoalView {
  const f = forecast(goal);
  return {
    folder,
    id: goal.id,
    objective: goal.spec.objective,
    status: goal.status,
    interrupted: goal.status === 'pursuing' && !running,
    reason: goal.reason,
    phase: goal.phase,
    iteration: goal.iteration,
    createdAt: goal.createdAt,
    tokens: goal.usage.total.tokens,
    budget: goal.budget.tokenBudget,
    costUsd: goal.usage.total.costUsd,
    requests: goal.usage.total.requests,
    forecastTokens: f ? f.tokensToFinish : null,
    tasks: goal.backlog.map((t) => ({
      id: t.id, title: t.title, status: t.status, attempts: t.attempts.length, blockedReason: t.blockedReason, commit: t.commit,
    })),
    commits: goal.commits.length,
    reviews: goal.reviews.length,
  };
}
