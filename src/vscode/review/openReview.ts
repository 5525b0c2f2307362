// Opens one agent commit for review: the multi-file diff (parent ↔ commit) in VS Code's changes editor,
// every file version read from git through goalpost-git: URIs, and the reviewer's notes as threads.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Goal } from '../../engine/goal';
import type { UserGit } from '../../engine/ports';
import { reviewsOfCommit, type AgentCommit } from '../../adapters/review/agentCommits';
import { parseHunks } from './diffHunks';
import { reviewOrder } from './fileOrder';
import { gitFileUri } from './gitContent';
import { placeNotes, type NoteSource, type ReviewFile } from './notePlacement';
import type { NoteThreadInfo, ReviewThreads } from './reviewThreads';

/** One file of the opened diff. */
export interface ReviewResource {
  path: string;
  status: ReviewFile['status'];
  /** goalpost-git URI of the parent's version (empty side for an added file). */
  original: string;
  /** goalpost-git URI of the commit's version (empty side for a deleted file). */
  modified: string;
}

/** What opening a commit showed (returned by `goalpost.reviewCommits` with a sha). */
export interface CommitReviewSummary {
  folder: string;
  commit: AgentCommit;
  title: string;
  resources: ReviewResource[];
  threads: NoteThreadInfo[];
}

/** The notes of every review of the commit's task, in review order. */
export function noteSources(goal: Goal | undefined, commit: AgentCommit): NoteSource[] {
  return reviewsOfCommit(goal, commit.taskId, commit.sha).flatMap((r) => r.notes.map((note, index) => ({
    reviewId: r.id, index, verdict: r.verdict, attempt: r.attempt, at: r.at, note,
  })));
}

/** The commit's changed files, the work first, with their hunks (three lines of context, as a reviewer sees a diff). */
export async function reviewFiles(git: UserGit, sha: string): Promise<ReviewFile[]> {
  const files = reviewOrder(await git.commitFiles(sha), (f) => f.path);
  return Promise.all(files.map(async (f) => ({ ...f, hunks: parseHunks(await git.commitDiff(sha, f.path)) })));
}

/** Opens the diff and the threads; `show: false` builds the same without touching the editor (for the panel's data). */
export async function openCommitReview(
  threads: ReviewThreads,
  root: string,
  git: UserGit,
  commit: AgentCommit,
  goals: readonly Goal[],
  options: { show?: boolean } = {},
): Promise<CommitReviewSummary> {
  const files = await reviewFiles(git, commit.sha);
  const goal = goals.find((g) => g.id === commit.goalId && g.commits.some((c) => c.sha === commit.sha)) ?? goals.find((g) => g.id === commit.goalId);
  const placed = placeNotes(noteSources(goal, commit), files);
  const uris = files.map((f) => ({
    file: f,
    original: gitFileUri(root, f.status === 'A' || commit.parent === null ? null : commit.parent, f.path, commit.sha),
    modified: gitFileUri(root, f.status === 'D' ? null : commit.sha, f.path, commit.sha),
  }));
  const resources: ReviewResource[] = uris.map((u) => ({ path: u.file.path, status: u.file.status, original: u.original.toString(), modified: u.modified.toString() }));
  const title = `${commit.title} (${commit.sha.slice(0, 8)})`;
  const shown = threads.show(root, { ...commit, filesChanged: files.map((f) => f.path) }, placed);
  if (options.show !== false && resources.length > 0) {
    await vscode.commands.executeCommand('vscode.changes', vscode.l10n.t('Review: {0}', title), uris.map((u) => [
      vscode.Uri.file(path.join(root, ...u.file.path.split('/'))),
      u.original,
      u.modified,
    ]));
  }
  return { folder: root, commit, title, resources, threads: shown };
}
