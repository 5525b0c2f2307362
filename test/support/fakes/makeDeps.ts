// Builds EngineDeps over the in-memory fakes, with the real prompts and real settings parsing, and hands
// the fakes back so a test can script them and assert on what the engine did with them.
import * as z from 'zod';
import { loadPromptLibrary } from '../../../src/adapters/promptFiles';
import type { Goal, TokenUsage } from '../../../src/engine/goal';
import type { EngineDeps, EngineObserver } from '../../../src/engine/loop/deps';
import type { ModelRequest, StatusEvent } from '../../../src/engine/ports';
import type { PromptLibrary } from '../../../src/engine/prompts';
import { EngineSettings } from '../../../src/engine/settings';
import { FakeGit, type FakeGitOptions } from './fakeGit';
import { FakeRunner } from './fakeRunner';
import { ManualClock } from './manualClock';
import { MemoryStatusLog } from './memoryStatusLog';
import { MemoryStore, type MemoryStoreOptions } from './memoryStore';
import { MemoryTranscript } from './memoryTranscript';
import { MemoryWorkspace } from './memoryWorkspace';
import { ScriptedModel } from './scriptedModel';

/** Settings overrides as a user would write them (defaults filled in by EngineSettings.parse). */
export type SettingsOverrides = Partial<z.input<typeof EngineSettings>>;

/** What makeDeps builds. */
export interface DepsOptions {
  /** Files of the workspace; committed as the initial commit unless git.initialCommit is false. */
  files?: Record<string, string>;
  settings?: SettingsOverrides;
  git?: FakeGitOptions;
  store?: MemoryStoreOptions;
  /** Usage the scripted model reports for steps without their own (see ScriptedModel). */
  usage?: TokenUsage | ((request: ModelRequest) => TokenUsage);
  /** Start time of the manual clock. */
  now?: string;
}

/** The deps and every fake behind them. */
export interface TestRig {
  deps: EngineDeps;
  workspace: MemoryWorkspace;
  git: FakeGit;
  runner: FakeRunner;
  store: MemoryStore;
  model: ScriptedModel;
  clock: ManualClock;
  statusLog: MemoryStatusLog;
  transcript: MemoryTranscript;
  /** observer.warning messages, in order. */
  warnings: string[];
  /** observer.status events, in order. */
  statusEvents: StatusEvent[];
  /** Every goal the observer was told about, in order. */
  goalChanges: Goal[];
  /** The settings deps.settings() returns now. */
  settings: EngineSettings;
  /** Merges `overrides` into the settings (re-parsed with the same defaults) for every later request. */
  setSettings(overrides: SettingsOverrides): void;
}

let prompts: Promise<PromptLibrary> | null = null;

/** The real prompt library, read from prompts/ once per process. */
export function testPrompts(): Promise<PromptLibrary> {
  prompts ??= loadPromptLibrary();
  return prompts;
}

/** Parses settings the way the product does, with the test default of no delay between iterations. */
export function testSettings(overrides: SettingsOverrides = {}): EngineSettings {
  return EngineSettings.parse({ iterationDelayMs: 0, ...overrides });
}

export async function makeDeps(options: DepsOptions = {}): Promise<TestRig> {
  const workspace = new MemoryWorkspace(options.files ?? { 'README.md': '# sample\n' });
  const git = new FakeGit(workspace, options.git);
  const runner = new FakeRunner();
  const store = new MemoryStore(options.store);
  const model = new ScriptedModel(options.usage);
  const clock = new ManualClock(options.now);
  const statusLog = new MemoryStatusLog();
  const transcript = new MemoryTranscript();
  const warnings: string[] = [];
  const statusEvents: StatusEvent[] = [];
  const goalChanges: Goal[] = [];
  let overrides: SettingsOverrides = { ...options.settings };
  const observer: EngineObserver = {
    goalChanged: (goal) => goalChanges.push(goal),
    status: (event) => statusEvents.push(event),
    warning: (message) => warnings.push(message),
  };
  const rig: TestRig = {
    deps: {
      model, workspace, commands: runner, git, store, statusLog, transcript, clock,
      prompts: await testPrompts(),
      settings: () => rig.settings,
      observer,
    },
    workspace, git, runner, store, model, clock, statusLog, transcript, warnings, statusEvents, goalChanges,
    settings: testSettings(options.settings),
    setSettings(more) {
      overrides = { ...overrides, ...more };
      rig.settings = testSettings(overrides);
    },
  };
  return rig;
}
