// The agent's commits in a folder, newest first: found in git by their trailers (so commits of goals run
// by the CLI count too), each joined with its goal's record: task title, review verdict and notes. A
// review's commit is the engine's answer (`commitOfReview`), never matched here by other means.
import { commitOfReview, type CommitRecord, type Goal, type Review } from '../../engine/goal';
import type { TrailerCommit, UserGit } from '../../engine/ports';

/** One agent commit as the review list shows it. */
export interface AgentCommit {
  sha: string;
  /** First parent, or null for a root commit. */
  parent: string | null;
  goalId: string;
  taskId: string;
  /** The task's title (the commit subject when the goal record is gone). */
  title: string;
  /** Author date, ISO 8601. */
  at: string;
  /** Files the commit changed, relative to the folder. */
  filesChanged: string[];
  /** The review that approved the commit: its verdict, or null when no review ran or the record is gone. */
  verdict: Review['verdict'] | null;
  reviewId: string | null;
  /** Notes of every review of the task (all attempts). */
  noteCount: number;
  /** Sha of the commit that reverted this one, or null. */
  revertedBy: string | null;
  /** True when the goal's record was found (editor state or .goalpost/). */
  hasRecord: boolean;
}

/** The reviews of a commit's task, the one recorded with the commit first. */
export function reviewsOfCommit(goal: Goal | undefined, taskId: string, sha: string): Review[] {
  if (!goal) return [];
  const record = commitRecordOf(goal, taskId, sha);
  // Every attempt's review of the task (an unapproved one has no commit), except reviews of another commit
  // of the same task (a task moved back to TODO and done again).
  const ofThis = (r: Review): boolean => r.id === record?.reviewId || commitOfReview(goal, r) === sha;
  const reviews = goal.reviews.filter((r) => r.taskId === taskId && (ofThis(r) || commitOfReview(goal, r) === null));
  const primary = (r: Review): number => (ofThis(r) ? 0 : 1);
  return [...reviews].sort((a, b) => primary(a) - primary(b) || b.at.localeCompare(a.at));
}

/** The goal's record of a commit: by sha, else by task (a commit recovered after a crash). */
export function commitRecordOf(goal: Goal, taskId: string, sha: string): CommitRecord | undefined {
  return goal.commits.find((c) => c.sha === sha) ?? goal.commits.find((c) => c.taskId === taskId && c.sha.startsWith(sha.slice(0, 12)));
}

/** Joins one git commit with the goal records. */
export function describeCommit(commit: TrailerCommit, goals: readonly Goal[], files: string[], revertedBy: string | null): AgentCommit {
  // Goal ids are unique per folder in practice; the newest record wins if a CLI reused one.
  const goal = goals.find((g) => g.id === commit.goalId && g.commits.some((c) => c.sha === commit.sha)) ?? goals.find((g) => g.id === commit.goalId);
  const record = goal ? commitRecordOf(goal, commit.taskId, commit.sha) : undefined;
  const task = goal?.backlog.find((t) => t.id === commit.taskId);
  const reviews = reviewsOfCommit(goal, commit.taskId, commit.sha);
  const approving = reviews.find((r) => r.id === record?.reviewId) ?? (goal ? reviews.find((r) => commitOfReview(goal, r) === commit.sha) : undefined) ?? null;
  return {
    sha: commit.sha,
    parent: commit.parent,
    goalId: commit.goalId,
    taskId: commit.taskId,
    title: record?.title ?? task?.title ?? commit.subject,
    at: commit.at,
    filesChanged: files,
    verdict: approving?.verdict ?? null,
    reviewId: approving?.id ?? null,
    noteCount: reviews.reduce((n, r) => n + r.notes.length, 0),
    revertedBy,
    hasRecord: goal !== undefined,
  };
}

/** The agent's commits in the folder of `git`, newest first, joined with `goals`. */
export async function listAgentCommits(git: UserGit, goals: readonly Goal[]): Promise<AgentCommit[]> {
  const [commits, reverts] = await Promise.all([git.agentCommits(), git.revertsOf()]);
  return Promise.all(commits.map(async (c) => {
    const files = (await git.commitFiles(c.sha).catch(() => [])).map((f) => f.path);
    return describeCommit(c, goals, files, reverts.get(c.sha) ?? null);
  }));
}
