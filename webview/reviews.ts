// The self-review notes: per review its verdict, summary and notes, newest first; a note opens its
// file at its line (the host checks the path).
import * as l10n from '@vscode/l10n';
import type { GoalView, NoteView, ReviewView } from '../src/protocol';
import { Section } from './controls';
import { el, KeyedList } from './dom';
import { when } from './format';
import { send } from './host';

const SEVERITY_ICON: Record<NoteView['severity'], string> = { info: 'info', warning: 'warning', error: 'error' };

function severityName(severity: NoteView['severity']): string {
  switch (severity) {
    case 'info': return l10n.t('info');
    case 'warning': return l10n.t('warning');
    case 'error': return l10n.t('error');
  }
}

function noteRow(folder: string, n: NoteView): HTMLElement {
  const where = n.line > 0 ? `${n.path}:${n.line}` : n.path;
  const link = el('button', { type: 'button', class: `link note ${n.severity}`, 'aria-label': l10n.t('{0}: {1} — open {2}', severityName(n.severity), n.message, where), 'data-path': n.path, 'data-line': String(n.line) },
    el('span', { class: `codicon codicon-${SEVERITY_ICON[n.severity]}`, 'aria-hidden': 'true' }), ' ',
    el('span', { class: 'where' }, where), ' ', el('span', { class: 'message' }, n.message));
  link.addEventListener('click', () => send({ type: 'openNote', folder, path: n.path, line: n.line }));
  return el('li', {}, link);
}

function reviewRow(folder: string, r: ReviewView): HTMLElement {
  const approved = r.verdict === 'approve';
  const head = el('div', { class: 'review-head' },
    el('span', { class: `codicon codicon-${approved ? 'pass' : 'request-changes'}`, 'aria-hidden': 'true' }), ' ',
    el('span', { class: `verdict ${r.verdict}` }, approved ? l10n.t('Approved') : l10n.t('Changes requested')),
    el('span', { class: 'meta' }, ` · ${r.taskId ? l10n.t('task {0}', r.taskId) : l10n.t('completion audit')}`));
  const item = el('li', { class: 'review', 'data-review': r.id }, head);
  head.append(el('span', { class: 'meta when' }, ` · ${when(r.at)}`));
  if (r.summary) item.append(el('p', { class: 'summary' }, r.summary));
  if (r.notes.length > 0) item.append(el('ul', { class: 'notes', 'aria-label': l10n.t('Notes') }, ...r.notes.map((n) => noteRow(folder, n))));
  return item;
}

export class ReviewsView {
  readonly section: Section;
  private readonly list: KeyedList<ReviewView>;
  private readonly empty = el('p', { class: 'meta' }, l10n.t('No review yet.'));

  constructor(folder: string) {
    this.section = new Section(`reviews:${folder}`, l10n.t('Self-review notes'), true, 'reviews');
    const ul = el('ul', { class: 'review-list' });
    this.list = new KeyedList(ul, (r) => r.id, (r) => JSON.stringify(r), (r) => reviewRow(folder, r));
    this.section.body.append(this.empty, ul);
  }

  update(g: GoalView): void {
    this.section.setCount(g.reviews.reduce((n, r) => n + r.notes.length, 0));
    this.list.update([...g.reviews].reverse());
    const hidden = g.reviews.length > 0;
    if (this.empty.hidden !== hidden) this.empty.hidden = hidden;
  }
}
