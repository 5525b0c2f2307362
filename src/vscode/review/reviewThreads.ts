// The reviewer's notes as comment threads (Comments API) on the modified side of a commit's diff.
// Resolved and sent-to-agent marks are kept in workspaceState, so a commit reopened later shows them.
import * as vscode from 'vscode';
import type { AgentCommit } from '../../adapters/review/agentCommits';
import { gitFileUri } from './gitContent';
import type { PlacedNote } from './notePlacement';
import { formatTime } from '../../timeFormat';

/** A thread as tests and the panel see it. */
export interface NoteThreadInfo {
  /** `<sha>:<reviewId>:<index>`, stable across reopenings. */
  id: string;
  sha: string;
  reviewId: string;
  /** The file the thread is on, relative to the folder. */
  path: string;
  /** 1-based line of the modified side the thread is on. */
  line: number;
  /** The line the reviewer named. */
  originalLine: number;
  /** The path the reviewer named. */
  originalPath: string;
  onOwnLine: boolean;
  severity: PlacedNote['note']['severity'];
  message: string;
  movedBecause: string | null;
  resolved: boolean;
  /** Task id the note was sent to the agent as, or null. */
  sentAs: string | null;
  /** The goalpost-git URI the thread is attached to. */
  uri: string;
}

/** A live thread with what its actions need. */
export interface LiveThread {
  info: NoteThreadInfo;
  placed: PlacedNote;
  commit: AgentCommit;
  root: string;
  thread: vscode.CommentThread;
}

const CONTROLLER_ID = 'goalpost.review';
const RESOLVED_KEY = 'goalpost.review.resolved';
const SENT_KEY = 'goalpost.review.sent';
/** Context values the package.json menus match. */
export const THREAD_CONTEXT = { open: 'goalpostNote', resolved: 'goalpostNoteResolved' } as const;

export class ReviewThreads implements vscode.Disposable {
  readonly controller: vscode.CommentController;
  private readonly live = new Map<string, LiveThread>();

  constructor(private readonly memento: vscode.Memento) {
    this.controller = vscode.comments.createCommentController(CONTROLLER_ID, vscode.l10n.t('Goalpost review'));
    // No commenting ranges: the threads are the reviewer's; people act on them, they do not add new ones.
    this.controller.options = { prompt: vscode.l10n.t('Goalpost review notes are read-only'), placeHolder: '' };
  }

  /** Shows the notes of one commit, replacing that commit's earlier threads. */
  show(root: string, commit: AgentCommit, notes: readonly PlacedNote[]): NoteThreadInfo[] {
    for (const [id, t] of this.live) {
      if (t.commit.sha === commit.sha) {
        t.thread.dispose();
        this.live.delete(id);
      }
    }
    const resolved = new Set(this.memento.get<string[]>(RESOLVED_KEY, []));
    const sent = this.memento.get<Record<string, string>>(SENT_KEY, {});
    return notes.map((placed) => {
      const id = `${commit.sha}:${placed.reviewId}:${placed.index}`;
      const uri = gitFileUri(root, placed.fileStatus === 'D' ? null : commit.sha, placed.path, commit.sha);
      const thread = this.controller.createCommentThread(uri, new vscode.Range(placed.line - 1, 0, placed.line - 1, 0), []);
      thread.canReply = false;
      const info: NoteThreadInfo = {
        id,
        sha: commit.sha,
        reviewId: placed.reviewId,
        path: placed.path,
        line: placed.line,
        originalLine: placed.note.line,
        originalPath: placed.note.path,
        onOwnLine: placed.onOwnLine,
        severity: placed.note.severity,
        message: placed.note.message,
        movedBecause: placed.movedBecause,
        resolved: resolved.has(id),
        sentAs: sent[id] ?? null,
        uri: uri.toString(),
      };
      const live: LiveThread = { info, placed, commit, root, thread };
      this.live.set(id, live);
      render(live);
      return { ...info };
    });
  }

  /** The live thread named by an id or passed by a thread menu (the CommentThread itself). */
  find(target: unknown): LiveThread | undefined {
    if (typeof target === 'string') return this.live.get(target);
    for (const t of this.live.values()) if (t.thread === target) return t;
    return undefined;
  }

  /** Marks a thread resolved (collapsed) or open again. */
  async setResolved(live: LiveThread, resolved: boolean): Promise<NoteThreadInfo> {
    const ids = new Set(this.memento.get<string[]>(RESOLVED_KEY, []));
    if (resolved) ids.add(live.info.id);
    else ids.delete(live.info.id);
    await this.memento.update(RESOLVED_KEY, [...ids]);
    live.info.resolved = resolved;
    render(live);
    return { ...live.info };
  }

  /** Records that the note became task `taskId`. */
  async markSent(live: LiveThread, taskId: string): Promise<NoteThreadInfo> {
    const sent = { ...this.memento.get<Record<string, string>>(SENT_KEY, {}), [live.info.id]: taskId };
    await this.memento.update(SENT_KEY, sent);
    live.info.sentAs = taskId;
    render(live);
    return { ...live.info };
  }

  /** Every live thread's info (tests, the panel). */
  threads(): NoteThreadInfo[] {
    return [...this.live.values()].map((t) => ({ ...t.info }));
  }

  dispose(): void {
    this.live.clear();
    this.controller.dispose();
  }
}

function severityName(severity: NoteThreadInfo['severity']): string {
  switch (severity) {
    case 'info': return vscode.l10n.t('info');
    case 'warning': return vscode.l10n.t('warning');
    case 'error': return vscode.l10n.t('error');
  }
}

function render(live: LiveThread): void {
  const { info, placed, thread } = live;
  const body = new vscode.MarkdownString();
  body.appendMarkdown(`**${severityName(info.severity)}** · `);
  body.appendText(info.message);
  if (info.movedBecause) {
    body.appendMarkdown('\n\n_');
    body.appendText(info.movedBecause);
    body.appendMarkdown('_');
  }
  const comments: vscode.Comment[] = [{
    body,
    mode: vscode.CommentMode.Preview,
    author: { name: vscode.l10n.t('Goalpost reviewer') },
    // The review's time in the label, in Goalpost's one time format (a `timestamp` would be VS Code's own "2 hours ago").
    label: `${placed.reviewId}${placed.attempt !== null ? ` · ${vscode.l10n.t('attempt {0}', placed.attempt)}` : ''} · ${placed.verdict === 'approve' ? vscode.l10n.t('approved') : vscode.l10n.t('changes requested')} · ${formatTime(placed.at, new Date())}`,
  }];
  if (info.sentAs) {
    comments.push({
      body: new vscode.MarkdownString(vscode.l10n.t('Sent to the agent as task **{0}**.', info.sentAs)),
      mode: vscode.CommentMode.Preview,
      author: { name: vscode.l10n.t('You') },
    });
  }
  thread.comments = comments;
  thread.label = `${severityName(info.severity)} · ${info.originalPath}${info.originalLine > 0 ? `:${info.originalLine}` : ''}${info.resolved ? ` · ${vscode.l10n.t('resolved')}` : ''}`;
  thread.contextValue = info.resolved ? THREAD_CONTEXT.resolved : THREAD_CONTEXT.open;
  thread.state = info.resolved ? vscode.CommentThreadState.Resolved : vscode.CommentThreadState.Unresolved;
  thread.collapsibleState = info.resolved ? vscode.CommentThreadCollapsibleState.Collapsed : vscode.CommentThreadCollapsibleState.Expanded;
}
