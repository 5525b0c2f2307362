// `goalpost history`: the folder's goals, the current one first, then ended goals newest first — id,
// state, reason, tasks, tokens, dollars, dates. --json prints one array of stable objects.
import * as z from 'zod';
import { FileGoalStore } from '../../adapters/fileGoalStore';
import { GoalStatus, type Goal } from '../../engine/goal';
import { ExitCode } from '../exitCodes';
import { HistoryFlags, parseFlags } from '../flags';
import { formatTokens, formatUsd } from '../format';
import type { CliIo } from '../io';
import { resolveProjectRoot } from '../projectRoot';
import { taskCounts, TaskCounts } from '../statusJson';
import { formatTime } from '../../timeFormat';

/** One goal as `history --json` prints it; fields are only ever added. */
export const HistoryEntry = z.object({
  id: z.string(),
  /** True for the folder's current goal (not yet moved into history). */
  current: z.boolean(),
  status: GoalStatus,
  reason: z.string().nullable(),
  objective: z.string(),
  tasks: TaskCounts,
  commits: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  budget: z.number().int().positive().nullable(),
  branch: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
});
/** A parsed history entry. */
export type HistoryEntry = z.infer<typeof HistoryEntry>;

function entry(goal: Goal, current: boolean): HistoryEntry {
  return HistoryEntry.parse({
    id: goal.id, current, status: goal.status, reason: goal.reason, objective: goal.spec.objective,
    tasks: taskCounts(goal), commits: goal.commits.length, tokens: goal.usage.total.tokens, costUsd: goal.usage.total.costUsd,
    budget: goal.budget.tokenBudget, branch: goal.git.branch, createdAt: goal.createdAt, endedAt: goal.endedAt,
  });
}

/** Runs `goalpost history`. */
export async function runHistory(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(HistoryFlags, raw);
  const root = resolveProjectRoot(flags.projectRoot, io.cwd);
  const store = new FileGoalStore(root);
  const current = await store.load();
  const { goals, warnings } = await store.historyWithWarnings();
  for (const w of warnings) io.err.write(`warning: ${w}\n`);
  const entries = [...(current ? [entry(current, true)] : []), ...goals.filter((g) => g.id !== current?.id || g.createdAt !== current.createdAt).map((g) => entry(g, false))];
  if (flags.json) {
    io.out.write(`${JSON.stringify(entries, null, 2)}\n`);
    return ExitCode.achieved;
  }
  if (entries.length === 0) {
    io.out.write(`No goals in ${root} yet. Start one with: goalpost run --goal-file GOAL.md\n`);
    return ExitCode.achieved;
  }
  const now = new Date();
  const lines = entries.map((e) => {
    // Padded to the dated width, so today's rows (the time alone) keep the columns.
    const when = formatTime(e.endedAt ?? e.createdAt, now).padEnd(19);
    const objective = (e.objective.trim().split('\n')[0] ?? '').slice(0, 60);
    return `${e.current ? '*' : ' '} ${e.id.padEnd(24)} ${e.status.padEnd(14)} ${when}  ${`${e.tasks.done}/${e.tasks.todo + e.tasks.inProgress + e.tasks.done + e.tasks.blocked} tasks`.padEnd(11)} ${formatTokens(e.tokens).padStart(7)} tok ${formatUsd(e.costUsd).padStart(8)}  ${objective}`;
  });
  io.out.write(`${lines.join('\n')}\n(* the current goal; \`goalpost report --goal-id ID\` shows one goal in full)\n`);
  return ExitCode.achieved;
}
