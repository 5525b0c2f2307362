// The backlog: In progress / To do / Done / Blocked with counts; a task opens its details, attempts,
// checks with their exit codes, and its commit. Rows are keyed by task id, so a tick that changes
// one task rebuilds one row.
import * as l10n from '@vscode/l10n';
import type { AttemptView, GoalView, ReviewView, TaskView } from '../src/protocol';
import { Section } from './controls';
import { el, KeyedList, setText } from './dom';
import { seconds } from './format';
import { saveUiState, send, uiState } from './host';

const GROUPS: { status: TaskView['status']; title: () => string; icon: string }[] = [
  { status: 'in-progress', title: () => l10n.t('In progress'), icon: 'loading' },
  { status: 'todo', title: () => l10n.t('To do'), icon: 'circle-large-outline' },
  { status: 'done', title: () => l10n.t('Done'), icon: 'pass' },
  { status: 'blocked', title: () => l10n.t('Blocked'), icon: 'error' },
];

/** A check row; with a full output log it is a button that opens it (F13). */
function checkLine(folder: string, c: AttemptView['checks'][number]): HTMLElement {
  const ok = c.exitCode === 0 && !c.timedOut;
  const code = c.timedOut ? l10n.t('timed out') : c.exitCode === null ? l10n.t('killed') : l10n.t('exit {0}', c.exitCode);
  const text = [el('span', { class: `codicon codicon-${ok ? 'pass' : 'error'}`, 'aria-hidden': 'true' }), ' ', el('code', {}, c.command), ` — ${code} · ${seconds(c.durationMs)}`];
  const logPath = c.logPath;
  if (!logPath) return el('li', { class: `check ${ok ? 'pass' : 'fail'}` }, ...text);
  const open = el('button', { type: 'button', class: 'link check-link', 'aria-label': l10n.t('Open the full output of {0} ({1})', c.command, code) }, ...text);
  open.addEventListener('click', () => send({ type: 'openCheckLog', folder, logPath }));
  return el('li', { class: `check ${ok ? 'pass' : 'fail'}` }, open);
}

function attemptBlock(folder: string, a: AttemptView, reviews: ReviewView[]): HTMLElement {
  const block = el('li', { class: 'attempt' }, el('span', { class: 'attempt-title' }, l10n.t('Attempt {0}', a.n)), ` — ${a.outcome || l10n.t('running')}`);
  if (a.summary) block.append(el('div', { class: 'meta' }, a.summary));
  if (a.blocker) block.append(el('div', { class: 'meta blocker' }, l10n.t('Blocker: {0}', a.blocker)));
  if (a.checks.length > 0) block.append(el('ul', { class: 'checks', 'aria-label': l10n.t('Checks of attempt {0}', a.n) }, ...a.checks.map((c) => checkLine(folder, c))));
  for (const r of reviews) {
    const review = el('div', { class: 'attempt-review' },
      el('span', { class: `verdict ${r.verdict}` }, r.verdict === 'approve' ? l10n.t('Approved') : l10n.t('Changes requested')), `: ${r.summary}`);
    if (r.notes.length > 0) {
      review.append(el('ul', { class: 'notes', 'aria-label': l10n.t('Review notes') }, ...r.notes.map((n) => {
        const link = el('button', { type: 'button', class: 'link note-link', 'aria-label': l10n.t('Open {0} at line {1}', n.path, n.line) }, `${n.path}:${n.line}`);
        link.addEventListener('click', () => send({ type: 'openNote', folder, path: n.path, line: n.line }));
        return el('li', { class: `note ${n.severity}` }, el('span', { class: `codicon codicon-${n.severity === 'error' ? 'error' : n.severity === 'warning' ? 'warning' : 'info'}`, 'aria-hidden': 'true' }), ' ', link, ` ${n.message}`);
      })));
    }
    block.append(review);
  }
  return block;
}

function taskRow(folder: string, t: TaskView, reviews: ReviewView[]): HTMLElement {
  const key = `${folder}|${t.id}`;
  const summary = el('summary', {},
    el('span', { class: 'task-id' }, t.id), ' ', el('span', { class: 'task-title' }, t.title));
  if (t.attempts.length > 1) summary.append(el('span', { class: 'meta' }, ` · ${l10n.t('{0} attempts', t.attempts.length)}`));
  const details = el('details', { class: `task ${t.status}`, 'data-task': t.id }, summary);
  // Details are built lazily on first open: 500 tasks render fast and most are never opened.
  let filled = false;
  const fill = (): void => {
    if (filled) return;
    filled = true;
    const body = el('div', { class: 'task-body' });
    if (t.details) body.append(el('p', { class: 'details' }, t.details));
    if (t.blockedReason) body.append(el('p', { class: 'blocker' }, l10n.t('Blocked: {0}', t.blockedReason)));
    if (t.attempts.length > 0) body.append(el('ul', { class: 'attempts' }, ...t.attempts.map((a) => attemptBlock(folder, a, reviews.filter((r) => r.attempt === a.n)))));
    else body.append(el('p', { class: 'meta' }, l10n.t('Not attempted yet.')));
    if (t.commit) {
      const sha = t.commit;
      const link = el('button', { type: 'button', class: 'link commit-link', 'aria-label': l10n.t('Open the review of commit {0}', sha.slice(0, 8)) },
        el('span', { class: 'codicon codicon-git-commit', 'aria-hidden': 'true' }), ` ${sha.slice(0, 8)}`);
      link.addEventListener('click', () => send({ type: 'openCommit', folder, sha }));
      body.append(el('p', {}, l10n.t('Commit (its diff and review):'), ' ', link));
    }
    details.append(body);
  };
  if (uiState.tasks.includes(key)) {
    fill();
    details.open = true;
  }
  details.addEventListener('toggle', () => {
    if (details.open) fill();
    uiState.tasks = details.open ? [...new Set([...uiState.tasks, key])] : uiState.tasks.filter((k) => k !== key);
    saveUiState();
  });
  return el('li', {}, details);
}

export class BacklogView {
  readonly section: Section;
  private readonly lists = new Map<TaskView['status'], { list: KeyedList<TaskView>; count: HTMLElement; group: HTMLElement }>();
  private reviews: ReviewView[] = [];

  constructor(private readonly folder: string) {
    this.section = new Section(`backlog:${folder}`, l10n.t('Backlog'), true, 'backlog');
    for (const g of GROUPS) {
      const count = el('span', { class: 'count' }, '0');
      const title = g.title();
      const ul = el('ul', { class: 'tasks', 'aria-label': title });
      const group = el('div', { class: `group ${g.status}` },
        el('h4', {}, el('span', { class: `codicon codicon-${g.icon}`, 'aria-hidden': 'true' }), ` ${title} (`, count, ')'), ul);
      this.lists.set(g.status, {
        list: new KeyedList(ul, (t) => t.id, (t) => JSON.stringify([t, this.reviewsOf(t.id)]), (t) => taskRow(this.folder, t, this.reviewsOf(t.id))),
        count,
        group,
      });
      this.section.body.append(group);
    }
  }

  private reviewsOf(taskId: string): ReviewView[] {
    return this.reviews.filter((r) => r.taskId === taskId);
  }

  update(g: GoalView): void {
    this.reviews = g.reviews;
    this.section.setCount(g.tasks.length);
    for (const [status, { list, count, group }] of this.lists) {
      const tasks = g.tasks.filter((t) => t.status === status);
      list.update(tasks);
      setText(count, String(tasks.length));
      // Empty groups stay out of the way (but To do always shows, so the counts read naturally).
      const hidden = tasks.length === 0 && status !== 'todo';
      if (group.hidden !== hidden) group.hidden = hidden;
    }
  }
}
