// Builds every request fresh from the goal record, so context does not grow with the goal's length:
// the goal block, a bounded view of the backlog, the checkpoint summary and the last attempt.
import type { Attempt, CheckResult, Goal, Task } from '../goal';
import { budgetLevel } from '../budget';
import { renderPrompt, wrapUntrusted, type PromptLibrary } from '../prompts';

const MAX_TODO_SHOWN = 12;
const MAX_DONE_SHOWN = 5;
const MAX_CHECK_OUTPUT = 3000;
const MAX_DIFF_CHARS = 60_000;
/** The checkpoint summary kept in every request; bounded so context does not grow with the goal. */
export const MAX_SUMMARY_CHARS = 2400;

function bullets(items: string[], none: string): string {
  return items.length === 0 ? none : items.map((i) => `- ${i}`).join('\n');
}

/** The goal's constraints, with its protected paths (F10) told up front rather than only on refusal. */
function constraintsOf(spec: Goal['spec']): string[] {
  const paths = spec.protectedPaths ?? [];
  if (paths.length === 0) return spec.constraints;
  return [...spec.constraints, `Protected paths, not to be changed by any means (a change is undone and fails the attempt): ${paths.map((p) => `\`${p}\``).join(', ')}`];
}

/** The goal block shared by every role: identical across a goal's requests unless the objective is edited. */
export function goalBlock(prompts: PromptLibrary, goal: Goal): string {
  const spec = goal.spec;
  return renderPrompt(prompts, 'goal', {
    objective: wrapUntrusted('objective', spec.objective),
    acceptance_criteria: bullets(spec.acceptanceCriteria, '(none given)'),
    non_goals: bullets(spec.nonGoals, '(none given)'),
    constraints: bullets(constraintsOf(spec), '(none given)'),
    validation_commands: bullets(goal.validation.commands.map((c) => `\`${c}\``), '(none yet)'),
  });
}

/** The objective_updated notice, or '' when the objective has not changed since the last turn. */
export function objectiveUpdateBlock(prompts: PromptLibrary, goal: Goal): string {
  if (goal.previousObjective === null) return '';
  return renderPrompt(prompts, 'objective_updated', {
    previous_objective: wrapUntrusted('previous_objective', goal.previousObjective),
    objective: wrapUntrusted('objective', goal.spec.objective),
  });
}

function taskLine(t: Task): string {
  return `[${t.id}] ${t.title}`;
}

/** A bounded view of the backlog: the next TODO tasks in full, the rest as counts. */
export function backlogView(goal: Goal): string {
  // One pass by index (the backlog is a frozen array of up to thousands of tasks, and this runs per request).
  const groups: Record<Task['status'], Task[]> = { todo: [], 'in-progress': [], done: [], blocked: [] };
  const tasks = goal.backlog;
  for (let i = 0; i < tasks.length; i++) groups[tasks[i].status].push(tasks[i]);
  const { todo, 'in-progress': inProgress, done, blocked } = groups;
  const lines: string[] = [];
  lines.push(`IN PROGRESS (${inProgress.length})`);
  for (const t of inProgress) lines.push(`- ${taskLine(t)}`);
  lines.push(`TODO (${todo.length})`);
  for (const t of todo.slice(0, MAX_TODO_SHOWN)) lines.push(`- ${taskLine(t)}`);
  if (todo.length > MAX_TODO_SHOWN) lines.push(`- … and ${todo.length - MAX_TODO_SHOWN} more`);
  lines.push(`DONE (${done.length})`);
  const recent = done.slice(-MAX_DONE_SHOWN);
  if (done.length > recent.length) lines.push(`- … ${done.length - recent.length} earlier tasks`);
  for (const t of recent) lines.push(`- ${taskLine(t)}`);
  lines.push(`BLOCKED (${blocked.length})`);
  for (const t of blocked.slice(0, MAX_TODO_SHOWN)) lines.push(`- ${taskLine(t)} — ${t.blockedReason ?? ''}`);
  return wrapUntrusted('backlog', lines.join('\n'));
}

/** A whole task, for the actor and the reviewer. */
export function taskBlock(task: Task): string {
  return wrapUntrusted(
    'task',
    `[${task.id}] ${task.title}\n\nDetails:\n${task.details || '(none)'}\n\nAcceptance:\n${task.acceptance || '(none)'}`,
  );
}

export function checksBlock(checks: CheckResult[]): string {
  if (checks.length === 0) return '(no checks were run)';
  return checks
    .map((c) => {
      const status = c.timedOut ? 'timed out' : c.exitCode === null ? `killed by ${c.signal ?? 'signal'}` : `exit ${c.exitCode}`;
      const out = c.output.length > MAX_CHECK_OUTPUT ? `…${c.output.slice(-MAX_CHECK_OUTPUT)}` : c.output;
      return `$ ${c.command}  → ${status} (${Math.round(c.durationMs)} ms)\n${out.trimEnd()}`;
    })
    .join('\n\n');
}

export function diffBlock(diff: string): string {
  const body = diff.trim() === '' ? '(no changes)' : diff.length > MAX_DIFF_CHARS
    ? `${diff.slice(0, MAX_DIFF_CHARS)}\n… (diff truncated at ${MAX_DIFF_CHARS} characters; read the files for the rest)`
    : diff;
  return wrapUntrusted('diff', body);
}

/** What the previous attempt at this task produced: the feedback the next attempt must act on. */
export function lastAttemptBlock(goal: Goal, task: Task): string {
  const finished = task.attempts.filter((a) => a.outcome !== null && a.outcome !== 'interrupted');
  const last: Attempt | undefined = finished[finished.length - 1];
  if (!last) return 'This is the first attempt at this task.';
  const parts = [`Attempt ${last.n} ended: ${last.outcome}.`];
  if (last.summary) parts.push(`Its summary: ${last.summary}`);
  if (last.blocker) parts.push(`Blocker reported: ${last.blocker}`);
  if (last.engineNote) parts.push(last.engineNote);
  const failing = last.checks.filter((c) => c.exitCode !== 0);
  if (failing.length > 0) parts.push(`Failing checks:\n${checksBlock(failing)}`);
  const review = last.reviewId ? goal.reviews.find((r) => r.id === last.reviewId) : undefined;
  if (review && review.verdict !== 'approve') {
    parts.push(`The reviewer requested changes: ${review.summary}`);
    for (const n of review.notes) parts.push(`- ${n.severity} ${n.path}:${n.line} ${n.message}`);
  }
  return wrapUntrusted('last_attempt', parts.join('\n'));
}

export function budgetLine(goal: Goal): string {
  const level = budgetLevel(goal);
  if (level.budget === null) return `${level.used.toLocaleString('en-US')} tokens used (no budget limit).`;
  return `${level.used.toLocaleString('en-US')} of ${level.budget.toLocaleString('en-US')} tokens used (${Math.round((level.fraction ?? 0) * 100)} %).`;
}

export function checkpointText(goal: Goal): string {
  const s = goal.checkpointSummary.trim();
  if (s === '') return '(nothing yet)';
  return wrapUntrusted('checkpoint', s.length > MAX_SUMMARY_CHARS ? `…${s.slice(-MAX_SUMMARY_CHARS)}` : s);
}

/** Appends a finished task to the checkpoint summary, keeping it bounded (newest kept). */
export function extendCheckpoint(summary: string, line: string): string {
  const next = summary.trim() === '' ? line : `${summary.trim()}\n${line}`;
  return next.length > MAX_SUMMARY_CHARS ? next.slice(next.length - MAX_SUMMARY_CHARS).replace(/^[^\n]*\n/, '') : next;
}

/** Ids that must never be reused: a task deleted after it was committed still owns its trailers. */
export function reservedTaskIds(goal: Goal): string[] {
  return goal.commits.map((c) => c.taskId);
}
