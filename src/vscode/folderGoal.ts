// One workspace folder's goal: its ports wired once (adapters + the Goalpost terminal + the editor
// store) and its GoalController. Multi-root: one of these per folder, each can run concurrently.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { NodeCommandRunner } from '../adapters/commandRunner';
import { FileStatusLog } from '../adapters/fileStatusLog';
import { PerGoalTranscript } from '../adapters/perGoalTranscript';
import { GitRepo } from '../adapters/gitRepo';
import { NodeWorkspace } from '../adapters/nodeWorkspace';
import { systemClock } from '../adapters/systemClock';
import type { PromptLibrary } from '../engine/prompts';
import type { Goal } from '../engine/goal';
import { GoalController } from '../engine/loop/controller';
import type { EngineDeps, EngineObserver } from '../engine/loop/deps';
import { STATE_DIR } from '../engine/loop/toolContext';
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
  private sandboxWarned = false;
  private readonly runner: NodeCommandRunner;
  /** True while a demo goal is being created (before the goal record that says so exists). */
  private demoStarting = false;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    services: FolderServices,
  ) {
    this.root = folder.uri.fsPath;
    this.git = new GitRepo(this.root);
    const settings = readSettings(folder.uri);
    const secrets = async (): Promise<string[]> => [(await services.keys.get()) ?? ''].filter((s) => s !== '');
    // Filled once the key is read; the runner and transcripts hold this same array.
    const knownSecrets: string[] = [];
    void secrets().then((s) => knownSecrets.push(...s));
    this.runner = new NodeCommandRunner({
      root: this.root,
      logDir: path.join(this.root, STATE_DIR, 'logs'),
      env: process.env,
      extraSecrets: knownSecrets,
      sandbox: settings.sandbox,
      sandboxNetwork: settings.sandboxNetwork,
    });
    // Commands a crashed extension host left running in this folder end now (see runningGroups.ts).
    void this.runner.reapLeftovers();
    // A demo goal (F11) swaps in the scripted model, the DEMO-labelled log and the demo settings; the
    // choice follows the goal record, so an interrupted demo resumes as a demo after a restart.
    const isDemo = (): boolean => this.demoStarting || isDemoGoal(this.controller?.goal);
    const editorModel = new EditorModel(services.keys, (m) => services.log.warn(m));
    const scripted = new DemoModel({ stepDelayMs: DEMO_STEP_DELAY_MS, sleep: systemClock.sleep });
    const model: Model = { complete: (request, signal, stream) => (isDemo() ? scripted : editorModel).complete(request, signal, stream) };
    const plainLog = new FileStatusLog(path.join(this.root, settings.statusLogPath));
    const demoLog = new DemoStatusLog(plainLog);
    const observer = services.observer(this);
    const labelled = demoObserver(observer);
    const deps: EngineDeps = {
      model,
      workspace: new NodeWorkspace(this.root),
      commands: services.terminal.wrap(this.runner),
      git: this.git,
      store: new EditorGoalStore(services.memento, this.root),
      statusLog: { append: (event) => (isDemo() ? demoLog : plainLog).append(event) },
      transcript: new PerGoalTranscript(path.join(this.root, STATE_DIR, 'transcripts'), () => knownSecrets),
      clock: systemClock,
      prompts: services.prompts,
      settings: () => (isDemo() ? demoSettings(readSettings(folder.uri)) : readSettings(folder.uri)),
      observer: {
        ...observer,
        status: (event) => (isDemo() ? labelled : observer)?.status?.(event),
      },
    };
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

  /** A one-time warning when commands will run without the sandbox. */
  sandboxWarning(): string | null {
    if (this.sandboxWarned) return null;
    const status = this.runner.sandboxStatus();
    if (status.active) return null;
    this.sandboxWarned = true;
    return `Goalpost: commands run without a sandbox (${status.reason}).`;
  }

  statusLogPath(): string {
    return path.join(this.root, readSettings(this.folder.uri).statusLogPath);
  }

  backlogPath(): string {
    return path.join(this.root, readSettings(this.folder.uri).backlogPath);
  }
}
