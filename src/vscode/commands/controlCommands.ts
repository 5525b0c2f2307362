// Pause, Resume, Clear (with confirmation).
import { shorten } from '../../engine/text';
import * as vscode from 'vscode';
import type { GoalpostApp } from '../app';
import { statusName } from '../statusName';
import { requireTrust } from '../trust';
import { pickFolder } from './pickFolder';
import { reportError } from './reportError';
import { commandRegistrar } from './registerCommand';

async function pause(app: GoalpostApp, folder: unknown): Promise<unknown> {
  const fg = await pickFolder(app, folder, { withGoal: true });
  if (!fg?.goal) return undefined;
  if (fg.goal.status !== 'pursuing') {
    await app.ui.info(vscode.l10n.t('Goalpost: the goal is {0}; there is nothing to pause.', statusName(fg.goal.status)));
    return fg.goal;
  }
  return fg.controller.pause();
}

async function resume(app: GoalpostApp, folder: unknown): Promise<unknown> {
  if (!(await requireTrust(app.ui))) return undefined;
  const fg = await pickFolder(app, folder, { withGoal: true });
  const goal = fg?.goal;
  if (!fg || !goal) return undefined;
  if (goal.status === 'cleared' || (goal.status === 'achieved' && !goal.backlog.some((t) => t.status === 'todo'))) {
    await app.ui.info(vscode.l10n.t('Goalpost: the goal is {0} and has no work left; set a new goal instead.', statusName(goal.status)));
    return goal;
  }
  if (fg.controller.isRunning) return goal;
  // Answers once the state has left `paused` (or went budget-limited), not when the goal ends: the run goes on.
  const { finished } = await fg.controller.beginResume();
  void finished.then((g) => {
    if (g.status === 'budget-limited') {
      void app.ui.warn(vscode.l10n.t('Goalpost: the token budget is used up. Raise the budget to continue.'), vscode.l10n.t('Raise Budget')).then((c) => {
        if (c) void vscode.commands.executeCommand('goalpost.raiseBudget', fg.root);
      });
    }
  }).catch((e: unknown) => reportError(app, 'goalpost.resume', e));
  return fg.goal;
}

async function clear(app: GoalpostApp, folder: unknown, confirmed: unknown): Promise<unknown> {
  const fg = await pickFolder(app, folder, { withGoal: true });
  const goal = fg?.goal;
  if (!fg || !goal) return undefined;
  const ok = confirmed === true || await app.ui.confirm(
    vscode.l10n.t('Clear the goal “{0}”? It stops and moves to the goal history; its commits and BACKLOG.md stay.', shorten(goal.spec.objective, 80)),
    vscode.l10n.t('Clear Goal'),
  );
  if (!ok) return undefined;
  const cleared = await fg.controller.clear();
  app.goalChanged(fg, null);
  return cleared;
}

export function registerControlCommands(app: GoalpostApp): void {
  const reg = commandRegistrar(app);
  reg('goalpost.pause', (f) => pause(app, f));
  reg('goalpost.resume', (f) => resume(app, f));
  reg('goalpost.clear', (f, c) => clear(app, f, c));
}
