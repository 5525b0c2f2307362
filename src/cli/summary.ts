// The closing words of `goalpost run`: how the goal ended, what it cost, and what to do next.
import { plural } from '../engine/text';
import type { Goal } from '../engine/goal';
import { formatBudget, formatUsd, shellArg } from './format';
import type { Progress } from './progress';
import { taskCounts, toStatusJson } from './statusJson';

/** The exact command that continues the goal in `root`. */
export function resumeCommand(root: string, extra = ''): string {
  return `goalpost run --resume${extra ? ` ${extra}` : ''} --project-root ${shellArg(root)}`;
}

/** Human-readable lines about the goal's end state and the next step. */
export function summaryLines(goal: Goal, root: string): string[] {
  const t = taskCounts(goal);
  const lines: string[] = [];
  const head: Record<Goal['status'], string> = {
    achieved: '✔ Goal achieved',
    unmet: '✖ Goal unmet',
    'budget-limited': '■ Goal stopped at its token budget',
    paused: '‖ Goal paused',
    pursuing: '… Goal still pursuing',
    cleared: 'Goal cleared',
  };
  lines.push(`${head[goal.status]} (${goal.id})${goal.reason ? `: ${goal.reason}` : ''}`);
  lines.push(`  tasks: ${t.done} done, ${t.todo + t.inProgress} open, ${t.blocked} blocked · ${plural(goal.commits.length, 'commit')}${goal.git.branch ? ` on ${goal.git.branch}` : ''}`);
  lines.push(`  usage: ${formatBudget(goal.usage.total.tokens, goal.budget.tokenBudget)} · ${formatUsd(goal.usage.total.costUsd)} · ${plural(goal.usage.total.requests, 'request')}`);
  for (const task of goal.backlog.filter((x) => x.status === 'blocked')) {
    lines.push(`  blocked ${task.id} “${task.title}”: ${task.blockedReason ?? 'no reason recorded'}`);
  }
  if (goal.status === 'paused' || goal.status === 'pursuing') lines.push(`Resume with: ${resumeCommand(root)}`);
  if (goal.status === 'budget-limited') lines.push(`Raise the budget and resume: ${resumeCommand(root, '--budget <tokens>')}`);
  if (goal.status === 'unmet') lines.push(`Review BACKLOG.md and the log, then retry with ${resumeCommand(root)} or start over with \`goalpost clear\`.`);
  return lines;
}

/** Prints the summary in the progress output's mode (JSON: one `summary` object). */
export function printSummary(progress: Progress, goal: Goal, root: string, exitCode: number, out: { write(text: string): unknown }, json: boolean): void {
  progress.stop();
  if (json) {
    const resume = goal.status === 'paused' || goal.status === 'pursuing' || goal.status === 'budget-limited' ? resumeCommand(root) : null;
    progress.json({ type: 'summary', exitCode, ...toStatusJson(goal, root, { running: false, pid: null }), resumeCommand: resume });
    return;
  }
  out.write(`${summaryLines(goal, root).join('\n')}\n`);
}
