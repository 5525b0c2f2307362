// Activation: light (no work until a command, the view or a stored goal needs it). Wires the app's
// services, registers every command, the panel and the status bar, asks about interrupted goals, and
// returns the API of PRODUCT.md F8.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { parseInlineObjective } from '../engine/goalFile';
import type { GoalpostApi, SetGoalOptions } from './api';
import { GoalpostApp } from './app';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerControlCommands } from './commands/controlCommands';
import { registerGoalCommands } from './commands/goalCommands';
import { startGoal } from './commands/startGoal';
import { registerWorkspaceCommands } from './commands/workspaceCommands';
import { registerReportCommands } from './commands/reportCommands';
import { commitReview } from './review/commitReview';
import { GoalPanel } from './panel';
import { EngineError } from '../engine/errors';
import { setSettingsReporter, watchSettings } from './config';
import { showPanelInSample, startPendingDemo } from './commands/demoCommand';
import { syncModelContext } from './setup';

let app: GoalpostApp | null = null;

function folderOrFirst(folder?: string): string | undefined {
  return folder ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function buildApi(a: GoalpostApp): GoalpostApi {
  const fgFor = async (folder?: string) => {
    const path = folderOrFirst(folder);
    const match = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.fsPath === path);
    if (!match) throw new EngineError('bad-input', `Goalpost: ${path ?? '(no folder)'} is not a workspace folder.`);
    return a.folderGoal(match);
  };
  return {
    async setGoal(options: SetGoalOptions) {
      if (!vscode.workspace.isTrusted) throw new EngineError('bad-input', 'Goalpost only runs in a trusted workspace.');
      const fg = await fgFor(options.folder);
      const goal = await startGoal(a, fg, parseInlineObjective(options.objective), {
        budget: options.budget, dirtyTree: options.dirtyTree ?? 'refuse', goalId: options.goalId, startAnyway: true, noUi: true,
      });
      if (!goal) throw new EngineError('bad-input', 'The goal was not started.');
      return goal;
    },
    async pause(folder) {
      const fg = await fgFor(folder);
      return fg.goal ? fg.controller.pause() : null;
    },
    async resume(folder) {
      const fg = await fgFor(folder);
      if (!fg.goal) return null;
      void fg.controller.resume();
      await new Promise((r) => setTimeout(r, 0));
      return fg.goal;
    },
    async clear(folder) {
      const fg = await fgFor(folder);
      if (!fg.goal) return null;
      const goal = await fg.controller.clear();
      a.goalChanged(fg, null);
      return goal;
    },
    getGoal(folder) {
      const path = folderOrFirst(folder);
      return a.loadedFolders().find((fg) => fg.root === path)?.goal ?? null;
    },
    onDidChangeGoal: a.onDidChangeGoal,
    async whenIdle(folder) {
      const fg = await fgFor(folder);
      while (fg.controller.isRunning) await fg.controller.run().catch(() => undefined);
      return fg.goal;
    },
  };
}

/** The API plus automation hooks (used by the integration tests; safe for other extensions to read). */
export interface GoalpostExports extends GoalpostApi {
  /** Messages shown and pre-set answers to prompts. */
  ui: GoalpostApp['ui'];
  /** What the Goalpost terminal showed. */
  terminalHistory(): string;
  /** Every workspaceState entry the extension wrote (to prove no secret is stored there). */
  workspaceStateDump(): Record<string, unknown>;
  /** How long activate() took, in milliseconds (activation must stay light). */
  activationMs: number;
  /** The status-bar item's text. */
  statusBarText(): string;
  /** Each goal_status.log line as the panel's activity receives it. */
  onDidLogStatus: GoalpostApp['onDidLogStatus'];
}

export async function activate(context: vscode.ExtensionContext): Promise<GoalpostExports> {
  const started = Date.now();
  // Code here uses vscode.l10n.t; the pure modules (notifications.ts, unit-tested without VS Code) use
  // @vscode/l10n, which gets the same bundle. No bundle in English: both return the source strings.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const a = new GoalpostApp(context);
  app = a;
  context.subscriptions.push(a);
  registerGoalCommands(a);
  registerControlCommands(a);
  registerWorkspaceCommands(a);
  registerReportCommands(a);
  registerConnectionCommands(a);
  // The commit review's content provider, comment threads and its commands (F7).
  commitReview(a);
  const panel = a.register(new GoalPanel(a));
  a.register(vscode.window.registerWebviewViewProvider(GoalPanel.viewId, panel, { webviewOptions: { retainContextWhenHidden: false } }));
  a.register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
    void a.restoreGoals();
    void startPendingDemo(a).catch((e: unknown) => a.log.error(`demo: ${e instanceof Error ? e.message : String(e)}`));
  }));
  setSettingsReporter((m) => void a.ui.warn(m));
  a.register(watchSettings());
  const activationMs = Date.now() - started;
  a.log.info(`activated in ${activationMs} ms`);
  // Not awaited: activation stays light; interrupted goals are looked at right after.
  void a.restoreGoals().catch((e: unknown) => a.log.error(`restoring goals: ${e instanceof Error ? e.message : String(e)}`));
  // A sample opened by "Try the Offline Demo" starts its demo here; the walkthrough's step follows the key.
  void startPendingDemo(a).catch((e: unknown) => a.log.error(`demo: ${e instanceof Error ? e.message : String(e)}`));
  void showPanelInSample().catch(() => undefined);
  void syncModelContext(a).catch(() => undefined);
  a.register(context.secrets.onDidChange(() => void syncModelContext(a).catch(() => undefined)));
  a.register(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('goalpost.baseUrl')) void syncModelContext(a).catch(() => undefined);
  }));
  return {
    ...buildApi(a),
    ui: a.ui,
    terminalHistory: () => a.terminal.history,
    activationMs,
    statusBarText: () => a.statusBar.text,
    onDidLogStatus: a.onDidLogStatus,
    workspaceStateDump: () => Object.fromEntries(context.workspaceState.keys().map((k) => [k, context.workspaceState.get(k)])),
  };
}

export async function deactivate(): Promise<void> {
  // Stop running loops without changing their state: a goal that was pursuing stays `pursuing` on
  // disk, so the next window shows it as interrupted and asks "Resume goal?" (as after a crash).
  if (!app) return;
  await Promise.all(app.loadedFolders().map((fg) => fg.controller.detach().catch(() => undefined)));
}
