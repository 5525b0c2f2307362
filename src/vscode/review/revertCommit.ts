// "Revert Commit" in the editor: a modal confirmation, then the revert itself (src/adapters/review/
// revertCommit.ts: a new commit through the folder's git client, recorded by the engine), then a message.
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
  const ok = confirmed || await app.ui.confirm(
    `Revert commit ${short} “${commit.title}”? A new commit undoes its changes (${commit.filesChanged.length} file${commit.filesChanged.length === 1 ? '' : 's'}); history is not rewritten.`,
    'Revert Commit',
  );
  if (!ok) return undefined;
  const result = await revertWith(place, commit);
  await app.ui.info(`Goalpost: reverted ${short} “${commit.title}” as ${result.revertCommit.slice(0, 8)}.`);
  return result;
}
