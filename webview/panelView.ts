// The whole panel: the empty state or one card per folder's goal, then the goal history. It applies
// the host's messages: versioned state pushes (a stale one is dropped), usage ticks and log lines.
import type { GoalView, HistoryView, HostMessage } from '../src/protocol';
import { el } from './dom';
import { emptyState } from './empty';
import { GoalCard } from './goalCard';
import { HistoryList } from './history';

export class PanelView {
  private shownVersion = -1;
  private readonly cards = new Map<string, GoalCard>();
  private readonly goalsSlot = el('div', { class: 'goals' });
  private readonly history = new HistoryList();
  private empty: HTMLElement | null = null;
  private emptyTrusted: boolean | null = null;
  /** Log lines that arrived before their folder's card (the card is created by the next state). */
  private readonly earlyLogs = new Map<string, string[]>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(root: HTMLElement) {
    root.replaceChildren(this.goalsSlot, this.history.section.root);
  }

  /** Applies one validated host message. */
  apply(message: HostMessage): void {
    if (message.type === 'state') {
      if (message.version <= this.shownVersion) return; // a stale push
      this.shownVersion = message.version;
      this.render(message.goals, message.history, message.trusted);
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
      if (!this.empty || this.emptyTrusted !== trusted) {
        this.empty = emptyState(trusted);
        this.emptyTrusted = trusted;
        this.goalsSlot.replaceChildren(this.empty);
      }
    } else {
      if (this.empty) {
        this.empty.remove();
        this.empty = null;
        this.emptyTrusted = null;
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
