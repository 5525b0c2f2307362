// One folder's goal: header and controls, budget, backlog, reviews, commits, activity. Each part
// updates itself from the view model and touches only what changed.
import * as l10n from '@vscode/l10n';
import type { GoalView, UsageView } from '../src/protocol';
import { ActivityView } from './activity';
import { BacklogView } from './backlog';
import { BudgetView } from './budget';
import { CommitsView } from './commits';
import { commandButton } from './controls';
import { el, setAttr, setHidden, setText } from './dom';
import { LiveStepView } from './live';
import { HeaderView } from './header';
import { ReviewsView } from './reviews';

export class GoalCard {
  readonly root: HTMLElement;
  readonly header: HeaderView;
  readonly activity: ActivityView;
  private readonly budget = new BudgetView();
  private readonly backlog: BacklogView;
  private readonly reviews: ReviewsView;
  private readonly commits: CommitsView;
  private readonly title = el('h2', { class: 'folder-name' });
  /** The current step while the goal runs (F13). */
  readonly live = new LiveStepView();
  private readonly checkpointTitle = el('h4', {});
  private readonly checkpointText = el('pre', { class: 'checkpoint-text' });
  private readonly checkpoint = el('section', { class: 'checkpoint', 'aria-label': l10n.t('Checkpoint') }, this.checkpointTitle, this.checkpointText);

  constructor(readonly folder: string) {
    this.header = new HeaderView(folder);
    this.backlog = new BacklogView(folder);
    this.reviews = new ReviewsView(folder);
    this.commits = new CommitsView(folder);
    this.activity = new ActivityView(folder);
    this.root = el('article', { class: 'goal', 'data-folder': folder },
      this.title,
      this.header.root,
      this.live.root,
      this.checkpoint,
      this.budget.root,
      this.backlog.section.root,
      this.reviews.section.root,
      this.commits.section.root,
      this.activity.section.root,
      el('div', { class: 'links' }, commandButton(l10n.t('Open Backlog'), 'checklist', 'openBacklog', folder)));
  }

  update(g: GoalView, multiRoot: boolean): void {
    const title = multiRoot ? g.folderName : '';
    if (this.title.textContent !== title) this.title.textContent = title;
    if (this.title.hidden !== !multiRoot) this.title.hidden = !multiRoot;
    setAttr(this.root, 'aria-label', l10n.t('Goal {0} in {1}', g.id, g.folderName));
    this.header.update(g);
    this.live.setActive(g.status === 'pursuing' && !g.interrupted);
    // The checkpoint a stop left (the budget wrap-up, a pause's summary): what a resume starts from.
    const stopped = g.status === 'budget-limited' || g.status === 'paused' || g.interrupted;
    const text = (g.checkpoint ?? '').trim();
    setHidden(this.checkpoint, !stopped || text === '');
    setText(this.checkpointTitle, g.status === 'budget-limited' ? l10n.t('Wrap-up at the budget limit') : l10n.t('Checkpoint (where a resume continues)'));
    setText(this.checkpointText, text);
    this.budget.update(g);
    this.backlog.update(g);
    this.reviews.update(g);
    this.commits.update(g);
  }

  setUsage(u: UsageView): void {
    this.budget.setUsage(u);
  }
}
