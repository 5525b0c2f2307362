// A goal's header and controls: state badge, phase with an activity indicator, elapsed time,
// iteration, the objective (expandable), the reason, and Pause / Resume / Clear / Edit Goal / Raise Budget.
import * as l10n from '@vscode/l10n';
import type { GoalView, PanelCommand } from '../src/protocol';
import { commandButton } from './controls';
import { custom, el, setHidden, setText } from './dom';
import { duration, firstLine } from './format';

/** The state the user sees: `interrupted` when the goal says pursuing but nothing runs it (also the badge's class). */
export function stateLabel(g: Pick<GoalView, 'status' | 'interrupted'>): string {
  return g.interrupted ? 'interrupted' : g.status;
}

/** The state's name, in the user's language. */
export function stateName(state: string): string {
  switch (state) {
    case 'interrupted': return l10n.t('interrupted');
    case 'pursuing': return l10n.t('pursuing');
    case 'paused': return l10n.t('paused');
    case 'achieved': return l10n.t('achieved');
    case 'unmet': return l10n.t('unmet');
    case 'budget-limited': return l10n.t('budget-limited');
    case 'cleared': return l10n.t('cleared');
    default: return state;
  }
}

/** The controls that make sense in a state. */
export function controlsFor(g: Pick<GoalView, 'status' | 'interrupted'>): PanelCommand[] {
  const out: PanelCommand[] = [];
  if (g.status === 'pursuing' && !g.interrupted) out.push('pause');
  if (g.interrupted || ['paused', 'unmet', 'budget-limited'].includes(g.status)) out.push('resume');
  out.push('editGoal', 'raiseBudget', 'openReport', 'clear');
  return out;
}

const BUTTONS: Record<string, [() => string, string]> = {
  pause: [() => l10n.t('Pause'), 'debug-pause'],
  resume: [() => l10n.t('Resume'), 'debug-start'],
  editGoal: [() => l10n.t('Edit Goal'), 'edit'],
  raiseBudget: [() => l10n.t('Raise Budget'), 'arrow-up'],
  openReport: [() => l10n.t('Open Report'), 'report'],
  clear: [() => l10n.t('Clear'), 'clear-all'],
};

/**
 * Elapsed time without idle time: the runs' total plus the current run so far. A record from before
 * active time was kept falls back to wall time.
 */
export function elapsedMs(t: { activeMs: number | null; runningSince: string | null; createdAt: string; endedAt: string | null }, now: number): number {
  if (t.activeMs === null) return (t.endedAt ? Date.parse(t.endedAt) : now) - Date.parse(t.createdAt);
  const live = t.runningSince ? Math.max(0, now - Date.parse(t.runningSince)) : 0;
  return t.activeMs + live;
}

export class HeaderView {
  readonly root: HTMLElement;
  private readonly badge = el('span', { class: 'badge', role: 'status', 'aria-live': 'polite', 'aria-label': l10n.t('Goal state') });
  private readonly ring = custom('vscode-progress-ring', { 'aria-label': l10n.t('Working'), class: 'ring' });
  private readonly demo = el('span', { class: 'demo-label', title: l10n.t('A scripted session: no model, no network, no tokens billed') }, l10n.t('DEMO'));
  private readonly phase = el('span', { class: 'phase' });
  private readonly phaseWrap = el('span', { class: 'phase-wrap' }, this.ring, this.phase);
  private readonly elapsed = el('span', { class: 'elapsed', title: l10n.t('Time spent working (paused and idle time not counted)') });
  private readonly iteration = el('span', { class: 'iteration' });
  private readonly summary = el('summary', { 'aria-label': l10n.t('Objective (expand for the whole text)') });
  private readonly objective = el('pre', {});
  private readonly reason = el('p', { class: 'reason' });
  private readonly controls = el('div', { class: 'controls', role: 'toolbar', 'aria-label': l10n.t('Goal controls') });
  private controlsSig = '';
  private timing: { activeMs: number | null; runningSince: string | null; createdAt: string; endedAt: string | null; running: boolean } | null = null;

  constructor(private readonly folder: string) {
    this.root = el('div', { class: 'goal-header' },
      el('div', { class: 'state-line' }, this.demo, this.badge, this.phaseWrap, el('span', { class: 'meta' }, this.elapsed, ' · ', this.iteration)),
      el('details', { class: 'objective' }, this.summary, this.objective),
      this.reason,
      this.controls);
  }

  update(g: GoalView): void {
    const label = stateLabel(g);
    setHidden(this.demo, g.demo !== true);
    setText(this.badge, stateName(label));
    if (this.badge.className !== `badge ${label}`) this.badge.className = `badge ${label}`;
    const active = g.status === 'pursuing' && !g.interrupted && g.phase !== null;
    setHidden(this.phaseWrap, !(g.status === 'pursuing' && g.phase !== null));
    setHidden(this.ring, !active);
    // The phase and the reason are the engine's words (English, like the log and the CLI).
    setText(this.phase, g.phase ?? '');
    setText(this.iteration, l10n.t('iteration {0}', g.iteration));
    setText(this.summary, g.title ?? firstLine(g.objective));
    setText(this.objective, g.objective);
    setText(this.reason, g.reason ?? '');
    setHidden(this.reason, !g.reason);
    this.timing = { activeMs: g.activeMs ?? null, runningSince: g.runningSince ?? null, createdAt: g.createdAt, endedAt: g.endedAt, running: g.status === 'pursuing' && !g.interrupted };
    this.tick();
    const commands = controlsFor(g);
    const sig = commands.join(',');
    if (sig !== this.controlsSig) {
      this.controlsSig = sig;
      const focused = (document.activeElement as HTMLElement | null)?.getAttribute('data-command');
      this.controls.replaceChildren(...commands.map((c, i) => commandButton(BUTTONS[c][0](), BUTTONS[c][1], c, this.folder, i === 0 && (c === 'pause' || c === 'resume'))));
      // Keep keyboard focus on a control that survives the state change (else on the first one).
      if (focused && this.root.contains(document.activeElement) === false) {
        const target = this.controls.querySelector<HTMLElement>(`[data-command="${focused}"]`) ?? this.controls.querySelector<HTMLElement>('[data-command]');
        target?.focus();
      }
    }
  }

  /** Refreshes the elapsed time (called every second by the panel while a goal runs). */
  tick(): void {
    if (!this.timing) return;
    setText(this.elapsed, duration(elapsedMs(this.timing, Date.now())));
  }

  get running(): boolean {
    return this.timing?.running ?? false;
  }
}
