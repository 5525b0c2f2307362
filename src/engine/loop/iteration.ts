// One iteration on one backlog task: act → test → review → commit, then the guards of F2.
import type { Attempt, AttemptOutcome, CheckResult, Goal, Review, Task } from '../goal';
import { counts, findTask, replaceTask, setStatus } from '../backlog/tasks';
import { runAct } from './act';
import { checksPassed, newlyPassing, runChecks } from './checks';
import { finishAndCommit } from './commit';
import { undoProtectedChanges } from './protect';
import { reviewDue, runReview } from './review';
import { LAZY, type GoalSession } from './session';
import type { TurnResult } from './turn';

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
    backlog: replaceTask(g.backlog, taskId, (t) => ({ ...t, attempts: t.attempts.map((a) => (a.n === n ? { ...a, ...patch } : a)) })),
  }), LAZY);
}

function taskOf(session: GoalSession, id: string): Task {
  const task = findTask(session.goal.backlog, id);
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
  // A save that changes a task's status is durable: were the move to IN PROGRESS lost to a power loss, the
  // task would read TODO again though git may hold its commit, and only an in-progress task's commit is
  // looked for (recoverCommitted), so it would be paid for twice. Continuing an in-progress task can be lazy.
  await session.update((g) => ({
    ...g,
    iteration: g.iteration + 1,
    phase: 'act',
    backlog: replaceTask(g.backlog, task.id, (t) => ({ ...t, status: 'in-progress' as const, attempts: attempts(t) })),
  }), task.status === 'in-progress' ? LAZY : undefined);
  await session.log('act', `iteration ${session.goal.iteration}: ${task.id} “${task.title}” (attempt ${n}${resumed ? ', continued after a pause' : ''})`);
  return n;
}

/** How an attempt's work was judged: the outcome and what the test and review phases produced. */
interface Assessment {
  outcome: AttemptOutcome;
  checks: CheckResult[];
  review: Review | null;
  summary: string | null;
  blocker: string | null;
  violation: string | null;
}

/**
 * One attempt at a task: act, judge (test, review), record, then commit or settle, then the progress
 * guard. A budget that runs out or a pause unwinds from inside as BudgetExhausted / Aborted; runLoop
 * ends the goal and closes the open attempt.
 */
export async function runIteration(session: GoalSession, startTask: Task, signal?: AbortSignal): Promise<void> {
  const n = await openAttempt(session, startTask);
  const diffBefore = await session.deps.git.diff();
  const act = await runAct(session, taskOf(session, startTask.id), signal);
  const previousChecks = lastChecks(taskOf(session, startTask.id));
  const judged = await assess(session, startTask.id, n, act.turn, signal);
  const filesChanged = await recordAttempt(session, startTask.id, n, judged, act.filesChanged);
  let progressed = judged.outcome === 'finished' || newlyPassing(previousChecks, judged.checks).length > 0;
  if (judged.outcome === 'finished') {
    await finishAndCommit(session, { task: taskOf(session, startTask.id), summary: judged.summary ?? '', checks: judged.checks, review: judged.review, filesChanged });
  } else {
    // Measured before the task's new status reaches BACKLOG.md: blocking a task is not progress.
    progressed ||= (await session.deps.git.diff()) !== diffBefore;
    await settleUnfinished(session, startTask.id, judged.outcome, judged.blocker);
  }
  await recordIterationEnd(session, progressed);
}

/** The test and review phases for a finished turn; any other turn end is the outcome itself. */
async function assess(session: GoalSession, taskId: string, n: number, turn: TurnResult, signal?: AbortSignal): Promise<Assessment> {
  const none = { checks: [], review: null, summary: null, blocker: null, violation: null };
  // Whatever the turn ended with: a protected path changed by any means is undone and fails the attempt.
  const violation = await undoProtectedChanges(session);
  const finished = turn.kind === 'submitted' && turn.submission.kind === 'finish' ? turn.submission.summary : null;
  if (violation !== null) return { ...none, outcome: 'protected-path', summary: finished, violation };
  if (finished !== null) return testAndReview(session, taskId, n, finished, signal);
  if (turn.kind === 'submitted' && turn.submission.kind === 'blocker') return { ...none, outcome: 'blocker', blocker: turn.submission.reason };
  return { ...none, outcome: turn.kind === 'repetition' ? 'repetition' : turn.kind === 'step-cap' ? 'step-cap' : 'no-submit' };
}

async function testAndReview(session: GoalSession, taskId: string, n: number, summary: string, signal?: AbortSignal): Promise<Assessment> {
  const base = { review: null, summary, blocker: null, violation: null };
  await session.setPhase('test');
  const task = taskOf(session, taskId);
  const checks = await runChecks(session, [...new Set([...session.goal.validation.commands, ...task.commands])], signal);
  if (!checksPassed(checks)) return { ...base, outcome: 'checks-failed', checks };
  if (!reviewDue(session)) return { ...base, outcome: 'finished', checks };
  await session.setPhase('review');
  const review = await runReview(session, { task, attempt: n, attemptSummary: summary, diff: await session.deps.git.diff(), checks }, signal);
  return { ...base, outcome: review.verdict === 'approve' ? 'finished' : 'changes-requested', checks, review };
}

/** Ends the attempt and moves to `iterate` in one save; returns the files the attempt changed. */
async function recordAttempt(session: GoalSession, taskId: string, n: number, a: Assessment, actFiles: string[]): Promise<string[]> {
  const changedNow = await session.deps.git.changedFiles();
  const filesChanged = [...new Set([...actFiles, ...changedNow])].sort();
  await patchAttempt(session, taskId, n, {
    outcome: a.outcome, summary: a.summary, blocker: a.blocker, checks: a.checks, reviewId: a.review?.id ?? null, filesChanged,
    endedAt: session.deps.clock.now().toISOString(),
    ...(a.violation !== null ? { engineNote: a.violation } : {}),
  }, 'iterate');
  if (a.violation !== null) await session.log('iterate', `${taskId}: ${a.violation}`);
  return filesChanged;
}

/** The progress guard and the chart point in one save. */
async function recordIterationEnd(session: GoalSession, progressed: boolean): Promise<void> {
  await session.update((g) => ({
    ...g,
    guards: { ...g.guards, iterationsWithoutProgress: progressed ? 0 : g.guards.iterationsWithoutProgress + 1 },
    iterations: [...g.iterations, {
      n: g.iteration, at: session.deps.clock.now().toISOString(), tokens: g.usage.total.tokens,
      tasksDone: counts(g.backlog).done,
    }],
  }));
}

/** After a failed attempt: BLOCKED after too many attempts or the same blocker three times in a row. */
async function settleUnfinished(session: GoalSession, taskId: string, outcome: AttemptOutcome, blocker: string | null): Promise<void> {
  const settings = session.settings();
  const task = taskOf(session, taskId);
  const normalised = blocker?.trim().toLowerCase().replace(/\s+/g, ' ') ?? null;
  const guards = session.goal.guards;
  const sameCount = normalised !== null && normalised === guards.lastBlocker ? guards.sameBlockerCount + 1 : normalised ? 1 : 0;
  await session.update((g) => ({ ...g, guards: { ...g.guards, lastBlocker: normalised, sameBlockerCount: sameCount } }), LAZY);

  const tries = attemptsCounted(task).length;
  let reason: string | null = null;
  if (sameCount >= 3) reason = `the same blocker was reported ${sameCount} times: ${blocker}`;
  else if (tries >= settings.maxAttemptsPerTask) reason = `${tries} attempts without success (last: ${describeOutcome(outcome, blocker)})`;
  if (reason) {
    // Durable, as every change of a task's status (openAttempt); rare, so it costs nothing measurable.
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
