// Token accounting and the budget of PRODUCT.md F4: tokens counted as Codex counts them, the 80 %
// warning and 100 % stop, and a forecast of what finishing will likely cost.
import type { Goal, Role, TokenUsage, Usage, UsageTotals } from './goal';
import { costOf } from './prices';
import type { PriceEntry } from './settings';

/** Codex's count: (input − cached) + output. Reasoning tokens are already inside output, so not added. */
export function tokensOf(u: TokenUsage): number {
  return Math.max(0, u.inputTokens - u.cachedInputTokens) + u.outputTokens;
}

/** One usage line plus one response. */
function addTo(line: UsageTotals, u: TokenUsage, cost: number): UsageTotals {
  return {
    inputTokens: line.inputTokens + u.inputTokens,
    cachedInputTokens: line.cachedInputTokens + u.cachedInputTokens,
    outputTokens: line.outputTokens + u.outputTokens,
    reasoningTokens: line.reasoningTokens + u.reasoningTokens,
    requests: line.requests + 1,
    tokens: line.tokens + tokensOf(u),
    costUsd: line.costUsd + cost,
  };
}

/** A new Usage with one response added to the role's line and to the total (the input is not touched). */
export function recordUsage(usage: Usage, role: Role, u: TokenUsage, price: PriceEntry | null): Usage {
  const cost = costOf(u, price);
  return {
    total: addTo(usage.total, u, cost),
    byRole: { ...usage.byRole, [role]: addTo(usage.byRole[role], u, cost) },
  };
}

/** Where the goal stands against its budget. */
export type BudgetLevelName = 'ok' | 'warn' | 'exhausted';

/** Tokens used against the budget; `budget` and `fraction` are null when the budget is unlimited. */
export interface BudgetLevel {
  used: number;
  budget: number | null;
  fraction: number | null;
  level: BudgetLevelName;
}

/** The goal's budget position: warn from 80 % on, exhausted from 100 % on. */
export function budgetLevel(goal: Goal): BudgetLevel {
  const used = goal.usage.total.tokens;
  const budget = goal.budget.tokenBudget;
  if (budget === null) return { used, budget: null, fraction: null, level: 'ok' };
  // Integer comparisons, so exactly 80 % is a warning whatever floating point makes of used / budget.
  const level: BudgetLevelName = used >= budget ? 'exhausted' : used * 5 >= budget * 4 ? 'warn' : 'ok';
  return { used, budget, fraction: used / budget, level };
}

/** True when the 80 % warning is due and has not been shown for this budget value yet. */
export function shouldWarn(goal: Goal): boolean {
  return !goal.budget.warned80 && budgetLevel(goal).level !== 'ok';
}

/** What finishing is likely to cost at the burn rate so far (tokens and dollars per finished task). */
export interface Forecast {
  tokensPerTask: number;
  /** Tasks still to do: todo plus in-progress (blocked ones are not counted). */
  tasksLeft: number;
  tokensToFinish: number;
  costToFinish: number;
  /** True when used + tokensToFinish passes a finite budget. */
  willExceedBudget: boolean;
}

/** The forecast of F4, or null before any task is done (no burn rate yet). */
export function forecast(goal: Goal): Forecast | null {
  const done = goal.backlog.filter((t) => t.status === 'done').length;
  if (done === 0) return null;
  const tasksLeft = goal.backlog.filter((t) => t.status === 'todo' || t.status === 'in-progress').length;
  const used = goal.usage.total.tokens;
  const tokensPerTask = used / done;
  const tokensToFinish = Math.round(tokensPerTask * tasksLeft);
  const costToFinish = (goal.usage.total.costUsd / done) * tasksLeft;
  const budget = goal.budget.tokenBudget;
  return {
    tokensPerTask,
    tasksLeft,
    tokensToFinish,
    costToFinish,
    willExceedBudget: budget !== null && used + tokensToFinish > budget,
  };
}
