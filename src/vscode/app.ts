// The extension's services in one place: folders and their goals, the terminal, the key store, the
// status bar, notifications, and the change event the panel and the API listen to.
import { shorten } from '../engine/text';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadPromptLibrary } from '../adapters/promptFiles';
import type { Goal } from '../engine/goal';
import type { PromptLibrary } from '../engine/prompts';
import { formatStatusLine } from '../engine/statusLine';
import { statePath } from '../engine/stateFiles';
import type { GoalChange } from './api';
import { DisposableStore } from './disposable';
import { FolderGoal } from './folderGoal';
import { notifyStatusChange } from './notifications';
import { ApiKeyStore } from './secrets';
import { GoalStatusBar } from './statusBar';
import { GoalpostTerminal } from './terminal';
import { Ui } from './ui';
import { readSettings } from './config';
import { OutputLog } from './outputLog';
import { LiveSteps } from './liveSteps';
import { OncePerKey } from './oncePerKey';
import { contextKeys } from './contextKeys';
import type { LiveView } from '../protocol';

/** One goal_status.log line of a folder, as written. */
export interface StatusLineEvent {
  folder: string;
  line: string;
}

export class GoalpostApp extends DisposableStore {
  readonly ui = new Ui();
  readonly keys: ApiKeyStore;
  readonly log: vscode.LogOutputChannel;
  readonly terminal: GoalpostTerminal;
  readonly statusBar: GoalStatusBar;
  private readonly changes: vscode.EventEmitter<GoalChange>;
  private readonly statusLines: vscode.EventEmitter<StatusLineEvent>;
  private readonly liveChanges: vscode.EventEmitter<LiveView>;
  private readonly live: LiveSteps;
  private readonly folders = new Map<string, FolderGoal>();
  private readonly folderGoals = new OncePerKey<FolderGoal>();
  private readonly lastStatus = new Map<string, Goal['status'] | undefined>();
  private prompts: PromptLibrary | null = null;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    this.keys = new ApiKeyStore(context.secrets);
    this.log = this.register(vscode.window.createOutputChannel('Goalpost', { log: true }));
    this.ui.onShown = (m, answered) => {
      if (!answered) this.log.info(`${m.level}: ${m.text}${m.actions.length > 0 ? ` [${m.actions.join(' | ')}]` : ''}`);
      else if (m.actions.length > 0) this.log.info(`answer: ${m.answer ?? '(dismissed)'} ← ${m.text.slice(0, 80)}`);
    };
    this.terminal = this.register(new GoalpostTerminal());
    this.statusBar = this.register(new GoalStatusBar());
    this.changes = this.register(new vscode.EventEmitter<GoalChange>());
    this.statusLines = this.register(new vscode.EventEmitter<StatusLineEvent>());
    this.liveChanges = this.register(new vscode.EventEmitter<LiveView>());
    this.live = this.register(new LiveSteps((view) => this.liveChanges.fire(view)));
  }

  /** The current step of a folder's running goal changed (F13's live view). */
  get onDidChangeLive(): vscode.Event<LiveView> {
    return this.liveChanges.event;
  }

  /** The live view of every folder that has run a step. */
  liveSteps(): LiveView[] {
    return this.live.all();
  }

  /** Each goal_status.log line as it is written (the panel sends these as deltas). */
  get onDidLogStatus(): vscode.Event<StatusLineEvent> {
    return this.statusLines.event;
  }

  /** Ended goals of every loaded folder, newest first. */
  async history(): Promise<Goal[]> {
    const all = await Promise.all(this.loadedFolders().map((fg) => fg.controller.deps.store.history().catch(() => [] as Goal[])));
    return all.flat().sort((a, b) => (b.endedAt ?? b.updatedAt).localeCompare(a.endedAt ?? a.updatedAt));
  }

  get onDidChangeGoal(): vscode.Event<GoalChange> {
    return this.changes.event;
  }

  async promptLibrary(): Promise<PromptLibrary> {
    if (!this.prompts) this.prompts = await loadPromptLibrary(path.join(this.context.extensionPath, 'prompts'));
    return this.prompts;
  }

  /** The folder's goal holder, created on first use. */
  folderGoal(folder: vscode.WorkspaceFolder): Promise<FolderGoal> {
    const key = folder.uri.toString();
    // The pending promise is kept, so concurrent first calls share one FolderGoal (one controller, one runner).
    return this.folderGoals.get(key, () => this.newFolderGoal(folder, key));
  }

  private async newFolderGoal(folder: vscode.WorkspaceFolder, key: string): Promise<FolderGoal> {
    const prompts = await this.promptLibrary();
    // Every key the folder's goal has read, so a key set later is redacted too.
    const output = new OutputLog(this.log, () => readSettings(folder.uri).logLevel, () => this.folders.get(key)?.secrets() ?? []);
    const fg = new FolderGoal(folder, {
      memento: this.context.workspaceState,
      keys: this.keys,
      terminal: this.terminal,
      prompts,
      log: this.log,
      observer: (owner) => ({
        goalChanged: (goal) => this.goalChanged(owner, goal),
        step: (event) => {
          this.live.apply(owner.root, event);
          // The loop ended (after its last save): Pause is no longer offered, Resume may be.
          if (event.kind === 'idle') this.refreshContexts();
        },
        status: (e) => {
          output.status(owner.folder.name, e.phase, e.message);
          this.statusLines.fire({ folder: owner.root, line: formatStatusLine(e) });
        },
        modelResponse: (t) => output.model(owner.folder.name, t),
        toolCall: (t) => output.tool(owner.folder.name, t),
        // The warning's text comes from the engine (English, like the log); the buttons are the editor's.
        warning: (m) => {
          const raise = vscode.l10n.t('Raise Budget');
          const open = vscode.l10n.t('Open Panel');
          void this.ui.warn(m, raise, open).then((c) => {
            if (c === raise) void vscode.commands.executeCommand('goalpost.raiseBudget');
            else if (c === open) void vscode.commands.executeCommand('goalpost.showPanel');
          });
        },
      }),
    });
    this.folders.set(key, fg);
    await fg.controller.load().catch((e: unknown) => this.log.error(`[${folder.name}] ${e instanceof Error ? e.message : String(e)}`));
    this.lastStatus.set(key, fg.goal?.status);
    return fg;
  }

  /** Folders whose goal is loaded. */
  loadedFolders(): FolderGoal[] {
    return [...this.folders.values()];
  }

  /** The goal to show in the status bar: a pursuing one first, else the active editor's folder's. */
  private refreshStatusBar(): void {
    const goals = this.loadedFolders().map((f) => f.goal).filter((g): g is Goal => g !== null);
    this.statusBar.show(goals.find((g) => g.status === 'pursuing') ?? goals[0] ?? null);
    this.refreshContexts();
  }

  /** The `when` clauses of Pause, Resume and Revert Commit: offered in the palette only when they apply. */
  refreshContexts(): void {
    const folders = this.loadedFolders();
    const keys = contextKeys(folders.map((f) => ({ goal: f.goal, running: f.controller.isRunning })));
    for (const [key, value] of Object.entries(keys)) void vscode.commands.executeCommand('setContext', key, value);
  }

  goalChanged(owner: FolderGoal, goal: Goal | null): void {
    const key = owner.folder.uri.toString();
    const previous = this.lastStatus.get(key);
    this.lastStatus.set(key, goal?.status);
    this.refreshStatusBar();
    this.changes.fire({ folder: owner.root, goal });
    if (goal) {
      void notifyStatusChange(this.ui, previous, goal).then((command) => {
        if (command) void vscode.commands.executeCommand(command, owner.root);
      });
    }
  }

  /** Folders that have a stored goal (a `.goalpost/goal.json` or a workspaceState record). */
  private foldersWithGoals(): readonly vscode.WorkspaceFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) =>
      fs.existsSync(path.join(f.uri.fsPath, statePath('goal'))) || this.context.workspaceState.get(`goalpost.goal:${f.uri.fsPath}`) !== undefined);
  }

  /**
   * After a restart or crash: a goal that was pursuing is interrupted. Ask "Resume goal?" — resume
   * without asking only when goalpost.autoResume is on.
   */
  async restoreGoals(): Promise<void> {
    for (const folder of this.foldersWithGoals()) {
      const fg = await this.folderGoal(folder);
      const goal = fg.goal;
      this.goalChanged(fg, goal);
      if (!goal || goal.status !== 'pursuing' || fg.controller.isRunning) continue;
      if (!vscode.workspace.isTrusted) continue;
      if (readSettings(folder.uri).autoResume) {
        this.log.info(`[${folder.name}] resuming interrupted goal ${goal.id} (goalpost.autoResume)`);
        void fg.controller.run();
        continue;
      }
      await this.log.info(`[${folder.name}] goal ${goal.id} was interrupted`);
      const resume = vscode.l10n.t('Resume');
      const pause = vscode.l10n.t('Pause');
      const choice = await this.ui.info(
        vscode.l10n.t('Goalpost: the goal “{0}” was interrupted (VS Code closed or reloaded while it was pursuing). Resume goal?', shorten(goal.spec.objective, 80)),
        resume, pause,
      );
      if (choice === resume) void fg.controller.run();
      // The reason is goal data (and the log's): it stays English.
      else if (choice === pause) await fg.controller.pause('Interrupted: VS Code closed while the goal was pursuing.');
    }
  }
}
