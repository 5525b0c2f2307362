// Show Panel, Set API Key, Open Backlog, Open Log, Review Agent Commits (the entry point).
import * as vscode from 'vscode';
import { simpleGit } from 'simple-git';
import type { GoalpostApp } from '../app';
import { pickFolder } from './pickFolder';
import { reportError } from './reportError';

async function setApiKey(app: GoalpostApp, value: unknown): Promise<unknown> {
  const key = typeof value === 'string' ? value : await vscode.window.showInputBox({
    title: 'Goalpost: OpenAI API key',
    prompt: 'Stored in VS Code\'s secret storage, never in settings, logs, state or commits. For a local server (Ollama, LM Studio, vLLM) set goalpost.baseUrl instead: it needs no key.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length < 8 ? 'That does not look like an API key.' : null),
  });
  if (key === undefined) return undefined;
  if (key.trim() === '') {
    await app.keys.delete();
    await app.ui.info('Goalpost: API key removed.');
    return false;
  }
  await app.keys.set(key);
  await app.ui.info('Goalpost: API key saved in secret storage.');
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
    await app.ui.info(`Goalpost: ${which === 'backlog' ? 'BACKLOG.md' : 'goal_status.log'} does not exist yet in ${fg.folder.name}; it appears once a goal runs.`);
    return undefined;
  }
}

/** The agent's commits (by their trailers), newest first; the full review UI builds on this list. */
async function reviewCommits(app: GoalpostApp, folder: unknown): Promise<unknown> {
  const fg = await pickFolder(app, folder);
  if (!fg) return undefined;
  const git = simpleGit(fg.root);
  const log = await git.raw(['log', '--all', '--grep=^Goalpost-Task: ', '--format=%H%x1f%s%x1f%cr%x1f%(trailers:key=Goalpost-Task,valueonly,separator=)%x1e']).catch(() => '');
  const commits = log.split('\x1e').map((r) => r.trim()).filter(Boolean).map((r) => {
    const [sha, subject, when, task] = r.split('\x1f');
    return { sha, subject, when, task: task.trim() };
  });
  if (commits.length === 0) {
    await app.ui.info(`Goalpost: no agent commits in ${fg.folder.name} yet.`);
    return [];
  }
  const picked = await vscode.window.showQuickPick(
    commits.map((c) => ({ label: c.subject, description: `${c.task} · ${c.sha.slice(0, 8)}`, detail: c.when, sha: c.sha })),
    { title: 'Goalpost: agent commits (newest first)', matchOnDescription: true },
  );
  if (!picked) return commits;
  const show = await git.show(['--stat', '--patch', picked.sha]);
  const doc = await vscode.workspace.openTextDocument({ language: 'diff', content: show });
  await vscode.window.showTextDocument(doc, { preview: true });
  return commits;
}

export function registerWorkspaceCommands(app: GoalpostApp): void {
  const reg = (id: string, fn: (...args: unknown[]) => Promise<unknown>): void => {
    app.register(vscode.commands.registerCommand(id, (...args: unknown[]) => fn(...args).catch((e: unknown) => reportError(app, id, e))));
  };
  reg('goalpost.showPanel', async () => vscode.commands.executeCommand('goalpost.panel.focus'));
  reg('goalpost.setApiKey', (v) => setApiKey(app, v));
  reg('goalpost.openBacklog', (f) => openFileOf(app, f, 'backlog'));
  reg('goalpost.openLog', (f) => openFileOf(app, f, 'log'));
  reg('goalpost.reviewCommits', (f) => reviewCommits(app, f));
}

