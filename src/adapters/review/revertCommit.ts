// "Revert Commit" without the editor: a new commit that undoes an agent commit (history is never
// rewritten), through the UserGit port, recorded the way the engine records things: a DONE note in the
// folder's goal and a status log line the live activity shows. Every task commit also changed BACKLOG.md,
// so the revert keeps BACKLOG.md as the engine has it and renders the note into it in the same commit:
// the tree is clean afterwards and later commits never make it conflict.
import { EngineError } from '../../engine/errors';
import type { GoalController } from '../../engine/loop/controller';
import { RevertConflict, RevertRefused, type Git, type PendingRevert, type UserGit } from '../../engine/ports';

/** The agent commit to revert, as the review lists it. */
export interface RevertTarget {
  sha: string;
  title: string;
  taskId: string;
  goalId: string;
  /** Sha of the commit that already reverted it, or null. */
  revertedBy: string | null;
}

/** What a revert did. */
export interface RevertResult {
  reverted: string;
  /** Sha of the new revert commit. */
  revertCommit: string;
  /** Id of the backlog note, or null when the folder has no goal. */
  noteTaskId: string | null;
}

/**
 * What the user is told when a revert cannot happen. The editor passes its translations (an adapter cannot
 * import vscode); the CLI and the tests use the English ones. `short` is the commit's 8-digit sha.
 */
export interface RevertMessages {
  alreadyReverted(short: string, title: string, by: string): string;
  running(folder: string): string;
  /** `files`: the first three changed paths, with ", …" when there are more. */
  dirty(folder: string, files: string, short: string): string;
  conflict(short: string, files: string): string;
  outsideFolder(short: string): string;
  unchanged(short: string): string;
  failed(short: string, detail: string): string;
}

export const ENGLISH_REVERT_MESSAGES: RevertMessages = {
  alreadyReverted: (short, title, by) => `Commit ${short} “${title}” was already reverted by ${by}.`,
  running: (folder) => `The goal in ${folder} is running. Pause it before reverting a commit, so the agent does not work on a tree that changes under it.`,
  dirty: (folder, files, short) => `${folder} has uncommitted changes (${files}). Commit or stash them, then revert ${short} again.`,
  conflict: (short, files) => `Commit ${short} cannot be reverted cleanly: later changes conflict in ${files}. Nothing was changed; revert it by hand with \`git revert ${short}\`.`,
  outsideFolder: (short) => `Commit ${short} also changed files outside this folder. Revert it by hand with \`git revert ${short}\` in the repository's top folder.`,
  unchanged: (short) => `Reverting ${short} changes nothing: its changes are already undone.`,
  failed: (short, detail) => `git revert ${short} failed: ${detail}`,
};

/** Where the revert happens. */
export interface RevertPlace {
  controller: GoalController;
  /** The folder's one git client (the engine's). */
  git: Git & UserGit;
  /** The backlog file, relative to the folder (the setting). */
  backlogPath: string;
  /** The folder's name, for messages. */
  folderName: string;
  /** The user's wording of the refusals; English when absent. */
  messages?: RevertMessages;
}

/** A refusal git reported, in the caller's words; anything else is rethrown as it is. */
function translated(e: unknown, short: string, say: RevertMessages): unknown {
  if (e instanceof RevertConflict) return new EngineError('bad-input', say.conflict(short, e.paths.join(', ')));
  if (!(e instanceof RevertRefused)) return e;
  if (e.reason === 'outside-folder') return new EngineError('bad-input', say.outsideFolder(short));
  if (e.reason === 'unchanged') return new EngineError('bad-input', say.unchanged(short));
  return new EngineError('bad-input', say.failed(short, e.detail));
}

/** Refusals that need no git: already reverted, or a running goal whose tree would change under it. */
export function revertRefusal(place: RevertPlace, commit: RevertTarget): EngineError | null {
  const short = commit.sha.slice(0, 8);
  const say = place.messages ?? ENGLISH_REVERT_MESSAGES;
  if (commit.revertedBy) return new EngineError('bad-input', say.alreadyReverted(short, commit.title, commit.revertedBy.slice(0, 8)));
  if (place.controller.isRunning) return new EngineError('bad-input', say.running(place.folderName));
  return null;
}

/** Reverts `commit` as a new commit on top of HEAD; on any failure the tree is left as it was. */
export async function revertAgentCommit(place: RevertPlace, commit: RevertTarget): Promise<RevertResult> {
  const refusal = revertRefusal(place, commit);
  if (refusal) throw refusal;
  const { controller, git } = place;
  const short = commit.sha.slice(0, 8);
  const say = place.messages ?? ENGLISH_REVERT_MESSAGES;
  const backlog = place.backlogPath.replace(/\\/g, '/');
  const goal = controller.goal ?? (await controller.load());
  const dirty = await git.changedFiles();
  // BACKLOG.md changed only by the engine (a note just sent to the agent) goes into the revert commit; any
  // other change, or a hand edit of BACKLOG.md, would be lost or mixed in, so it stops here.
  const engineBacklogOnly = dirty.length === 1 && dirty[0] === backlog && goal !== null && (await controller.backlogUnedited());
  if (dirty.length > 0 && !engineBacklogOnly) {
    throw new EngineError('dirty-tree', say.dirty(place.folderName, `${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''}`, short));
  }
  let pending: PendingRevert;
  try {
    pending = await git.beginRevert(commit.sha, [backlog]);
  } catch (e) {
    throw translated(e, short, say);
  }
  let noteTaskId: string | null = null;
  let revertCommit: string;
  try {
    if (goal) {
      const note = await controller.addUserTask({
        title: `Reverted ${short} “${commit.title}”`,
        details: `The user reverted commit ${commit.sha} (task ${commit.taskId} of goal ${commit.goalId}) after reviewing it. Its changes are undone; do not redo them unless a task asks for it.`,
        acceptance: '',
      }, 'done');
      noteTaskId = note.id;
    }
    revertCommit = await pending.commit(`Revert "${commit.title}"\n\nThis reverts commit ${commit.sha}.\nReverted after review in Goalpost.`);
  } catch (e) {
    await pending.abort();
    throw translated(e, short, say);
  }
  await controller.recordUserAction(`commit ${short} “${commit.title}” reverted by the user as ${revertCommit.slice(0, 8)}`, commit.goalId);
  return { reverted: commit.sha, revertCommit, noteTaskId };
}
