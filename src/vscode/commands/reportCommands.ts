// `goalpost.openReport (folder?, goalId?)`: the goal's report (F13) — the same Markdown page as
// `goalpost report` — in an untitled editor with the Markdown preview beside it. Returns the page.
import * as vscode from 'vscode';
import { pickGoal, renderGoalReport } from '../../adapters/goalReport';
import type { Goal } from '../../engine/goal';
import type { GoalpostApp } from '../app';
import { pickFolder } from './pickFolder';
import { commandRegistrar } from './registerCommand';

async function openReport(app: GoalpostApp, folder: unknown, goalId: unknown): Promise<string | undefined> {
  const fg = await pickFolder(app, folder);
  if (!fg) return undefined;
  const history = await fg.controller.deps.store.history().catch(() => [] as Goal[]);
  const goal = pickGoal(fg.goal, history, typeof goalId === 'string' && goalId !== '' ? goalId : undefined);
  if (!goal) {
    await app.ui.info(vscode.l10n.t('Goalpost: there is no goal in {0} to report on yet.', fg.folder.name));
    return undefined;
  }
  const page = await renderGoalReport(goal, fg.statusLogPath(), 'md');
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: page });
  await vscode.window.showTextDocument(doc, { preview: false });
  // The preview renders it; a host without the Markdown extension still has the text open.
  await Promise.resolve(vscode.commands.executeCommand('markdown.showPreviewToSide', doc.uri)).catch(() => undefined);
  return page;
}

export function registerReportCommands(app: GoalpostApp): void {
  const reg = commandRegistrar(app);
  reg('goalpost.openReport', (f, id) => openReport(app, f, id));
}
