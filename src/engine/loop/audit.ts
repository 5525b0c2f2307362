// The completion audit: the only way to `achieved`. Every validation command in a fresh run, then the
// reviewer audits the whole goal (objective, criteria, non-goals, full diff since the goal began).
// Findings become new TODO tasks.
import { plural, shorten } from '../text';
import type { CheckResult, Review } from '../goal';
import { addTasks } from '../backlog/tasks';
import type { TaskDraft } from '../tools/submitTools';
import { readBacklogEdits } from './backlogSync';
import { reservedTaskIds } from './promptBlocks';
import { checksPassed, runChecks } from './checks';
import { runReview } from './review';
import type { GoalSession } from './session';

export type AuditOutcome =
  | { kind: 'achieved'; evidence: string }
  | { kind: 'findings'; tasks: number };

/** Turns failing checks and review notes into tasks the loop can work on. */
export function auditFindings(checks: CheckResult[], review: Review | null): TaskDraft[] {
  const drafts: TaskDraft[] = [];
  for (const c of checks.filter((x) => x.exitCode !== 0 || x.timedOut)) {
    drafts.push({
      title: `Make \`${c.command}\` pass`,
      details: `The completion audit ran \`${c.command}\` and it ${c.timedOut ? 'timed out' : `exited with ${c.exitCode ?? c.signal}`}. Output tail:\n${c.output.slice(-1500)}`,
      acceptance: `\`${c.command}\` exits 0.`,
    });
  }
  if (review && review.verdict !== 'approve') {
    const serious = review.notes.filter((n) => n.severity !== 'info');
    for (const n of serious) {
      drafts.push({
        title: `Audit: ${shorten(n.message, 120)}`,
        details: `${n.path}:${n.line} (${n.severity}) — ${n.message}`,
        acceptance: 'The reviewer\'s finding is resolved and the validation commands pass.',
      });
    }
    if (serious.length === 0) {
      drafts.push({
        title: `Audit: ${shorten(review.summary, 120)}`,
        details: review.summary,
        acceptance: 'The completion audit approves.',
      });
    }
  }
  return drafts;
}

export async function runAudit(session: GoalSession, signal?: AbortSignal): Promise<AuditOutcome> {
  const { git } = session.deps;
  await session.update((g) => ({ ...g, iteration: g.iteration + 1, phase: 'test' }));
  await session.log('test', 'completion audit: running every validation command fresh');
  const commands = session.goal.validation.commands;
  const checks = await runChecks(session, commands, signal);
  session.deps.crashPoint?.('audit');
  let review: Review | null = null;
  if (checksPassed(checks) && session.settings().reviewFrequency !== 'off') {
    await session.setPhase('review');
    const base = session.goal.git.baseCommit ?? undefined;
    review = await runReview(session, {
      task: null, attempt: null, attemptSummary: '', diff: await git.diff(base), checks,
    }, signal);
  }
  await session.setPhase('iterate');
  const approved = checksPassed(checks) && (review === null || review.verdict === 'approve');
  // The user may have edited BACKLOG.md while the audit ran: a task they added (or reopened) means the
  // goal is not achieved yet, however the audit went.
  await readBacklogEdits(session);
  if (approved && session.goal.backlog.some((t) => t.status === 'todo' || t.status === 'in-progress')) {
    await session.log('iterate', 'completion audit set aside: BACKLOG.md has open tasks again');
    return { kind: 'findings', tasks: 0 };
  }
  if (approved) {
    const checkText = checks.length > 0
      ? `${plural(checks.length, 'validation check')} passed (${checks.map((c) => c.command).join(', ')})`
      : 'no validation commands were available';
    const reviewText = review ? `; the completion audit approved: ${review.summary}` : '; the reviewer is off';
    return { kind: 'achieved', evidence: `${checkText}${reviewText}` };
  }
  const drafts = auditFindings(checks, review);
  await session.update((g) => ({ ...g, backlog: addTasks(g.backlog, drafts, 'audit', reservedTaskIds(g)) }));
  await session.log('iterate', `completion audit not passed: ${plural(drafts.length, 'new task')}`);
  return { kind: 'findings', tasks: drafts.length };
}
