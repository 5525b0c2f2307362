// The interfaces the engine needs from the outside world. Small, async, cancellable.
// Implementations live in src/adapters (Node) and src/vscode (editor); tests use fakes.
import type { Goal, Phase, Role, TokenUsage } from './goal';

// ---------------------------------------------------------------- model

/** One tool call as the model emitted it; `arguments` is raw JSON text, validated later with zod. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** A tool offered to the model; `parameters` is JSON Schema generated from the tool's zod schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ModelRequest {
  role: Role;
  model: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  maxTokens?: number;
  toolChoice?: 'auto' | 'required' | 'none';
}

export interface ModelResponse {
  content: string | null;
  toolCalls: ToolCall[];
  usage: TokenUsage;
  finishReason: string | null;
  /** The model name the server says answered. */
  model: string;
  /** True when the server reported no usage and `usage` was estimated from text length. */
  usageEstimated?: boolean;
  /** The server's real context window, when the model client learned it from a refusal. */
  contextWindow?: number;
}

/** What the loop does about a failure: wait and retry (done inside the client), pause, compact, or stop. */
export type ModelErrorKind =
  | 'quota' // out of credit: pause with the reason
  | 'auth' // bad or missing key: pause, ask for a key
  | 'unknown-model' // pause, name the setting
  | 'context-length' // compact and retry
  | 'rate-limit' // retried; after the last try: pause
  | 'server' // 5xx, retried; then pause
  | 'network' // connection refused/reset/dropped, retried; then pause
  | 'bad-response' // the stream could not be understood
  | 'bad-request' // other 4xx
  | 'server-setup' // the server lacks a capability or a start flag (tools, --jinja…): pause with the fix
  | 'aborted'; // the caller's signal fired

/** Numbers a context-length error revealed (each server words them differently). */
export interface ContextFacts {
  /** The server's real context window, in tokens. */
  windowTokens?: number;
  /** How many tokens the server counted in the prompt. */
  promptTokens?: number;
}

export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly status: number | null = null,
    /** How many tries were made before giving up. */
    readonly attempts = 1,
    /** For context-length errors: what the server said about its window, when it said it. */
    readonly context: ContextFacts = {},
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

/** Live listeners of one request (the panel's live view); never part of the request itself. */
export interface ModelStream {
  /** Text of the answer as it streams in, delta by delta. */
  onText?(delta: string): void;
  /** Before a retry of a failed try: the wait, and which try comes next (of `maxAttempts`). */
  onRetry?(info: { delayMs: number; attempt: number; maxAttempts: number; message: string }): void;
}

export interface Model {
  /** One chat completion. Retries transient failures itself; throws ModelError otherwise. */
  complete(request: ModelRequest, signal?: AbortSignal, stream?: ModelStream): Promise<ModelResponse>;
}

// ---------------------------------------------------------------- workspace

/** A refusal or failure the model should read and act on (bad path, missing file, no match…). */
export class WorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

export interface FileSlice {
  text: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  totalLines: number;
  /** True when the range was cut to the read cap. */
  truncated: boolean;
}

export interface DirEntry {
  path: string;
  type: 'file' | 'dir';
}

export interface TextMatch {
  path: string;
  line: number;
  text: string;
}

/**
 * The goal's folder. Every path is relative to it; anything resolving outside it (absolute paths,
 * `..`, symlinks leading out) or under `.git/` is refused with a WorkspaceError.
 */
export interface Workspace {
  readonly root: string;
  readFile(path: string, range?: { startLine?: number; endLine?: number }): Promise<FileSlice>;
  /** Whole file as text, or null when it does not exist. For the engine's own files (BACKLOG.md). */
  readText(path: string): Promise<string | null>;
  /** Atomic write (temp + rename), creating parent folders. */
  writeFile(path: string, content: string): Promise<void>;
  /**
   * Appends `text` to the file (created with its folders when missing) and makes it durable before it
   * returns. For the engine's own journals under .goalpost/ (the BACKLOG.md merge base).
   */
  appendText(path: string, text: string): Promise<void>;
  deleteFile(path: string): Promise<void>;
  /** Renames a file, creating the target's folders (the engine sets an unreadable BACKLOG.md aside with it). */
  moveFile(from: string, to: string): Promise<void>;
  /** Honours .gitignore; `.git/` and `.goalpost/` never listed. Recursive, capped. */
  listFiles(path: string): Promise<{ entries: DirEntry[]; truncated: boolean }>;
  /** Literal, case-sensitive search over text files not ignored by .gitignore. Capped. */
  searchText(query: string, path?: string): Promise<{ matches: TextMatch[]; truncated: boolean }>;
}

// ---------------------------------------------------------------- commands

export interface CommandRequest {
  command: string;
  /** Relative to the workspace root; defaults to it. */
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Live output for terminals and progress displays; the result carries the capped copy. */
  onOutput?: (chunk: string) => void;
  /** A short name for the full-output log file (for example `check-npm-test`). */
  label: string;
  /**
   * The confinement the engine holds for this run (goalpost.sandbox and its network switch as they were when the
   * run started); the runner's own setting when absent.
   */
  sandbox?: { mode: 'workspace-write' | 'off'; network: boolean };
}

export interface CommandResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The request's signal fired (pause): the whole process tree was killed. */
  aborted: boolean;
  durationMs: number;
  /** Head and tail of the output, capped. */
  output: string;
  truncated: boolean;
  /** Full output log, relative to the workspace root (under .goalpost/), or null. */
  logPath: string | null;
  /** Set when the repository's .git was there before the command and is gone after it: what happened. */
  repositoryLost?: string;
}

export interface CommandRunner {
  run(request: CommandRequest): Promise<CommandResult>;
}

// ---------------------------------------------------------------- git

export interface Git {
  isRepo(): Promise<boolean>;
  init(): Promise<void>;
  /** Uncommitted changes, ignoring Goalpost's own excluded files and the paths in `ignore` (relative). */
  isDirty(ignore?: readonly string[]): Promise<boolean>;
  headSha(): Promise<string | null>;
  currentBranch(): Promise<string | null>;
  /** Checks out `name`, creating it from HEAD when missing. */
  checkoutBranch(name: string): Promise<void>;
  /** Commits everything as it is (the user's "snapshot" answer to a dirty tree). Returns the sha. */
  snapshot(message: string): Promise<string>;
  /** Keeps paths (relative to the goal folder, `/` at the end for a folder) out of git, via .git/info/exclude, once. */
  ensureExcluded(paths: string[]): Promise<void>;
  /** Paths changed in the working tree against HEAD, untracked included. */
  changedFiles(): Promise<string[]>;
  /** Unified diff of the working tree (untracked included) against `base` (default HEAD). */
  diff(base?: string): Promise<string>;
  /** Stages everything and commits; null when there was nothing to commit. */
  commit(message: string): Promise<string | null>;
  /** The sha of a commit on the current branch carrying both trailers, or null (idempotent commit). */
  findCommitByTrailers(goalId: string, taskId: string): Promise<string | null>;
  /**
   * Puts `paths` back as HEAD has them, in the working tree and the index: restored when HEAD has them,
   * removed when it does not (protected paths, F10).
   */
  restoreFromHead(paths: string[]): Promise<void>;
}

/** A commit carrying both Goalpost trailers (an agent's task commit), as git has it. */
export interface TrailerCommit {
  sha: string;
  /** First parent, or null for a root commit. */
  parent: string | null;
  subject: string;
  /** Author date, ISO 8601. */
  at: string;
  goalId: string;
  taskId: string;
}

/** A file a commit changed, relative to the workspace root (forward slashes). */
export interface CommitFile {
  path: string;
  /** git's name-status letter: A added, M modified, D deleted, T type change. */
  status: 'A' | 'M' | 'D' | 'T';
}

/** A revert staged in the working tree and the index, waiting for its commit (see UserGit.beginRevert). */
export interface PendingRevert {
  /** Commits the staged revert with everything else changed in the folder since (the kept paths). Returns the sha. */
  commit(message: string): Promise<string>;
  /** Puts the tree back as it was before beginRevert (the kept paths as they were). */
  abort(): Promise<void>;
}

/** A commit could not be reverted cleanly; nothing was changed. */
export class RevertConflict extends Error {
  constructor(
    /** The paths (relative) whose later changes conflict with the revert. */
    readonly paths: string[],
    message: string,
  ) {
    super(message);
    this.name = 'RevertConflict';
  }
}

/**
 * A revert git cannot do for a reason other than a conflict; nothing was changed. The message is English
 * (the CLI, the log); `reason` and `detail` let the editor say it in the user's language.
 */
export class RevertRefused extends Error {
  constructor(
    /** outside-folder: the commit also changed files beside the folder; unchanged: its changes are already
     * undone; failed: git revert failed (`detail` is git's message). */
    readonly reason: 'outside-folder' | 'unchanged' | 'failed',
    message: string,
    readonly detail = '',
  ) {
    super(message);
    this.name = 'RevertRefused';
  }
}

/**
 * What the user's own actions in the editor need from git beyond the engine's Git: the commit review's
 * reads, a revert as a new commit, and the stash Set Goal offers. The same client implements both ports
 * (src/adapters/gitRepo.ts), with the same hardening, identity and subfolder rules.
 */
export interface UserGit {
  /** Every commit reachable from any ref that has both trailers and touched the folder, newest first. */
  agentCommits(): Promise<TrailerCommit[]>;
  /** sha → the sha of the commit that reverted it ("This reverts commit <sha>."). */
  revertsOf(): Promise<Map<string, string>>;
  /** The files a commit changed in the folder, against its first parent (or nothing, for a root commit). */
  commitFiles(sha: string): Promise<CommitFile[]>;
  /** The unified diff (three lines of context) of one file of a commit against its first parent. */
  commitDiff(sha: string, path: string): Promise<string>;
  /** The text of `path` at `ref`, or null when `ref` has no such file; an unknown ref throws. */
  showFile(ref: string, path: string): Promise<string | null>;
  /**
   * Undoes `sha`'s changes in the working tree and the index, except in `keep` (left as they are now, so
   * their present text goes into the revert commit). Throws RevertConflict, with nothing changed, when
   * later changes conflict outside `keep`.
   */
  beginRevert(sha: string, keep: readonly string[]): Promise<PendingRevert>;
  /** Stashes the folder's uncommitted changes, untracked files included; false when there were none. */
  stash(message: string): Promise<boolean>;
}

// ---------------------------------------------------------------- persistence and logs

/** Thrown when a stored goal cannot be read: corrupt, newer schema, or a stale revision on write. */
export class StoreError extends Error {
  constructor(
    readonly kind: 'corrupt' | 'newer-schema' | 'conflict' | 'io',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** How a save may be written. */
export interface SaveOptions {
  /**
   * The engine can redo this change (its own progress within an iteration): the store may return before
   * it is on stable storage, leaving that to the next save without `lazy`. A crash of the process still
   * loses nothing; only a power loss can take the store back to its last durable save.
   */
  lazy?: boolean;
}

export interface GoalStore {
  /** The folder's active goal, or null. */
  load(): Promise<Goal | null>;
  /**
   * Writes `goal` if the stored revision equals `goal.revision`, and returns the copy with the
   * revision incremented. Atomic: a crash mid-write leaves the previous state readable.
   */
  save(goal: Goal, options?: SaveOptions): Promise<Goal>;
  /** Moves the active goal into history (after it ended or was cleared). */
  archive(goal: Goal): Promise<void>;
  history(): Promise<Goal[]>;
}

/** One goal_status.log line: time, goal id, phase, message. */
export interface StatusEvent {
  at: Date;
  goalId: string;
  phase: Phase | 'goal';
  message: string;
}

export interface StatusLog {
  append(event: StatusEvent): Promise<void>;
}

/** The per-goal transcript of every request and response under .goalpost/ (never the API key). */
export interface Transcript {
  append(entry: Record<string, unknown>): Promise<void>;
}

export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or rejects with an AbortError-like error when `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
