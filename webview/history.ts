// The goal history: ended goals (achieved, unmet, budget-limited, cleared) with their figures.
import * as l10n from '@vscode/l10n';
import type { HistoryView } from '../src/protocol';
import { Section } from './controls';
import { el, KeyedList } from './dom';
import { compact, firstLine, money, when } from './format';
import { stateName } from './header';

function historyRow(h: HistoryView): HTMLElement {
  return el('li', { class: 'history-item' },
    el('span', { class: `badge ${h.status}` }, stateName(h.status)), ' ',
    el('span', { class: 'objective-line' }, firstLine(h.objective, 80)),
    el('div', { class: 'meta' }, `${l10n.t('{0}/{1} tasks', h.tasksDone, h.tasksTotal)} · ${l10n.t('{0} tokens', compact(h.tokens))} · ${money(h.costUsd)}${h.endedAt ? ` · ${when(h.endedAt)}` : ''}`),
    h.reason ? el('div', { class: 'meta reason-line' }, h.reason) : '');
}

export class HistoryList {
  readonly section = new Section('history', l10n.t('Goal history'), false, 'history');
  private readonly list: KeyedList<HistoryView>;

  constructor() {
    const ul = el('ul', { class: 'history-list' });
    this.list = new KeyedList(ul, (h) => `${h.folder}|${h.id}`, (h) => JSON.stringify(h), historyRow);
    this.section.body.append(ul);
  }

  update(items: readonly HistoryView[]): void {
    this.section.setCount(items.length);
    this.list.update(items);
    const hidden = items.length === 0;
    if (this.section.root.hidden !== hidden) this.section.root.hidden = hidden;
  }
}
