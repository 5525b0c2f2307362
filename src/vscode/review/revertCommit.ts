// "Revert Commit" in the editor: a modal confirmation, then the revert itself (src/adapters/review/
// revertCommit.ts: a new commit through the folder's git client, recorded by the engine), then a message.
import * as vscode from 'vscode';
import { revertAgentCommit as revertWith, revertRefusal, type RevertMessages, type RevertPlace, type RevertResult } from '../../adapters/review/revertCommit';
import type { AgentCommit } from '../../adapters/review/agentCommits';
import { readSettings } from '../config';
import type { GoalpostApp } from '../app';
import type { FolderGoal } from '../folderGoal';

export type { RevertResult };

/** The refusals and failures of a revert, in the user's language. */
const MESSAGES: RevertMessages = {
  alreadyReverted: (short, title, by) => vscode.l10n.t('Commit {0} “{1}” was already reverted by {2}.', short, title, by),
  running: (folder) => vscode.l10n.t('The goal in {0} is running. Pause it before reverting a commit, so the agent does not work on a tree that changes under it.', folder),
  dirty: (folder, files, short) => vscode.l10n.t('{0} has uncommitted changes ({1}). Commit or stash them, then revert {2} again.', folder, files, short),
  conflict: (short, files) => vscode.l10n.t('Commit {0} cannot be reverted cleanly: later changes conflict in {1}. Nothing was changed; revert it by hand with `git revert {0}`.', short, files),
  outsideFolder: (short) => vscode.l10n.t('Commit {0} also changed files outside this folder. Revert it by hand with `git revert {0}` in the repository\'s top folder.', short),
  unchanged: (short) => vscode.l10n.t('Reverting {0} changes nothing: its changes are already undone.', short),
  failed: (short, detail) => vscode.l10n.t('git revert {0} failed: {1}', short, detail),
};

/** Reverts `commit` as a new commit; undefined when the user did not confirm. */
export async function revertAgentCommit(app: GoalpostApp, fg: FolderGoal, commit: AgentCommit, confirmed = false): Promise<RevertResult | undefined> {
  const place: RevertPlace = { controller: fg.controller, git: fg.git, backlogPath: readSettings(fg.folder.uri).backlogPath, folderName: fg.folder.name, messages: MESSAGES };
  // Asked before the question, so the user is not asked to confirm what cannot happen.
  const refusal = revertRefusal(place, commit);
  if (refusal) throw refusal;
  const short = commit.sha.slice(0, 8);
  const files = commit.filesChanged.length === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', commit.filesChanged.length);
  const ok = confirmed || await app.ui.confirm(
    vscode.l10n.t('Revert commit {0} “{1}”? A new commit undoes its changes ({2}); history is not rewritten.', short, commit.title, files),
    vscode.l10n.t('Revert Commit'),
  );
  if (!ok) return undefined;
  const result = await revertWith(place, commit);
  await app.ui.info(vscode.l10n.t('Goalpost: reverted {0} “{1}” as {2}.', short, commit.title, result.revertCommit.slice(0, 8)));
  return result;
}
