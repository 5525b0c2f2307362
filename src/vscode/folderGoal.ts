// One workspace folder's goal: its ports wired once by adapters/goalParts.ts (the editor's model, the
// Goalpost terminal and the editor store handed in) and its GoalController. Multi-root: one of these per
// folder, each can run concurrently.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NodeCommandRunner } from '../adapters/commandRunner';
import { wireGoal } from '../adapters/goalParts';
import type { GitRepo } from '../adapters/gitRepo';
import { systemClock } from '../adapters/systemClock';
import type { PromptLibrary } from '../engine/prompts';
import type { Goal } from '../engine/goal';
import { GoalController } from '../engine/loop/controller';
import type { EngineObserver } from '../engine/loop/deps';
import { readSettings } from './config';
import { EditorGoalStore } from './goalStore';
import { EditorModel } from './lazyModel';
import type { ApiKeyStore } from './secrets';
import type { GoalpostTerminal } from './terminal';
import { DemoModel } from '../adapters/demo/demoModel';
import { demoObserver, DemoStatusLog } from '../adapters/demo/labelledLog';
import { DEMO_SPEC, DEMO_TOKEN_BUDGET, demoGoalId, demoSettings, isDemoGoal } from '../engine/demo';
import type { Model } from '../engine/ports';

/** How long each of the demo model's answers takes in the editor: slow enough to follow the live view. */
export const DEMO_STEP_DELAY_MS = 900;

/** What every folder shares: the extension's services. */
export interface FolderServices {
  memento: vscode.Memento;
  keys: ApiKeyStore;
  terminal: GoalpostTerminal;
  prompts: PromptLibrary;
  log: vscode.LogOutputChannel;
  observer: (folder: FolderGoal) => EngineObserver;
}

export class FolderGoal {
  readonly controller: GoalController;
  readonly root: string;
  /** The folder's one git client: the engine's Git, and the review's and Set Goal's UserGit. */
  readonly git: GitRepo;
  /** The reason last warned about by sandboxWarning. */
  private sandboxWarned: string | null = null;
  private readonly runner: NodeCommandRunner;
  /** True while a demo goal is being created (before the goal record that says so exists). */
  private demoStarting = false;
  /** Every API key read from SecretStorage (see the constructor): what must never be shown or passed on. */
  private knownSecrets: readonly string[] = [];

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    services: FolderServices,
  ) {
    this.root = folder.uri.fsPath;
    // Every key read from SecretStorage is kept as a secret: each model request reads the key (so one set
    // or changed later is known before the commands and transcript entries of that request), and so does
    // this start. A replaced key stays redacted; it may still be valid.
    const keys = {
      get: async (): Promise<string | undefined> => {
        const key = await services.keys.get();
        if (key && !this.knownSecrets.includes(key)) this.knownSecrets = [...this.knownSecrets, key];
        return key;
      },
    };
    void keys.get().then(undefined, (e: unknown) => services.log.warn(`Could not read the API key: ${e instanceof Error ? e.message : String(e)}`));
    // A demo goal (F11) swaps in the scripted model, the DEMO-labelled log and the demo settings; the
    // choice follows the goal record, so an interrupted demo resumes as a demo after a restart.
    const isDemo = (): boolean => this.demoStarting || isDemoGoal(this.controller?.goal);
    const editorModel = new EditorModel(keys, folder.uri, (m) => services.log.warn(m));
    const scripted = new DemoModel({ stepDelayMs: DEMO_STEP_DELAY_MS, sleep: systemClock.sleep });
    const model: Model = { complete: (request, signal, stream) => (isDemo() ? scripted : editorModel).complete(request, signal, stream) };
    const observer = services.observer(this);
    const labelled = demoObserver(observer);
    // Settings are read live (config.ts caches them until a goalpost.* setting changes): the sandbox and
    // the status log's path apply to the next command and event, as the engine's other settings do.
    const { deps, runner, git } = wireGoal({
      root: this.root,
      settings: () => (isDemo() ? demoSettings(readSettings(folder.uri)) : readSettings(folder.uri)),
      env: process.env,
      secrets: () => this.knownSecrets,
      model,
      prompts: services.prompts,
      store: new EditorGoalStore(services.memento, this.root),
      commands: (inner) => services.terminal.wrap(inner),
      statusLog: (plain) => {
        const demoLog = new DemoStatusLog(plain);
        return { append: (event) => (isDemo() ? demoLog : plain).append(event) };
      },
      observer: {
        ...observer,
        status: (event) => (isDemo() ? labelled : observer)?.status?.(event),
      },
    });
    this.runner = runner;
    this.git = git;
    // Commands a crashed extension host left running in this folder end now (see runningGroups.ts).
    void this.runner.reapLeftovers();
    this.controller = new GoalController(deps);
  }

  get goal(): Goal | null {
    return this.controller.goal;
  }

  /** True when the folder's goal is the offline demo's. */
  get isDemo(): boolean {
    return isDemoGoal(this.controller.goal);
  }

  /** Starts the offline demo's goal here (the folder was made ready by prepareDemoFolder). */
  async startDemo(): Promise<Goal> {
    this.demoStarting = true;
    try {
      return await this.controller.start({ spec: DEMO_SPEC, tokenBudget: DEMO_TOKEN_BUDGET, id: demoGoalId(new Date()), dirtyTree: 'refuse' });
    } finally {
      this.demoStarting = false;
    }
  }

  /**
   * A warning when commands will run without the sandbox, once per reason: turning goalpost.sandbox off
   * after the sandbox was missing (or the reverse) is said again.
   */
  sandboxWarning(): string | null {
    const status = this.runner.sandboxStatus();
    if (status.active || this.sandboxWarned === status.reason) return null;
    this.sandboxWarned = status.reason;
    // The reason is the command runner's (English, like the log).
    return vscode.l10n.t('Goalpost: commands run without a sandbox ({0}).', status.reason);
  }

  /** The values redacted from everything this folder's goal writes or shows (every API key read). */
  secrets(): readonly string[] {
    return this.knownSecrets;
  }

  statusLogPath(): string {
    return path.join(this.root, readSettings(this.folder.uri).statusLogPath);
  }

  backlogPath(): string {
    return path.join(this.root, readSettings(this.folder.uri).backlogPath);
  }
}
