// Show Panel, Set API Key, Open Backlog, Open Log, Review Agent Commits (the entry point).
import * as vscode from 'vscode';
import type { GoalpostApp } from '../app';
import { commitReview } from '../review/commitReview';
import { pickFolder } from './pickFolder';
import { commandRegistrar } from './registerCommand';
import { startDemo } from './demoCommand';

async function setApiKey(app: GoalpostApp, value: unknown): Promise<unknown> {
  const key = typeof value === 'string' ? value : await vscode.window.showInputBox({
    title: vscode.l10n.t('Goalpost: OpenAI API key'),
    prompt: vscode.l10n.t('Stored in VS Code\'s secret storage, never in settings, logs, state or commits. For a local server (Ollama, LM Studio, vLLM) set goalpost.baseUrl instead: it needs no key.'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length < 8 ? vscode.l10n.t('That does not look like an API key.') : null),
  });
  if (key === undefined) return undefined;
  if (key.trim() === '') {
    await app.keys.delete();
    await app.ui.info(vscode.l10n.t('Goalpost: API key removed.'));
    return false;
  }
  await app.keys.set(key);
  await app.ui.info(vscode.l10n.t('Goalpost: API key saved in secret storage.'));
  return true;
}

async function openFileOf(app: GoalpostApp, folder: unknown, which: 'backlog' | 'log'): Promise<unknown> {
  const fg = await pickFolder(app, folder);
  if (!fg) return undefined;
  const file = which === 'backlog' ? fg.backlogPath() : fg.statusLogPath();
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc, { preview: false });
    return file;
  } catch {
    await app.ui.info(vscode.l10n.t('Goalpost: {0} does not exist yet in {1}; it appears once a goal runs.', which === 'backlog' ? 'BACKLOG.md' : 'goal_status.log', fg.folder.name));
    return undefined;
  }
}

/**
 * `goalpost.reviewCommits (folder?, sha?)`: the agent's commits to pick from, or the commit `sha` opened
 * directly (the panel's commit list); returns the listing or what the review showed.
 */
async function reviewCommits(app: GoalpostApp, folder: unknown, sha?: unknown): Promise<unknown> {
  return commitReview(app).reviewCommits(folder, sha);
}

export function registerWorkspaceCommands(app: GoalpostApp): void {
  const reg = commandRegistrar(app);
  reg('goalpost.showPanel', async () => vscode.commands.executeCommand('goalpost.panel.focus'));
  reg('goalpost.setApiKey', (v) => setApiKey(app, v));
  reg('goalpost.openBacklog', (f) => openFileOf(app, f, 'backlog'));
  reg('goalpost.openLog', (f) => openFileOf(app, f, 'log'));
  reg('goalpost.reviewCommits', (f, s) => reviewCommits(app, f, s));
  reg('goalpost.startDemo', () => startDemo(app));
  reg('goalpost.openModelSettings', async () => vscode.commands.executeCommand('workbench.action.openSettings', 'goalpost.baseUrl'));
}

