// The status-bar item: state, phase and tokens; a click opens the panel.
import * as vscode from 'vscode';
import { budgetLevel } from '../engine/budget';
import type { Goal } from '../engine/goal';
import { isDemoGoal } from '../engine/demo';
import { statusName } from './statusName';

function compact(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)}M`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(n >= 10_000 ? 0 : 1)}k`;
  return String(n);
}

const ICONS: Record<Goal['status'], string> = {
  pursuing: '$(sync~spin)',
  paused: '$(debug-pause)',
  achieved: '$(pass-filled)',
  unmet: '$(error)',
  'budget-limited': '$(warning)',
  cleared: '$(circle-slash)',
};

/** The text of the item for a goal (exported for tests). The phase is the engine's (English) word. */
export function statusText(goal: Goal): string {
  const level = budgetLevel(goal);
  const tokens = level.budget === null ? compact(level.used) : `${compact(level.used)}/${compact(level.budget)}`;
  const phase = goal.status === 'pursuing' && goal.phase ? ` · ${goal.phase}` : '';
  const state = isDemoGoal(goal) ? vscode.l10n.t('DEMO {0}', statusName(goal.status)) : statusName(goal.status);
  return `${ICONS[goal.status]} ${vscode.l10n.t('Goalpost: {0}', `${state}${phase}`)} · ${tokens}`;
}

export class GoalStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('goalpost.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Goalpost';
    this.item.command = 'goalpost.showPanel';
  }

  show(goal: Goal | null): void {
    if (!goal) {
      this.item.hide();
      return;
    }
    const level = budgetLevel(goal);
    this.item.text = statusText(goal);
    const demo = isDemoGoal(goal) ? `${vscode.l10n.t('DEMO — a scripted session, no model, no network.')}\n` : '';
    this.item.tooltip = `${demo}${goal.spec.objective.split('\n')[0]}\n${goal.reason ?? ''}\n${vscode.l10n.t('Click to open the Goalpost panel.')}`.trim();
    this.item.backgroundColor = level.level === 'exhausted'
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : level.level === 'warn' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
