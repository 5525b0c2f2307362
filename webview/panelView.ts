// The whole panel: the empty state or one card per folder's goal, then the goal history. It applies
// the host's messages: versioned state pushes (a stale one is dropped), usage ticks and log lines.
import type { GoalView, HistoryView, HostMessage, LiveView, SetupView } from '../src/protocol';
import { el } from './dom';
import { EmptyState } from './empty';
import { GoalCard } from './goalCard';
import { HistoryList } from './history';

export class PanelView {
  private shownVersion = -1;
  private readonly cards = new Map<string, GoalCard>();
  private readonly goalsSlot = el('div', { class: 'goals' });
  private readonly history = new HistoryList();
  private readonly empty = new EmptyState();
  private emptyShown = false;
  private trusted = true;
  private setup: SetupView | null = null;
  /** Live steps that arrived before their folder's card. */
  private readonly earlyLive = new Map<string, LiveView>();
  /** Log lines that arrived before their folder's card (the card is created by the next state). */
  private readonly earlyLogs = new Map<string, string[]>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(root: HTMLElement) {
    root.replaceChildren(this.goalsSlot, this.history.section.root);
  }

  /** Applies one validated host message (the l10n bundle is main.ts's, before the panel exists). */
  apply(message: Exclude<HostMessage, { type: 'l10n' }>): void {
    if (message.type === 'state') {
      if (message.version <= this.shownVersion) return; // a stale push
      this.shownVersion = message.version;
      this.render(message.goals, message.history, message.trusted);
    } else if (message.type === 'setup') {
      this.setup = message.setup;
      this.empty.update(this.trusted, this.setup);
    } else if (message.type === 'connection') {
      this.empty.showConnection(message.result);
    } else if (message.type === 'live') {
      const card = this.cards.get(message.live.folder);
      if (card) card.live.update(message.live);
      else this.earlyLive.set(message.live.folder, message.live);
    } else if (message.type === 'usage') {
      if (message.version <= this.shownVersion) return;
      this.shownVersion = message.version;
      this.cards.get(message.folder)?.setUsage(message.usage);
    } else {
      const card = this.cards.get(message.folder);
      if (card) card.activity.append(message.lines, message.reset);
      else this.earlyLogs.set(message.folder, message.reset ? [...message.lines] : [...(this.earlyLogs.get(message.folder) ?? []), ...message.lines]);
    }
  }

  private render(goals: GoalView[], history: HistoryView[], trusted: boolean): void {
    if (goals.length === 0) {
      for (const card of this.cards.values()) card.root.remove();
      this.cards.clear();
      this.trusted = trusted;
      this.empty.update(trusted, this.setup);
      if (!this.emptyShown) {
        this.emptyShown = true;
        this.goalsSlot.replaceChildren(this.empty.root);
      }
    } else {
      if (this.emptyShown) {
        this.empty.root.remove();
        this.emptyShown = false;
      }
      const wanted = new Set(goals.map((g) => g.folder));
      for (const [folder, card] of this.cards) {
        if (!wanted.has(folder)) {
          card.root.remove();
          this.cards.delete(folder);
        }
      }
      let ref = this.goalsSlot.firstChild;
      for (const g of goals) {
        let card = this.cards.get(g.folder);
        if (!card) {
          card = new GoalCard(g.folder);
          this.cards.set(g.folder, card);
          const early = this.earlyLogs.get(g.folder);
          if (early) card.activity.append(early, true);
          this.earlyLogs.delete(g.folder);
          const live = this.earlyLive.get(g.folder);
          if (live) card.live.update(live);
          this.earlyLive.delete(g.folder);
        }
        card.update(g, goals.length > 1);
        if (card.root === ref) ref = ref.nextSibling;
        else this.goalsSlot.insertBefore(card.root, ref);
      }
    }
    this.history.update(history);
    this.syncTimer();
  }

  /** The elapsed-time clock runs only while some goal runs. */
  private syncTimer(): void {
    const running = [...this.cards.values()].some((c) => c.header.running);
    if (running && !this.timer) this.timer = setInterval(() => this.cards.forEach((c) => c.header.tick()), 1000);
    if (!running && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
