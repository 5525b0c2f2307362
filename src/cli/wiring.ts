// Wires the Node adapters into the engine's ports for one folder: the CLI's composition root.
import * as path from 'node:path';
import { FileGoalStore } from '../adapters/fileGoalStore';
import { FileStatusLog } from '../adapters/fileStatusLog';
import { PerGoalTranscript } from '../adapters/perGoalTranscript';
import { GitRepo } from '../adapters/gitRepo';
import { NodeCommandRunner } from '../adapters/commandRunner';
import type { SandboxStatus } from '../adapters/sandbox';
import { NodeWorkspace } from '../adapters/nodeWorkspace';
import { OpenAIModel } from '../adapters/openaiModel';
import { loadPromptLibrary } from '../adapters/promptFiles';
import type { EngineDeps, EngineObserver } from '../engine/loop/deps';
import type { Model } from '../engine/ports';
import { STATE_DIR } from '../engine/loop/toolCapabilities';
import { EngineSettings } from '../engine/settings';
import { systemClock } from '../adapters/systemClock';
import type { RunFlags } from './flags';
import { readFolderSettings } from './folderSettings';
import { crashHookFromEnv } from './crashHook';

/** What buildDeps needs besides the folder. */
export interface WiringInput {
  /** Absolute path of the goal's folder. */
  root: string;
  settings: EngineSettings;
  env: Record<string, string | undefined>;
  /** --base-url; otherwise OPENAI_BASE_URL, otherwise OpenAI (the model adapter decides). */
  baseUrl?: string;
  observer?: EngineObserver;
  /** Told before each model retry (a human-readable line). */
  onRetry?(message: string): void;
  /** A model to use instead of the OpenAI-compatible client (the offline demo's scripted model). */
  model?: Model;
}

/**
 * EngineSettings from the run flags over the folder's settings file over the defaults (both were
 * validated already).
 */
export function settingsFromFlags(flags: RunFlags, folder: Partial<EngineSettings> = {}): EngineSettings {
  const raw: Record<string, unknown> = { ...folder };
  const set = (key: keyof EngineSettings, value: unknown): void => {
    if (value !== undefined) raw[key] = value;
  };
  set('model', flags.model);
  set('planModel', flags.planModel);
  set('reviewModel', flags.reviewModel);
  set('maxIterations', flags.maxIterations);
  set('iterationDelayMs', flags.iterationDelayMs);
  set('maxStepsPerIteration', flags.maxSteps);
  set('maxAttemptsPerTask', flags.maxAttempts);
  set('reviewFrequency', flags.reviewFrequency);
  set('sandbox', flags.sandbox);
  set('commandTimeoutSeconds', flags.commandTimeout);
  set('logLevel', flags.logLevel);
  set('reviewEveryNTasks', flags.reviewEvery);
  set('noProgressIterations', flags.maxStalledIterations);
  set('maxWallClockMinutes', flags.maxWallClock);
  set('sandboxNetwork', flags.sandboxNetwork);
  set('backlogPath', flags.backlogPath);
  set('statusLogPath', flags.statusLogPath);
  if (flags.deny.length > 0) raw.commandDenyList = flags.deny;
  if (flags.allow.length > 0) raw.commandAllowList = flags.allow;
  set('provider', flags.provider);
  set('apiVersion', flags.apiVersion);
  set('requestIdleTimeoutSeconds', flags.requestIdleTimeout);
  set('contextWindowTokens', flags.contextWindow);
  if (flags.validate.length > 0) raw.validationCommands = flags.validate;
  if (flags.protect.length > 0) raw.protectedPaths = flags.protect;
  if (flags.currentBranch) raw.branchMode = 'current';
  return EngineSettings.parse(raw);
}

/** The wired ports, plus what the user should be told once about command confinement. */
export interface WiredDeps {
  deps: EngineDeps;
  sandbox: SandboxStatus;
}

/** Every port the engine needs, for `input.root`. */
export async function buildDeps(input: WiringInput): Promise<WiredDeps> {
  const { root, settings, env } = input;
  const stateDir = path.join(root, STATE_DIR);
  const secrets = (): readonly string[] => [env.OPENAI_API_KEY ?? ''].filter((s) => s.trim() !== '');
  const commands = new NodeCommandRunner({
    root,
    logDir: path.join(stateDir, 'logs'),
    env,
    extraSecrets: [...secrets()],
    sandbox: settings.sandbox,
    sandboxNetwork: settings.sandboxNetwork,
  });
  // Whatever commands of a killed earlier run left behind ends now, before anything else starts.
  await commands.reapLeftovers();
  const deps: EngineDeps = {
    model: input.model ?? new OpenAIModel({
      baseUrl: input.baseUrl,
      provider: settings.provider,
      apiVersion: settings.apiVersion,
      model: settings.model,
      idleTimeoutMs: settings.requestIdleTimeoutSeconds * 1000,
      env,
      onRetry: (info) => input.onRetry?.(`model request failed (${info.error.message}); retrying in ${(info.delayMs / 1000).toFixed(1)} s (try ${info.attempt + 1})`),
    }),
    workspace: new NodeWorkspace(root),
    commands,
    git: new GitRepo(root, { env: env as NodeJS.ProcessEnv, extraSecrets: secrets() }),
    store: new FileGoalStore(root),
    statusLog: new FileStatusLog(path.join(root, settings.statusLogPath)),
    transcript: new PerGoalTranscript(path.join(stateDir, 'transcripts'), secrets),
    clock: systemClock,
    prompts: await loadPromptLibrary(),
    settings: () => settings,
    observer: input.observer,
    crashPoint: crashHookFromEnv(env),
  };
  return { deps, sandbox: commands.sandboxStatus() };
}

/** Deps for commands that only change the stored goal (pause, clear): the folder's settings, no observer. */
export async function buildOfflineDeps(root: string, env: Record<string, string | undefined> = process.env): Promise<EngineDeps> {
  return (await buildDeps({ root, settings: EngineSettings.parse(readFolderSettings(root).engine), env })).deps;
}
