// The stable JSON shape of `goalpost status --json` and of `run --json`'s final summary. Scripts rely
// on it, so it is a zod schema: fields are only ever added, never renamed or removed.
import * as z from 'zod';
import { forecast } from '../engine/budget';
import { GoalPause, GoalStatus, Phase, type Goal } from '../engine/goal';

/** Task counts per backlog section. */
export const TaskCounts = z.object({
  todo: z.number().int().nonnegative(),
  inProgress: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  blocked: z.number().int().nonnegative(),
});
/** Parsed task counts. */
export type TaskCounts = z.infer<typeof TaskCounts>;

/** The status object; `status` is `none` and `id` null when the folder has no goal. */
export const StatusJson = z.object({
  id: z.string().nullable(),
  status: z.union([GoalStatus, z.literal('none')]),
  reason: z.string().nullable(),
  /** Why a paused or budget-limited goal stopped, as data (user, interrupted, model-error + kind, budget, fault); null otherwise. */
  pause: GoalPause.nullable(),
  phase: Phase.nullable(),
  iteration: z.number().int().nonnegative(),
  /** True while a `goalpost run` process holds the folder's lock. */
  running: z.boolean(),
  pid: z.number().int().positive().nullable(),
  tasks: TaskCounts,
  usage: z.object({
    tokens: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative(),
    requests: z.number().int().nonnegative(),
  }),
  /** Token budget; null: unlimited (or no goal). */
  budget: z.number().int().positive().nullable(),
  commits: z.number().int().nonnegative(),
  objective: z.string().nullable(),
  forecast: z
    .object({
      tasksLeft: z.number().int().nonnegative(),
      tokensToFinish: z.number().int().nonnegative(),
      costToFinish: z.number().nonnegative(),
      willExceedBudget: z.boolean(),
    })
    .nullable(),
  folder: z.string(),
  branch: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
/** The object `status --json` prints. */
export type StatusJson = z.infer<typeof StatusJson>;

/** Counts the backlog by section. */
export function taskCounts(goal: Goal): TaskCounts {
  const count = (s: Goal['backlog'][number]['status']): number => goal.backlog.filter((t) => t.status === s).length;
  return { todo: count('todo'), inProgress: count('in-progress'), done: count('done'), blocked: count('blocked') };
}

/** Builds (and validates) the status object for `goal` in `folder`. */
export function toStatusJson(goal: Goal | null, folder: string, run: { running: boolean; pid: number | null }): StatusJson {
  if (goal === null) {
    return StatusJson.parse({
      id: null, status: 'none', reason: null, pause: null, phase: null, iteration: 0, running: run.running, pid: run.pid,
      tasks: { todo: 0, inProgress: 0, done: 0, blocked: 0 }, usage: { tokens: 0, costUsd: 0, requests: 0 },
      budget: null, commits: 0, objective: null, forecast: null, folder, branch: null, updatedAt: null,
    });
  }
  const f = forecast(goal);
  return StatusJson.parse({
    id: goal.id,
    status: goal.status,
    reason: goal.reason,
    pause: goal.pause,
    phase: goal.phase,
    iteration: goal.iteration,
    running: run.running,
    pid: run.pid,
    tasks: taskCounts(goal),
    usage: { tokens: goal.usage.total.tokens, costUsd: goal.usage.total.costUsd, requests: goal.usage.total.requests },
    budget: goal.budget.tokenBudget,
    commits: goal.commits.length,
    objective: goal.spec.objective,
    forecast: f
      ? { tasksLeft: f.tasksLeft, tokensToFinish: f.tokensToFinish, costToFinish: f.costToFinish, willExceedBudget: f.willExceedBudget }
      : null,
    folder,
    branch: goal.git.branch,
    updatedAt: goal.updatedAt,
  });
}
