// Everything the loop needs from outside, bundled once by the CLI or the extension.
import type { Goal, Role, TokenUsage } from '../goal';
import type { PromptLibrary } from '../prompts';
import type { EngineSettings } from '../settings';
import type {
  Clock, CommandRunner, Git, GoalStore, Model, StatusEvent, StatusLog, Transcript, Workspace,
} from '../ports';

/**
 * The step the loop is on, live (F13): a model request starting, its streamed text, a tool call and its
 * target, a command running or done, a retry being waited out. Never persisted.
 */
export type StepEvent =
  | { kind: 'request'; role: Role }
  | { kind: 'text'; role: Role; delta: string }
  | { kind: 'tool'; role: Role; name: string; target: string }
  | { kind: 'command'; command: string; origin: 'agent' | 'check'; running: boolean }
  | { kind: 'retry'; role: Role; delayMs: number; attempt: number; maxAttempts: number; message: string }
  | { kind: 'idle' };

/** Optional listeners: the panel, the status bar, the CLI's progress output. */
export interface EngineObserver {
  goalChanged?(goal: Goal): void;
  status?(event: StatusEvent): void;
  /** Live output of a command the engine or the agent runs. */
  commandOutput?(chunk: string, source: { command: string; origin: 'agent' | 'check' }): void;
  /** One-time warnings for the user (80 % of budget, sandbox off…). */
  warning?(message: string): void;
  /** Every model response (debug traces): role, model, step and the tokens it used. */
  modelResponse?(info: ModelTrace): void;
  /** Every tool call the model made and whether it succeeded (debug traces; arguments unredacted). */
  toolCall?(info: ToolTrace): void;
  /** The current step, as it happens (the panel's live view). */
  step?(event: StepEvent): void;
}

/** One model request as debug output shows it. */
export interface ModelTrace {
  role: Role;
  model: string;
  step: number;
  usage: TokenUsage;
  /** Names of the tools the response called. */
  toolCalls: string[];
}

/** One tool call as debug output shows it. */
export interface ToolTrace {
  role: Role;
  name: string;
  /** Raw JSON arguments; an adapter redacts secrets before showing them. */
  arguments: string;
  ok: boolean;
}

/**
 * The instants where a crash does the most harm (issue 12). Test builds of the CLI can be told to SIGKILL
 * themselves at one of them (GOALPOST_TEST_CRASH_AT), so kill -9 recovery is tested deterministically.
 */
export type CrashPoint =
  | 'before-commit' // BACKLOG.md rendered for the commit, git not yet called
  | 'after-commit' // the task's commit exists, the record does not know it yet
  | 'after-done' // the record says DONE with its commit, the iteration's last save not yet made
  | 'audit'; // the completion audit's checks ran, its review not yet asked

/** The ports wired by an adapter layer. */
export interface EngineDeps {
  model: Model;
  workspace: Workspace;
  commands: CommandRunner;
  git: Git;
  store: GoalStore;
  statusLog: StatusLog;
  transcript: Transcript;
  clock: Clock;
  prompts: PromptLibrary;
  /** Read before every request, so a settings change applies without a restart. */
  settings(): EngineSettings;
  observer?: EngineObserver;
  /** Called at each CrashPoint; only crash tests set it. */
  crashPoint?(point: CrashPoint): void;
}
