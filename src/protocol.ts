// Host ↔ webview messages: one zod discriminated union per direction, imported by both sides. The host
// validates everything the webview sends; the webview drops state pushes older than what it shows.
// Whole-state pushes are for structural changes; usage ticks and log lines travel as small deltas.
// zod/mini, because the webview bundles this file: it has no locales or method chains to carry. The host
// reports what was wrong with zod's full messages (src/vscode/webviewInput.ts).
import * as z from 'zod/mini';

/** One check (validation or task command) the engine ran, with its exit code. */
export const CheckView = z.object({
  command: z.string(),
  exitCode: z.nullable(z.int()),
  timedOut: z.boolean(),
  durationMs: z.number(),
  /** The full output's log under .goalpost/ (relative to the folder), or null. */
  logPath: z.optional(z.nullable(z.string())),
});
export type CheckView = z.infer<typeof CheckView>;

/** One attempt at a task: how it ended and the checks it ran. */
export const AttemptView = z.object({
  n: z.int(),
  outcome: z.nullable(z.string()),
  summary: z.nullable(z.string()),
  blocker: z.nullable(z.string()),
  checks: z.array(CheckView),
});
export type AttemptView = z.infer<typeof AttemptView>;

/** A task as the panel shows it. */
export const TaskView = z.object({
  id: z.string(),
  title: z.string(),
  details: z.string(),
  status: z.enum(['todo', 'in-progress', 'done', 'blocked']),
  attempts: z.array(AttemptView),
  blockedReason: z.nullable(z.string()),
  commit: z.nullable(z.string()),
});
export type TaskView = z.infer<typeof TaskView>;

/** One self-review note, anchored at a file and line of the goal folder. */
export const NoteView = z.object({
  path: z.string(),
  line: z.int(),
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});
export type NoteView = z.infer<typeof NoteView>;

/** One review (a task review, or the completion audit when taskId is null). */
export const ReviewView = z.object({
  id: z.string(),
  taskId: z.nullable(z.string()),
  /** The attempt it reviewed (null for the audit). */
  attempt: z.optional(z.nullable(z.int())),
  at: z.string(),
  verdict: z.enum(['approve', 'request_changes']),
  summary: z.string(),
  notes: z.array(NoteView),
});
export type ReviewView = z.infer<typeof ReviewView>;

/** One agent commit. */
export const CommitView = z.object({
  sha: z.string(),
  title: z.string(),
  taskId: z.string(),
  at: z.string(),
});
export type CommitView = z.infer<typeof CommitView>;

/** One finished iteration, for the chart: tokens used so far and tasks done so far. */
export const PointView = z.object({
  n: z.int(),
  tokens: z.number(),
  tasksDone: z.int(),
});
export type PointView = z.infer<typeof PointView>;

/** The usage figures that change on every model response (sent alone as a `usage` delta). */
export const UsageView = z.object({
  tokens: z.number(),
  budget: z.nullable(z.number()),
  costUsd: z.number(),
  requests: z.int(),
  forecastTokens: z.nullable(z.number()),
  forecastCostUsd: z.nullable(z.number()),
});
export type UsageView = z.infer<typeof UsageView>;

/** One folder's goal, flattened for rendering. */
export const GoalView = z.extend(UsageView, {
  folder: z.string(),
  folderName: z.string(),
  id: z.string(),
  objective: z.string(),
  /** Time the loop has run, without idle time (ms), and since when the current run goes (ISO), if one does. */
  activeMs: z.optional(z.number()),
  runningSince: z.optional(z.nullable(z.string())),
  /** False when a model that answered has no price (the cost reads "price unknown", not $0.00). */
  priceKnown: z.optional(z.boolean()),
  /** A goal file's `# Title`, shown instead of the objective's first line. */
  title: z.optional(z.string()),
  status: z.enum(['pursuing', 'paused', 'achieved', 'unmet', 'budget-limited', 'cleared']),
  /** True when the goal says pursuing but no loop runs (VS Code was closed mid-goal). */
  interrupted: z.boolean(),
  /** The offline demo's goal (labelled DEMO everywhere). */
  demo: z.optional(z.boolean()),
  /** The checkpoint summary (the budget wrap-up, a pause's checkpoint), '' when none. */
  checkpoint: z.optional(z.string()),
  reason: z.nullable(z.string()),
  phase: z.nullable(z.string()),
  iteration: z.int(),
  createdAt: z.string(),
  endedAt: z.nullable(z.string()),
  validation: z.array(z.string()),
  tasks: z.array(TaskView),
  reviews: z.array(ReviewView),
  commits: z.array(CommitView),
  points: z.array(PointView),
});
export type GoalView = z.infer<typeof GoalView>;

/** An ended goal in the history list. */
export const HistoryView = z.object({
  folder: z.string(),
  id: z.string(),
  objective: z.string(),
  status: z.enum(['pursuing', 'paused', 'achieved', 'unmet', 'budget-limited', 'cleared']),
  reason: z.nullable(z.string()),
  tokens: z.number(),
  costUsd: z.number(),
  tasksDone: z.int(),
  tasksTotal: z.int(),
  endedAt: z.nullable(z.string()),
});
export type HistoryView = z.infer<typeof HistoryView>;

/** The local OpenAI-compatible servers the empty state offers (F11), with their usual addresses. */
export const LOCAL_SERVER_PRESETS = [
  { id: 'ollama', name: 'Ollama', baseUrl: 'http://localhost:11434/v1' },
  { id: 'lmstudio', name: 'LM Studio', baseUrl: 'http://localhost:1234/v1' },
  { id: 'vllm', name: 'vLLM', baseUrl: 'http://localhost:8000/v1' },
  { id: 'llamacpp', name: 'llama.cpp', baseUrl: 'http://localhost:8080/v1' },
] as const;

/** How the model is reached: what the empty state needs to offer the three ways on. */
export const SetupView = z.object({
  /** An API key is in secret storage (or OPENAI_API_KEY is set). */
  hasKey: z.boolean(),
  /** goalpost.baseUrl ('' when unset). */
  baseUrl: z.string(),
  /** The base URL is a local server (needs no key). */
  local: z.boolean(),
});
export type SetupView = z.infer<typeof SetupView>;

/** One line of the connection check (the contract of `goalpost.testConnection`). */
export const ConnectionLine = z.object({
  check: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  fix: z.optional(z.string()),
});
export type ConnectionLine = z.infer<typeof ConnectionLine>;

/** What `goalpost.testConnection` resolves to. */
export const ConnectionResult = z.object({ ok: z.boolean(), lines: z.array(ConnectionLine) });
export type ConnectionResult = z.infer<typeof ConnectionResult>;

/** The step the agent is on now (F13): shown live, never persisted. */
export const LiveView = z.object({
  folder: z.string(),
  /** What is happening, e.g. "actor: edit_file src/calc.js" or "running npm test". */
  kind: z.enum(['thinking', 'tool', 'command', 'retry', 'idle']),
  role: z.nullable(z.string()),
  /** Tool name, or the command line. */
  label: z.string(),
  /** The tool call's target (a path, a query), or ''. */
  target: z.string(),
  /** The model's text for this turn so far (capped). */
  text: z.string(),
  /** For a retry: seconds to wait, which try comes next, of how many. */
  retry: z.nullable(z.object({ seconds: z.number(), attempt: z.int(), maxAttempts: z.int(), message: z.string() })),
  /** True while the current command runs in the Goalpost terminal. */
  commandRunning: z.boolean(),
});
export type LiveView = z.infer<typeof LiveView>;

/** Host → webview. */
export const HostMessage = z.discriminatedUnion('type', [
  /**
   * The localisation bundle VS Code loaded for the user's language (`vscode.l10n.bundle`), sent first after
   * `ready`, before the panel builds anything; null in English (the source strings show).
   */
  z.object({ type: z.literal('l10n'), bundle: z.nullable(z.record(z.string(), z.string())) }),
  /** How the model is reached (key, local server): the empty state's three ways on. */
  z.object({ type: z.literal('setup'), setup: SetupView }),
  /** A connection check's result (null while it runs). */
  z.object({ type: z.literal('connection'), baseUrl: z.string(), result: z.nullable(ConnectionResult) }),
  /** The current step of one folder's running goal. */
  z.object({ type: z.literal('live'), live: LiveView }),
  /** The whole view model; `version` grows with every state or usage push so a stale one is dropped. */
  z.object({ type: z.literal('state'), version: z.int(), goals: z.array(GoalView), history: z.array(HistoryView), trusted: z.boolean() }),
  /** A usage tick of one folder's goal (shares the state's version sequence). */
  z.object({ type: z.literal('usage'), version: z.int(), folder: z.string(), usage: UsageView }),
  /** New goal_status.log lines of one folder; `reset` replaces the tail (first push, or the file was truncated). */
  z.object({ type: z.literal('log'), folder: z.string(), reset: z.boolean(), lines: z.array(z.string()) }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

/** Commands the panel's buttons run (each maps to a `goalpost.*` command). */
export const PanelCommand = z.enum(['setGoal', 'pause', 'resume', 'clear', 'editGoal', 'raiseBudget', 'openBacklog', 'openLog', 'reviewCommits', 'setApiKey', 'replan', 'openReport']);
export type PanelCommand = z.infer<typeof PanelCommand>;

/** Webview → host. */
export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('command'), command: PanelCommand, folder: z.optional(z.string()) }),
  /** A review note was clicked: open its file at its line (the host checks the path stays in the folder). */
  z.object({ type: z.literal('openNote'), folder: z.string(), path: z.string().check(z.minLength(1), z.maxLength(1000)), line: z.int().check(z.nonnegative()) }),
  /** A commit was clicked: open its review. */
  z.object({ type: z.literal('openCommit'), folder: z.string(), sha: z.string().check(z.regex(/^[0-9a-f]{7,40}$/)) }),
  /** The empty state's "goal template" link. */
  z.object({ type: z.literal('openTemplate') }),
  /** Use a local OpenAI-compatible server: sets goalpost.baseUrl (and goalpost.provider where it exists). */
  z.object({ type: z.literal('useLocalServer'), baseUrl: z.url({ protocol: /^https?$/ }).check(z.maxLength(500)), preset: z.optional(z.string().check(z.maxLength(40))) }),
  /** Run the connection check of F12 against `baseUrl` (or the settings' endpoint). */
  z.object({ type: z.literal('testConnection'), baseUrl: z.optional(z.string().check(z.maxLength(500))) }),
  /** Play the offline demo. */
  z.object({ type: z.literal('startDemo') }),
  /** Restricted Mode: open the workspace trust editor. */
  z.object({ type: z.literal('manageTrust') }),
  /** Show the Goalpost terminal (the live view's link to a running command's output). */
  z.object({ type: z.literal('showTerminal') }),
  /** Open a check's full output log (relative to the folder, under .goalpost/). */
  z.object({ type: z.literal('openCheckLog'), folder: z.string(), logPath: z.string().check(z.minLength(1), z.maxLength(1000)) }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

/** The panel's log tail length (lines kept per folder). */
export const LOG_TAIL_LINES = 50;
