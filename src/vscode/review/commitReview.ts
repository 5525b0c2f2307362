// Inline review of agent commits (PRODUCT.md F7): the content provider, the comment threads and the
// commands around them, one instance per extension. `goalpost.reviewCommits` lists the agent's commits
// (or opens one directly when given a sha); the thread and commit actions are commands the menus call.
import { onlyBookkeeping } from './fileOrder';
import * as vscode from 'vscode';
import { EngineError } from '../../engine/errors';
import type { GoalpostApp } from '../app';
import { pickFolder } from '../commands/pickFolder';
import { commandRegistrar } from '../commands/registerCommand';
import { DisposableStore } from '../disposable';
import type { FolderGoal } from '../folderGoal';
import { listAgentCommits, type AgentCommit } from '../../adapters/review/agentCommits';
import type { UserGit } from '../../engine/ports';
import { GitContentProvider, REVIEW_SCHEME, parseGitFileUri } from './gitContent';
import { folderGoals } from './goalRecords';
import { openCommitReview, type CommitReviewSummary } from './openReview';
import { ReviewThreads, type NoteThreadInfo } from './reviewThreads';
import { revertAgentCommit, type RevertResult } from './revertCommit';
import { sendNoteToAgent, type SentNote } from './sendToAgent';
import { formatTime } from '../../timeFormat';

/** Context key: a commit review is open (shows "Revert Commit" in the editor title). */
const REVIEW_OPEN_KEY = 'goalpost.commitReviewOpen';

export class CommitReview extends DisposableStore {
  readonly threads: ReviewThreads;
  /** The commit last opened, for "Revert Commit" run without arguments. */
  private current: { root: string; sha: string } | null = null;

  constructor(private readonly app: GoalpostApp) {
    super();
    this.threads = this.register(new ReviewThreads(app.context.workspaceState));
    this.register(vscode.workspace.registerTextDocumentContentProvider(REVIEW_SCHEME, new GitContentProvider((root) => this.gitOf(root))));
    const reg = commandRegistrar(app, this);
    reg('goalpost.listAgentCommits', (f) => this.listCommand(f));
    reg('goalpost.resolveReviewNote', (t) => this.resolveCommand(t, true));
    reg('goalpost.reopenReviewNote', (t) => this.resolveCommand(t, false));
    reg('goalpost.sendReviewNoteToAgent', (t) => this.sendCommand(t));
    reg('goalpost.revertCommit', (f, s, c) => this.revertCommand(f, s, c));
  }

  /** The git client of the folder at `root` (its goal's): file versions are read with the same hardening. */
  private async gitOf(root: string): Promise<UserGit> {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root));
    if (!folder) throw new EngineError('bad-input', vscode.l10n.t('{0} is no longer a folder of this workspace. Add it again to review its commits.', root));
    return (await this.app.folderGoal(folder)).git;
  }

  /** The agent's commits in a folder, newest first. */
  async list(fg: FolderGoal): Promise<AgentCommit[]> {
    return listAgentCommits(fg.git, await folderGoals(fg));
  }

  /** Opens the commit whose sha starts with `sha`. */
  async open(fg: FolderGoal, sha: string): Promise<CommitReviewSummary> {
    const goals = await folderGoals(fg);
    const commit = (await listAgentCommits(fg.git, goals)).find((c) => c.sha.startsWith(sha.trim()));
    if (!commit) throw new EngineError('bad-input', vscode.l10n.t('{0} is not an agent commit in {1} (no Goalpost trailers).', sha.slice(0, 12), fg.folder.name));
    const summary = await openCommitReview(this.threads, fg.root, fg.git, commit, goals);
    this.current = { root: fg.root, sha: commit.sha };
    await vscode.commands.executeCommand('setContext', REVIEW_OPEN_KEY, true);
    return summary;
  }

  /** `goalpost.reviewCommits (folder?, sha?)`: opens `sha` directly, else a list to pick from. */
  async reviewCommits(folder: unknown, sha: unknown): Promise<CommitReviewSummary | AgentCommit[] | undefined> {
    const fg = await pickFolder(this.app, folder);
    if (!fg) return undefined;
    if (typeof sha === 'string' && sha.trim() !== '') return this.open(fg, sha);
    const commits = await this.list(fg);
    if (commits.length === 0) {
      await this.app.ui.info(vscode.l10n.t('Goalpost: no agent commits in {0} yet. Each task the agent finishes becomes one.', fg.folder.name));
      return commits;
    }
    const revertButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('discard'), tooltip: vscode.l10n.t('Revert Commit') };
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { commit: AgentCommit }>();
    pick.title = vscode.l10n.t('Goalpost: agent commits in {0} (newest first)', fg.folder.name);
    pick.placeholder = vscode.l10n.t('Pick a commit to review its diff and the reviewer\'s notes');
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.items = commits.map((c) => ({ label: `$(git-commit) ${c.title}`, description: commitDescription(c), detail: commitDetail(c), commit: c, buttons: c.revertedBy ? [] : [revertButton] }));
    const chosen = await new Promise<{ commit: AgentCommit; revert: boolean } | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0] ? { commit: pick.selectedItems[0].commit, revert: false } : undefined));
      pick.onDidTriggerItemButton((e) => resolve({ commit: e.item.commit, revert: true }));
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
    pick.dispose();
    if (!chosen) return commits;
    if (chosen.revert) {
      await revertAgentCommit(this.app, fg, chosen.commit);
      return commits;
    }
    return this.open(fg, chosen.commit.sha);
  }

  private async listCommand(folder: unknown): Promise<AgentCommit[] | undefined> {
    const fg = await pickFolder(this.app, folder);
    return fg ? this.list(fg) : undefined;
  }

  private async resolveCommand(target: unknown, resolved: boolean): Promise<NoteThreadInfo> {
    const live = this.threads.find(target);
    if (!live) throw new EngineError('bad-input', noteGone());
    return this.threads.setResolved(live, resolved);
  }

  private async sendCommand(target: unknown): Promise<SentNote | undefined> {
    const live = this.threads.find(target);
    if (!live) throw new EngineError('bad-input', noteGone());
    const fg = await pickFolder(this.app, live.root);
    if (!fg) return undefined;
    const sent = await sendNoteToAgent(this.app, fg, live);
    await this.threads.markSent(live, sent.taskId);
    return sent;
  }

  /** `goalpost.revertCommit (folder?, sha?, confirmed?)`; from an editor title the argument is the file's URI. */
  private async revertCommand(folder: unknown, sha: unknown, confirmed: unknown): Promise<RevertResult | undefined> {
    let root: unknown = folder;
    let target = typeof sha === 'string' ? sha : undefined;
    if (folder instanceof vscode.Uri) {
      root = undefined;
      if (folder.scheme === REVIEW_SCHEME) {
        const ref = parseGitFileUri(folder);
        root = ref.root;
        target = ref.commit ?? undefined;
      }
    }
    if (target === undefined && this.current && (root === undefined || root === this.current.root)) {
      root = this.current.root;
      target = this.current.sha;
    }
    const fg = await pickFolder(this.app, root);
    if (!fg) return undefined;
    const commits = await this.list(fg);
    let commit = target ? commits.find((c) => c.sha.startsWith(target)) : undefined;
    if (!commit && target) throw new EngineError('bad-input', vscode.l10n.t('{0} is not an agent commit in {1}.', target.slice(0, 12), fg.folder.name));
    if (!commit) {
      const picked = await vscode.window.showQuickPick(commits.filter((c) => !c.revertedBy).map((c) => ({ label: c.title, description: commitDescription(c), commit: c })), { title: vscode.l10n.t('Goalpost: revert which agent commit?') });
      commit = picked?.commit;
    }
    if (!commit) return undefined;
    return revertAgentCommit(this.app, fg, commit, confirmed === true);
  }
}

function noteGone(): string {
  return vscode.l10n.t('That review note is no longer open. Open the commit again from "{0}".', vscode.l10n.t('Goalpost: Review Agent Commits'));
}

function commitDescription(c: AgentCommit): string {
  const reverted = c.revertedBy ? ` · ${vscode.l10n.t('reverted')}` : '';
  if (onlyBookkeeping(c.filesChanged)) return `${c.sha.slice(0, 8)} · ${c.taskId} · ${vscode.l10n.t('backlog only (no code change)')}${reverted}`;
  const verdict = c.verdict === 'approve' ? vscode.l10n.t('approved') : c.verdict === 'request_changes' ? vscode.l10n.t('changes requested') : vscode.l10n.t('not reviewed');
  const notes = c.noteCount === 0 ? '' : ` · ${c.noteCount === 1 ? vscode.l10n.t('1 note') : vscode.l10n.t('{0} notes', c.noteCount)}`;
  return `${c.sha.slice(0, 8)} · ${c.taskId} · ${verdict}${notes}${reverted}`;
}

function commitDetail(c: AgentCommit): string {
  const when = formatTime(c.at, new Date());
  const files = c.filesChanged.length <= 3 ? c.filesChanged.join(', ') : vscode.l10n.t('{0} and {1} more', c.filesChanged.slice(0, 3).join(', '), c.filesChanged.length - 3);
  const count = c.filesChanged.length === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', c.filesChanged.length);
  return `${when} · ${count}: ${files} · ${vscode.l10n.t('goal {0}', c.goalId)}`;
}

const features = new WeakMap<GoalpostApp, CommitReview>();

/** The app's commit review, created (and its commands registered) on first use. */
export function commitReview(app: GoalpostApp): CommitReview {
  let feature = features.get(app);
  if (!feature) {
    feature = app.register(new CommitReview(app));
    features.set(app, feature);
  }
  return feature;
}
