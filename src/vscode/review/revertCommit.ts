// "Revert Commit" in the editor: a modal confirmation, then the revert itself (src/adapters/review/
// revertCommit.ts: a new commit through the folder's git client, recorded by the engine), then a message.
import * as vscode from 'vscode';
import { revertAgentCommit as revertWith, revertRefusal, type RevertPlace, type RevertResult } from '../../adapters/review/revertCommit';
import type { AgentCommit } from '../../adapters/review/agentCommits';
import { readSettings } from '../config';
import type { GoalpostApp } from '../app';
import type { FolderGoal } from '../folderGoal';

export type { RevertResult };

/** Reverts `commit` as a new commit; undefined when the user did not confirm. */
export async function revertAgentCommit(app: GoalpostApp, fg: FolderGoal, commit: AgentCommit, confirmed = false): Promise<RevertResult | undefined> {
  const place: RevertPlace = { controller: fg.controller, git: fg.git, backlogPath: readSettings(fg.folder.uri).backlogPath, folderName: fg.folder.name };
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
  // The refusals and failures are the adapter's (English, like the engine's errors).
  const result = await revertWith(place, commit);
  await app.ui.info(vscode.l10n.t('Goalpost: reverted {0} “{1}” as {2}.', short, commit.title, result.revertCommit.slice(0, 8)));
  return result;
}
