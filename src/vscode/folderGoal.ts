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
  private sandboxWarned = false;
  private readonly runner: NodeCommandRunner;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    services: FolderServices,
  ) {
    this.root = folder.uri.fsPath;
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
    const deps: EngineDeps = {
      model: new EditorModel(services.keys, (m) => services.log.warn(m)),
      workspace: new NodeWorkspace(this.root),
      commands: services.terminal.wrap(this.runner),
      git: new GitRepo(this.root),
      store: new EditorGoalStore(services.memento, this.root),
      statusLog: new FileStatusLog(path.join(this.root, settings.statusLogPath)),
      transcript: new PerGoalTranscript(path.join(this.root, STATE_DIR, 'transcripts'), () => knownSecrets),
      clock: systemClock,
      prompts: services.prompts,
      settings: () => readSettings(folder.uri),
      observer: services.observer(this),
    };
    this.controller = new GoalController(deps);
  }

  get goal(): Goal | null {
    return this.controller.goal;
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
