// The one composition root of a goal: every port the engine needs for one folder, built the same way for
// the CLI (cli/wiring.ts) and the editor (vscode/folderGoal.ts). The host hands in only what differs (the
// model, the store, the editor's terminal around the command runner, a label on the status log, where the
// secrets come from) and a settings source that is read again for every request, command and status
// event, so a change of the sandbox or of the status log's path applies to the next one without a restart.
import * as path from 'node:path';
import type { EngineDeps, EngineObserver } from '../engine/loop/deps';
import type { CommandRunner, GoalStore, Model, StatusLog } from '../engine/ports';
import type { PromptLibrary } from '../engine/prompts';
import type { EngineSettings } from '../engine/settings';
import { statePath } from '../engine/stateFiles';
import { NodeCommandRunner } from './commandRunner';
import { FileGoalStore } from './fileGoalStore';
import { LiveStatusLog } from './fileStatusLog';
import { GitRepo } from './gitRepo';
import { NodeWorkspace } from './nodeWorkspace';
import { PerGoalTranscript } from './perGoalTranscript';
import { systemClock } from './systemClock';

/** What a host (the CLI, the editor) supplies for one folder's goal. */
export interface GoalHost {
  /** Absolute path of the goal's folder. */
  root: string;
  /** The settings now: read before every request, command and status event. */
  settings(): EngineSettings;
  model: Model;
  prompts: PromptLibrary;
  /** Values that must never reach a command, git or a transcript (the API key); asked each time. */
  secrets(): readonly string[];
  /** Base environment of commands and git, stripped of secrets either way. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default: the file store in `<root>/.goalpost/`. */
  store?: GoalStore;
  /** Wraps the command runner (the editor shows every command in its Goalpost terminal). */
  commands?(runner: CommandRunner): CommandRunner;
  /** Wraps goal_status.log (the demo labels its lines). */
  statusLog?(log: StatusLog): StatusLog;
  observer?: EngineObserver;
  crashPoint?: EngineDeps['crashPoint'];
}

/** The wired ports, and the runner under any wrapper (its sandbox status, its leftovers of a killed run). */
export interface GoalParts {
  deps: EngineDeps;
  runner: NodeCommandRunner;
  /** The folder's one git client (the engine's Git, and the editor's UserGit for review, revert and stash). */
  git: GitRepo;
}

/** Every port the engine needs for `host.root`; nothing runs until the engine asks. */
export function wireGoal(host: GoalHost): GoalParts {
  const { root, settings, secrets } = host;
  const env = host.env ?? process.env;
  const runner = new NodeCommandRunner({
    root,
    logDir: path.join(root, statePath('logs')),
    env,
    extraSecrets: secrets,
    liveSettings: settings,
  });
  const git = new GitRepo(root, { env, extraSecrets: secrets });
  // Starting a goal keeps its status log out of git; a path set later (mid-goal, or before a resume) is
  // kept out the same way before its first line, so the log never lands in the agent's commits.
  const plainLog: StatusLog = new LiveStatusLog(
    () => path.join(root, settings().statusLogPath),
    async (file) => {
      const rel = path.relative(root, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return; // outside the folder: not git's business here
      await git.ensureExcluded([rel.split(path.sep).join('/')]);
    },
  );
  const deps: EngineDeps = {
    model: host.model,
    workspace: new NodeWorkspace(root),
    commands: host.commands ? host.commands(runner) : runner,
    git,
    store: host.store ?? new FileGoalStore(root),
    statusLog: host.statusLog ? host.statusLog(plainLog) : plainLog,
    transcript: new PerGoalTranscript(path.join(root, statePath('transcripts')), secrets),
    clock: systemClock,
    prompts: host.prompts,
    settings,
    observer: host.observer,
    crashPoint: host.crashPoint,
  };
  return { deps, runner, git };
}

