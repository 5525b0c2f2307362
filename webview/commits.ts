// The agent's commits, newest first; a commit opens its review.
import * as l10n from '@vscode/l10n';
import type { CommitView, GoalView } from '../src/protocol';
import { commandButton, Section } from './controls';
import { el, KeyedList } from './dom';
import { when } from './format';
import { send } from './host';

function commitRow(folder: string, c: CommitView): HTMLElement {
  const link = el('button', { type: 'button', class: 'link commit', 'aria-label': l10n.t('Review commit {0}: {1}', c.sha.slice(0, 8), c.title), 'data-sha': c.sha },
    el('span', { class: 'codicon codicon-git-commit', 'aria-hidden': 'true' }), ' ',
    el('code', { class: 'sha' }, c.sha.slice(0, 8)), ' ', el('span', { class: 'title' }, c.title));
  link.addEventListener('click', () => send({ type: 'openCommit', folder, sha: c.sha }));
  return el('li', {}, link, el('span', { class: 'meta' }, ` ${c.taskId} · ${when(c.at)}`));
}

export class CommitsView {
  readonly section: Section;
  private readonly list: KeyedList<CommitView>;
  private readonly empty = el('p', { class: 'meta' }, l10n.t('No commit yet: each finished task becomes one.'));

  constructor(folder: string) {
    this.section = new Section(`commits:${folder}`, l10n.t('Agent commits'), true, 'commits');
    const ul = el('ul', { class: 'commit-list' });
    this.list = new KeyedList(ul, (c) => c.sha, (c) => JSON.stringify(c), (c) => commitRow(folder, c));
    this.section.body.append(this.empty, ul, el('div', { class: 'links' }, commandButton(l10n.t('Review Agent Commits'), 'git-compare', 'reviewCommits', folder)));
  }

  update(g: GoalView): void {
    this.section.setCount(g.commits.length);
    this.list.update([...g.commits].reverse());
    const hidden = g.commits.length > 0;
    if (this.empty.hidden !== hidden) this.empty.hidden = hidden;
  }
}
