// The review phase: the reviewer role audits a task's diff and check results (or the whole goal, for
// the completion audit) and submits a verdict with line notes.
import { plural } from '../text';
import type { CheckResult, Review, Task } from '../goal';
import { renderPrompt } from '../prompts';
import { reviewerToolset } from '../tools/toolsets';
import { backlogView, checksBlock, diffBlock, goalBlock, taskBlock } from './promptBlocks';
import { toolCapabilities } from './toolCapabilities';
import { runTurn } from './turn';
import { LAZY, type GoalSession } from './session';
import { clip } from './logText';

interface ReviewInput {
  task: Task | null;
  attempt: number | null;
  attemptSummary: string;
  diff: string;
  checks: CheckResult[];
}

function nextReviewId(session: GoalSession): string {
  return `r${session.goal.reviews.length + 1}`;
}

/** Runs the reviewer's turn and records its review (a missing verdict is recorded as not approved). */
export async function runReview(session: GoalSession, input: ReviewInput, signal?: AbortSignal): Promise<Review> {
  const { prompts, clock } = session.deps;
  const goal = session.goal;
  const body = input.task
    ? renderPrompt(prompts, 'review', {
      task: taskBlock(input.task),
      attempt_summary: input.attemptSummary,
      diff: diffBlock(input.diff),
      checks: checksBlock(input.checks),
    })
    : renderPrompt(prompts, 'audit', { backlog: backlogView(goal), diff: diffBlock(input.diff), checks: checksBlock(input.checks) });
  const turn = await runTurn(session, {
    role: 'reviewer',
    system: prompts.system_reviewer,
    user: `${goalBlock(prompts, goal)}\n\n${body}`,
    toolset: reviewerToolset,
    caps: toolCapabilities(session),
    maxSteps: session.settings().maxStepsPerIteration,
  }, signal);
  const review: Review = turn.kind === 'submitted' && turn.submission.kind === 'review'
    ? {
      id: nextReviewId(session),
      taskId: input.task?.id ?? null,
      attempt: input.attempt,
      at: clock.now().toISOString(),
      verdict: turn.submission.verdict,
      summary: turn.submission.summary,
      notes: turn.submission.notes,
      commit: null,
    }
    : {
      // A reviewer that cannot give a verdict does not approve: completion needs a real approval.
      id: nextReviewId(session),
      taskId: input.task?.id ?? null,
      attempt: input.attempt,
      at: clock.now().toISOString(),
      verdict: 'request_changes',
      summary: `The reviewer did not submit a verdict (${turn.kind}); the change was not approved.`,
      notes: [],
      commit: null,
    };
  await session.update((g) => ({ ...g, reviews: [...g.reviews, review] }), LAZY);
  const errors = review.notes.filter((n) => n.severity === 'error').length;
  await session.log('review', `${input.task ? input.task.id : 'audit'}: ${review.verdict} (${plural(review.notes.length, 'note')}, ${plural(errors, 'error')}) — ${review.summary}`);
  // One line per note, so goal_status.log alone tells what the reviewer found and where.
  for (const note of review.notes) {
    await session.log('review', `${input.task ? input.task.id : 'audit'} note ${note.severity} ${note.path}:${note.line}: ${clip(note.message)}`);
  }
  return review;
}

/** Whether the task review runs for the `doneCount + 1`-th finished task under the frequency setting. */
export function reviewDue(session: GoalSession): boolean {
  const s = session.settings();
  switch (s.reviewFrequency) {
    case 'every-task':
      return true;
    case 'every-n-tasks': {
      const done = session.goal.backlog.filter((t) => t.status === 'done').length;
      return (done + 1) % s.reviewEveryNTasks === 0;
    }
    case 'audit-only':
    case 'off':
      return false;
  }
}
