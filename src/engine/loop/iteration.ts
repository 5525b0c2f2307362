// One iteration on one backlog task: act → test → review → commit, then the guards of F2.
import type { Attempt, AttemptOutcome, CheckResult, Goal, Review, Task } from '../goal';
import { setStatus } from '../backlog/tasks';
import { writeBacklogFile } from './backlogSync';
import { runAct } from './act';
import { checksPassed, newlyPassing, runChecks } from './checks';
import { finishAndCommit } from './commit';
import { undoProtectedChanges } from './protect';
import { reviewDue, runReview } from './review';
import type { GoalSession } from './session';

export type IterationEnd = 'continue' | 'budget';

function attemptsCounted(task: Task): Attempt[] {
  return task.attempts.filter((a) => a.outcome !== null && a.outcome !== 'interrupted');
}

function lastChecks(task: Task): CheckResult[] {
  const done = attemptsCounted(task);
  return done.length > 0 ? done[done.length - 1].checks : [];
}

async function patchAttempt(session: GoalSession, taskId: string, n: number, patch: Partial<Attempt>, phase?: Goal['phase']): Promise<void> {
  await session.update((g) => ({
    ...g,
    ...(phase ? { phase } : {}),
    backlog: g.backlog.map((t) =>
      t.id !== taskId ? t : { ...t, attempts: t.attempts.map((a) => (a.n === n ? { ...a, ...patch } : a)) }),
  }));
}

function taskOf(session: GoalSession, id: string): Task {
  const task = session.goal.backlog.find((t) => t.id === id);
  if (!task) throw new Error(`task ${id} disappeared from the backlog`);
  return task;
}

/**
 * Opens an attempt (marking the task IN PROGRESS) and returns its number. An attempt a pause or a crash
 * interrupted is continued under its own number: pausing is not trying, so it adds no attempt.
 */
async function openAttempt(session: GoalSession, task: Task): Promise<number> {
  const last = task.attempts.at(-1);
  const resumed = last !== undefined && (last.outcome === 'interrupted' || last.outcome === null);
  const n = resumed ? last.n : (last?.n ?? 0) + 1;
  const attempt: Attempt = {
    n, startedAt: resumed ? last.startedAt : session.deps.clock.now().toISOString(), endedAt: null, outcome: null, summary: null,
    blocker: null, checks: [], reviewId: null, filesChanged: resumed ? last.filesChanged : [],
  };
  const attempts = (t: Task): Attempt[] => (resumed ? [...t.attempts.slice(0, -1), attempt] : [...t.attempts, attempt]);
  await session.update((g) => ({
    ...g,
    iteration: g.iteration + 1,
    phase: 'act',
    backlog: g.backlog.map((t) => (t.id === task.id ? { ...t, status: 'in-progress' as const, attempts: attempts(t) } : t)),
  }));
  await writeBacklogFile(session);
  await session.log('act', `iteration ${session.goal.iteration}: ${task.id} “${task.title}” (attempt ${n}${resumed ? ', continued after a pause' : ''})`);
  return n;
}

export async function runIteration(session: GoalSession, startTask: Task, signal?: AbortSignal): Promise<IterationEnd> {
  const { git } = session.deps;
  const n = await openAttempt(session, startTask);
  const diffBefore = await git.diff();
  const act = await runAct(session, taskOf(session, startTask.id), signal);
  if (act.turn.kind === 'budget') {
    await patchAttempt(session, startTask.id, n, { outcome: 'interrupted', endedAt: session.deps.clock.now().toISOString(), filesChanged: act.filesChanged });
    return 'budget';
  }
  const previousChecks = lastChecks(taskOf(session, startTask.id));
  let outcome: AttemptOutcome;
  let checks: CheckResult[] = [];
  let review: Review | null = null;
  let summary: string | null = null;
  let blocker: string | null = null;
  const turn = act.turn;
  // Whatever the turn ended with: a protected path changed by any means is undone and fails the attempt.
  const violation = await undoProtectedChanges(session);

  if (violation !== null) {
    summary = turn.kind === 'submitted' && turn.submission.kind === 'finish' ? turn.submission.summary : null;
    outcome = 'protected-path';
  } else if (turn.kind === 'submitted' && turn.submission.kind === 'finish') {
    summary = turn.submission.summary;
    await session.setPhase('test');
    const task = taskOf(session, startTask.id);
    const commands = [...new Set([...session.goal.validation.commands, ...task.commands])];
    checks = await runChecks(session, commands, signal);
    if (!checksPassed(checks)) {
      outcome = 'checks-failed';
    } else if (reviewDue(session)) {
      await session.setPhase('review');
      const reviewed = await runReview(session, {
        task, attempt: n, attemptSummary: summary, diff: await git.diff(), checks,
      }, signal);
      if (reviewed.kind === 'budget') {
        await patchAttempt(session, task.id, n, { outcome: 'interrupted', endedAt: session.deps.clock.now().toISOString(), summary, checks });
        return 'budget';
      }
      review = reviewed.review;
      outcome = review.verdict === 'approve' ? 'finished' : 'changes-requested';
    } else {
      outcome = 'finished';
    }
  } else if (turn.kind === 'submitted' && turn.submission.kind === 'blocker') {
    blocker = turn.submission.reason;
    outcome = 'blocker';
  } else if (turn.kind === 'repetition') {
    outcome = 'repetition';
  } else if (turn.kind === 'step-cap') {
    outcome = 'step-cap';
  } else {
    outcome = 'no-submit';
  }

  const changedNow = await git.changedFiles();
  const filesChanged = [...new Set([...act.filesChanged, ...changedNow])].sort();
  // One save for the attempt's end and the move to `iterate`.
  await patchAttempt(session, startTask.id, n, {
    outcome, summary, blocker, checks, reviewId: review?.id ?? null, filesChanged,
    endedAt: session.deps.clock.now().toISOString(),
    ...(violation !== null ? { engineNote: violation } : {}),
  }, 'iterate');
  if (violation !== null) await session.log('iterate', `${startTask.id}: ${violation}`);

  if (outcome === 'finished') {
    await finishAndCommit(session, { task: taskOf(session, startTask.id), summary: summary ?? '', checks, review, filesChanged });
  } else {
    await settleUnfinished(session, startTask.id, outcome, blocker);
  }

  const fileProgress = (await git.diff()) !== diffBefore || outcome === 'finished';
  const passing = newlyPassing(previousChecks, checks);
  const progressed = fileProgress || passing.length > 0;
  // The progress guard and the chart point in one save.
  await session.update((g) => ({
    ...g,
    guards: { ...g.guards, iterationsWithoutProgress: progressed ? 0 : g.guards.iterationsWithoutProgress + 1 },
    iterations: [...g.iterations, {
      n: g.iteration, at: session.deps.clock.now().toISOString(), tokens: g.usage.total.tokens,
      tasksDone: g.backlog.filter((t) => t.status === 'done').length,
    }],
  }));
  await writeBacklogFile(session);
  return 'continue';
}

/** After a failed attempt: BLOCKED after too many attempts or the same blocker three times in a row. */
async function settleUnfinished(session: GoalSession, taskId: string, outcome: AttemptOutcome, blocker: string | null): Promise<void> {
  const settings = session.settings();
  const task = taskOf(session, taskId);
  const normalised = blocker?.trim().toLowerCase().replace(/\s+/g, ' ') ?? null;
  const guards = session.goal.guards;
  const sameCount = normalised !== null && normalised === guards.lastBlocker ? guards.sameBlockerCount + 1 : normalised ? 1 : 0;
  await session.update((g) => ({ ...g, guards: { ...g.guards, lastBlocker: normalised, sameBlockerCount: sameCount } }));

  const tries = attemptsCounted(task).length;
  let reason: string | null = null;
  if (sameCount >= 3) reason = `the same blocker was reported ${sameCount} times: ${blocker}`;
  else if (tries >= settings.maxAttemptsPerTask) reason = `${tries} attempts without success (last: ${describeOutcome(outcome, blocker)})`;
  if (reason) {
    await session.update((g) => ({ ...g, backlog: setStatus(g.backlog, taskId, 'blocked', reason) }));
    await session.log('iterate', `${taskId} BLOCKED: ${reason}`);
  } else {
    // The task stays IN PROGRESS: the next iteration is its next attempt, with this one's feedback.
    await session.log('iterate', `${taskId} attempt ${tries} not accepted (${describeOutcome(outcome, blocker)}); trying again`);
  }
}

function describeOutcome(outcome: AttemptOutcome, blocker: string | null): string {
  switch (outcome) {
    case 'checks-failed': return 'validation checks failed';
    case 'changes-requested': return 'the reviewer requested changes';
    case 'blocker': return `blocker: ${blocker ?? ''}`;
    case 'no-submit': return 'the turn ended without finish_task';
    case 'step-cap': return 'the step cap was reached';
    case 'repetition': return 'the same tool call was repeated';
    case 'protected-path': return 'a protected path was changed (undone)';
    default: return outcome;
  }
}

async function updateProgressGuard(session: GoalSession, progressed: boolean): Promise<void> {
  await session.update((g) => ({
    ...g,
    guards: { ...g.guards, iterationsWithoutProgress: progressed ? 0 : g.guards.iterationsWithoutProgress + 1 },
  }));
}

export { updateProgressGuard };
