// "Revert Commit" without the editor: a new commit that undoes an agent commit (history is never
// rewritten), through the UserGit port, recorded the way the engine records things: a DONE note in the
// folder's goal and a status log line the live activity shows. Every task commit also changed BACKLOG.md,
// so the revert keeps BACKLOG.md as the engine has it and renders the note into it in the same commit:
// the tree is clean afterwards and later commits never make it conflict.
import { EngineError } from '../../engine/errors';
import type { GoalController } from '../../engine/loop/controller';
import { RevertConflict, type Git, type PendingRevert, type UserGit } from '../../engine/ports';

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

/** Where the revert happens. */
export interface RevertPlace {
  controller: GoalController;
  /** The folder's one git client (the engine's). */
  git: Git & UserGit;
  /** The backlog file, relative to the folder (the setting). */
  backlogPath: string;
  /** The folder's name, for messages. */
  folderName: string;
}

/** Refusals that need no git: already reverted, or a running goal whose tree would change under it. */
export function revertRefusal(place: RevertPlace, commit: RevertTarget): EngineError | null {
  const short = commit.sha.slice(0, 8);
  if (commit.revertedBy) return new EngineError('bad-input', `Commit ${short} “${commit.title}” was already reverted by ${commit.revertedBy.slice(0, 8)}.`);
  if (place.controller.isRunning) {
    return new EngineError('bad-input', `The goal in ${place.folderName} is running. Pause it before reverting a commit, so the agent does not work on a tree that changes under it.`);
  }
  return null;
}

/** Reverts `commit` as a new commit on top of HEAD; on any failure the tree is left as it was. */
export async function revertAgentCommit(place: RevertPlace, commit: RevertTarget): Promise<RevertResult> {
  const refusal = revertRefusal(place, commit);
  if (refusal) throw refusal;
  const { controller, git } = place;
  const short = commit.sha.slice(0, 8);
  const backlog = place.backlogPath.replace(/\\/g, '/');
  const goal = controller.goal ?? (await controller.load());
  const dirty = await git.changedFiles();
  // BACKLOG.md changed only by the engine (a note just sent to the agent) goes into the revert commit; any
  // other change, or a hand edit of BACKLOG.md, would be lost or mixed in, so it stops here.
  const engineBacklogOnly = dirty.length === 1 && dirty[0] === backlog && goal !== null && (await controller.backlogUnedited());
  if (dirty.length > 0 && !engineBacklogOnly) {
    throw new EngineError('dirty-tree', `${place.folderName} has uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''}). Commit or stash them, then revert ${short} again.`);
  }
  let pending: PendingRevert;
  try {
    pending = await git.beginRevert(commit.sha, [backlog]);
  } catch (e) {
    if (e instanceof RevertConflict) throw new EngineError('bad-input', `${e.message} Nothing was changed; revert it by hand with \`git revert ${short}\`.`);
    throw e;
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
    throw e;
  }
  await controller.recordUserAction(`commit ${short} “${commit.title}” reverted by the user as ${revertCommit.slice(0, 8)}`, commit.goalId);
  return { reverted: commit.sha, revertCommit, noteTaskId };
}
