// "Revert Commit": after a modal confirmation, a new commit that reverts an agent commit (history is
// never rewritten), recorded in goal_status.log and as a DONE note in the backlog. Every task commit also
// changed BACKLOG.md, so the revert keeps BACKLOG.md as it is now (the engine's file) and adds the note
// to it in the same commit: the tree is clean afterwards and later commits never make it conflict.
import * as path from 'node:path';
import { FileStatusLog } from '../../adapters/fileStatusLog';
import { EngineError } from '../../engine/errors';
import { readSettings } from '../config';
import type { GoalpostApp } from '../app';
import type { FolderGoal } from '../folderGoal';
import type { AgentCommit } from './agentCommits';
import { promises as fs } from 'node:fs';
import { BACKLOG_BASE_JOURNAL, LEGACY_BACKLOG_BASE, baseText } from '../../engine/loop/backlogBase';
import { dirtyPaths, gitIn, identityArgs } from './reviewGit';

/** What a revert did. */
export interface RevertResult {
  reverted: string;
  /** Sha of the new revert commit. */
  revertCommit: string;
  /** Id of the backlog note, or null when the folder has no live goal. */
  noteTaskId: string | null;
}

/** Reverts `commit` as a new commit; undefined when the user did not confirm. */
export async function revertAgentCommit(app: GoalpostApp, fg: FolderGoal, commit: AgentCommit, confirmed = false): Promise<RevertResult | undefined> {
  const short = commit.sha.slice(0, 8);
  if (commit.revertedBy) {
    throw new EngineError('bad-input', `Commit ${short} “${commit.title}” was already reverted by ${commit.revertedBy.slice(0, 8)}.`);
  }
  if (fg.controller.isRunning) {
    throw new EngineError('bad-input', `The goal in ${fg.folder.name} is running. Pause it before reverting a commit, so the agent does not work on a tree that changes under it.`);
  }
  const ok = confirmed || await app.ui.confirm(
    `Revert commit ${short} “${commit.title}”? A new commit undoes its changes (${commit.filesChanged.length} file${commit.filesChanged.length === 1 ? '' : 's'}); history is not rewritten.`,
    'Revert Commit',
  );
  if (!ok) return undefined;
  const root = fg.root;
  const git = await gitIn(root);
  const backlog = readSettings(fg.folder.uri).backlogPath.replace(/\\/g, '/');
  const dirty = await dirtyPaths(root);
  // BACKLOG.md changed only by the engine (a note just sent to the agent) is re-rendered into the revert
  // commit; any other change, or a hand edit of BACKLOG.md, would be lost or mixed in, so it stops here.
  const engineBacklogOnly = dirty.length === 1 && dirty[0] === backlog && fg.goal !== null && await isEngineBacklog(root, backlog);
  if (dirty.length > 0 && !engineBacklogOnly) {
    throw new EngineError('dirty-tree', `${fg.folder.name} has uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''}). Commit or stash them, then revert ${short} again.`);
  }
  const backlogFile = path.join(root, backlog);
  const savedBacklog = engineBacklogOnly ? await fs.readFile(backlogFile, 'utf8') : null;
  // After a failed revert the engine's BACKLOG.md comes back, so the note sent to the agent is not lost.
  const restoreBacklog = async (): Promise<void> => {
    if (savedBacklog !== null) await fs.writeFile(backlogFile, savedBacklog, 'utf8').catch(() => undefined);
  };
  if (engineBacklogOnly) await git.raw(['checkout', 'HEAD', '--', `:(literal)${backlog}`]);
  let backlogConflict = false;
  try {
    await git.raw(['revert', '--no-commit', commit.sha]);
  } catch (e) {
    // Conflicts in BACKLOG.md are expected and resolved below; any other conflict stops the revert.
    const conflicted = (await git.raw(['diff', '--name-only', '--diff-filter=U', '--relative']).catch(() => '')).split('\n').map((l) => l.trim()).filter(Boolean);
    if (conflicted.length === 0 || conflicted.some((p) => p !== backlog)) {
      await git.raw(['revert', '--abort']).catch(() => undefined);
      await restoreBacklog();
      const what = conflicted.filter((p) => p !== backlog);
      throw new EngineError('bad-input', what.length > 0
        ? `Commit ${short} cannot be reverted cleanly: later changes conflict in ${what.join(', ')}. Nothing was changed; revert it by hand with \`git revert ${short}\`.`
        : `git revert ${short} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    backlogConflict = true;
  }
  const touched = (await git.raw(['diff', '--cached', '--name-only', '--relative', 'HEAD'])).split('\n').map((l) => l.trim());
  if (backlogConflict || touched.includes(backlog)) await git.raw(['checkout', 'HEAD', '--', `:(literal)${backlog}`]);
  // The engine's own file again (it equals its last write), so the note below is rendered into it.
  await restoreBacklog();
  const message = `Revert "${commit.title}"\n\nThis reverts commit ${commit.sha}.\nReverted after review in Goalpost.`;
  let noteTaskId: string | null = null;
  try {
    if (fg.goal ?? (await fg.controller.load())) {
      const note = await fg.controller.addUserTask({
        title: `Reverted ${short} “${commit.title}”`,
        details: `The user reverted commit ${commit.sha} (task ${commit.taskId} of goal ${commit.goalId}) after reviewing it. Its changes are undone; do not redo them unless a task asks for it.`,
        acceptance: '',
      }, 'done');
      noteTaskId = note.id;
      await git.raw(['add', '--', `:(literal)${backlog}`]).catch(() => undefined);
    }
    await git.raw([...(await identityArgs(root)), 'commit', '-q', '--no-verify', '-m', message]);
  } catch (e) {
    // Leave the tree as it was before the revert started.
    await git.raw(['revert', '--abort']).catch(() => git.raw(['reset', '-q', '--merge']).catch(() => undefined));
    await restoreBacklog();
    throw e;
  }
  const revertCommit = (await git.raw(['rev-parse', 'HEAD'])).trim();
  const statusLog = new FileStatusLog(path.join(root, readSettings(fg.folder.uri).statusLogPath));
  await statusLog.append({ at: new Date(), goalId: commit.goalId, phase: 'goal', message: `commit ${short} “${commit.title}” reverted by the user as ${revertCommit.slice(0, 8)}` });
  await app.ui.info(`Goalpost: reverted ${short} “${commit.title}” as ${revertCommit.slice(0, 8)}.`);
  return { reverted: commit.sha, revertCommit, noteTaskId };
}

/** True when BACKLOG.md holds exactly what the engine last wrote (its merge base). */
async function isEngineBacklog(root: string, backlog: string): Promise<boolean> {
  const read = (rel: string): Promise<string | null> => fs.readFile(path.join(root, rel), 'utf8').catch(() => null);
  const text = await read(backlog);
  return text !== null && text === baseText(await read(BACKLOG_BASE_JOURNAL), await read(LEGACY_BACKLOG_BASE));
}
