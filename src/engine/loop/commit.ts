// One commit per finished task (F5), idempotent: a task whose commit already exists (a crash between
// the commit and the save, or a git child that finished after its CLI was killed) is recorded, never
// committed twice.
import type { CheckResult, CommitRecord, Review, Task } from '../goal';
import { setStatus, updateTask } from '../backlog/tasks';
import { formatCommitMessage } from '../commitMessage';
import { extendCheckpoint } from './promptBlocks';
import { writeBacklogFor } from './backlogSync';
import { LAZY, type GoalSession } from './session';
import { clip } from './logText';

interface FinishInput {
  task: Task;
  summary: string;
  checks: CheckResult[];
  review: Review | null;
  filesChanged: string[];
}

/**
 * Commits the task's work, then records it DONE with its commit in one save: the record never says DONE
 * without the commit (a crash between the two leaves the task IN PROGRESS, and recovery finds the commit
 * by its trailers). BACKLOG.md in the commit already shows the task DONE. Returns the sha, or null when
 * there was nothing to commit. The review that approved it is linked by `CommitRecord.reviewId` alone
 * (`commitOfReview`): the review itself is never rewritten, which was most of the bytes the store wrote.
 */
export async function finishAndCommit(session: GoalSession, input: FinishInput): Promise<string | null> {
  const { git, clock } = session.deps;
  const { task } = input;
  await writeBacklogFor(session, setStatus(session.goal.backlog, task.id, 'done'));
  // A commit found by trailers is this attempt's only if it is not the one an earlier DONE recorded
  // (the user can move a finished task back to TODO; its new work needs a new commit).
  let sha = await git.findCommitByTrailers(session.goal.id, task.id);
  if (sha !== null && sha === task.commit) sha = null;
  if (sha === null) {
    const message = formatCommitMessage({
      title: task.title,
      summary: input.summary,
      checks: input.checks.map((c) => ({ command: c.command, exitCode: c.exitCode })),
      verdict: input.review ? input.review.verdict : null,
      goalId: session.goal.id,
      taskId: task.id,
    });
    session.deps.crashPoint?.('before-commit');
    sha = await git.commit(message);
  }
  session.deps.crashPoint?.('after-commit');
  const record: CommitRecord | null = sha
    ? { sha, taskId: task.id, title: task.title, at: clock.now().toISOString(), filesChanged: input.filesChanged, reviewId: input.review?.id ?? null }
    : null;
  await session.update((g) => ({
    ...g,
    backlog: updateTask(setStatus(g.backlog, task.id, 'done'), task.id, { commit: sha }),
    checkpointSummary: extendCheckpoint(g.checkpointSummary, `[${task.id}] done: ${task.title} — ${input.summary.replace(/\s+/g, ' ').slice(0, 300)}`),
    commits: record && !g.commits.some((c) => c.sha === record.sha) ? [...g.commits, record] : g.commits,
    // The one status change that may be lazy: the move to IN PROGRESS before it was durable, so a power
    // loss that takes this save leaves the task in progress and recoverCommitted adopts the commit.
  }), LAZY);
  session.deps.crashPoint?.('after-done');
  await session.log('iterate', `${task.id} summary: ${clip(input.summary)}`);
  await session.log('iterate', sha ? `${task.id} committed ${sha.slice(0, 8)} “${task.title}”` : `${task.id} done (nothing to commit)`);
  return sha;
}

/**
 * After a crash: an in-progress task whose commit exists was finished; record it instead of redoing it.
 * Returns true when the task was recovered as done.
 */
export async function recoverCommitted(session: GoalSession, task: Task): Promise<boolean> {
  const sha = await session.deps.git.findCommitByTrailers(session.goal.id, task.id);
  if (sha === null || sha === task.commit) return false;
  await session.update((g) => ({
    ...g,
    backlog: updateTask(setStatus(g.backlog, task.id, 'done'), task.id, { commit: sha }),
    commits: g.commits.some((c) => c.sha === sha)
      ? g.commits
      : [...g.commits, { sha, taskId: task.id, title: task.title, at: session.deps.clock.now().toISOString(), filesChanged: [], reviewId: null }],
  }));
  await session.log('iterate', `${task.id} was already committed as ${sha.slice(0, 8)}; recorded as done`);
  return true;
}
