// Everything the loop needs from outside, bundled once by the CLI or the extension.
import type { Goal, Role } from '../goal';
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
  /** The current step, as it happens (the panel's live view). */
  step?(event: StepEvent): void;
}

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
}
