// The goal record: the single source of truth for one goal, persisted at every step boundary.
// Everything on disk is parsed with these schemas, so a file written by hand or by an older or
// newer version is either understood or refused with a clear error.
import * as z from 'zod';

/** Bumped whenever the persisted shape changes incompatibly. */
export const GOAL_SCHEMA_VERSION = 1;

/** The states the user sees, plus `cleared` which only appears in history. */
export const GoalStatus = z.enum(['pursuing', 'paused', 'achieved', 'unmet', 'budget-limited', 'cleared']);
export type GoalStatus = z.infer<typeof GoalStatus>;

/**
 * Why a goal stopped without ending (PRODUCT.md F3), as data: the UI and the CLI decide what to offer
 * (resume, Set API Key, raise the budget) from this, never from the reason text. `interrupted` is Ctrl+C or
 * a signal; `fault` a disk or repository problem Goalpost found; `budget` a goal that went budget-limited.
 */
export const PauseCause = z.enum(['user', 'interrupted', 'model-error', 'budget', 'fault']);
export type PauseCause = z.infer<typeof PauseCause>;

/** A pause's cause; `errorKind` is the model error's kind (auth, quota, …) for `model-error`, else null. */
export const GoalPause = z.object({
  cause: PauseCause,
  errorKind: z.string().nullable().default(null),
});
export type GoalPause = z.infer<typeof GoalPause>;

/** The loop phase while pursuing. */
export const Phase = z.enum(['plan', 'act', 'test', 'review', 'iterate']);
export type Phase = z.infer<typeof Phase>;

/** The model roles; each has its own model setting and its own usage line. */
export const Role = z.enum(['planner', 'actor', 'reviewer', 'compaction']);
export type Role = z.infer<typeof Role>;

export const TaskStatus = z.enum(['todo', 'in-progress', 'done', 'blocked']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** The parsed goal file of PRODUCT.md F1.2. */
export const GoalSpec = z.object({
  /** A goal file's leading `# Title` (not part of the objective); absent for an inline objective. */
  title: z.string().optional(),
  /** Free text plus any unknown sections, verbatim. */
  objective: z.string(),
  acceptanceCriteria: z.array(z.string()),
  nonGoals: z.array(z.string()),
  constraints: z.array(z.string()),
  validationCommands: z.array(z.string()),
  /** Globs the agent may not change (F10: goal file section `Protected paths`, `--protect`). */
  protectedPaths: z.array(z.string()).optional(),
});
export type GoalSpec = z.infer<typeof GoalSpec>;

/** One validation or task command run by the engine (never by the model's say-so). */
export const CheckResult = z.object({
  command: z.string(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number().nonnegative(),
  /** Head and tail of the output as shown to the model. */
  output: z.string(),
  /** Path of the full log under .goalpost/, relative to the goal folder. */
  logPath: z.string().nullable(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const AttemptOutcome = z.enum([
  'finished', // actor called finish_task and checks + review passed
  'checks-failed',
  'changes-requested',
  'blocker',
  'no-submit', // the turn ended twice without finish_task / report_blocker
  'step-cap',
  'repetition',
  'interrupted',
  'protected-path', // the attempt changed a protected path: undone, the attempt failed before tests
]);
export type AttemptOutcome = z.infer<typeof AttemptOutcome>;

export const Attempt = z.object({
  n: z.number().int().positive(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  outcome: AttemptOutcome.nullable(),
  summary: z.string().nullable(),
  blocker: z.string().nullable(),
  checks: z.array(CheckResult),
  reviewId: z.string().nullable(),
  filesChanged: z.array(z.string()),
  /** Why the engine failed the attempt whatever the model claimed (a protected path was changed). */
  engineNote: z.string().optional(),
});
export type Attempt = z.infer<typeof Attempt>;

export const TaskSource = z.enum(['planner', 'actor', 'user', 'audit', 'review']);

export const Task = z.object({
  /** Stable id (t1, t2, …); BACKLOG.md carries it so user edits map back to tasks. */
  id: z.string().min(1),
  title: z.string().min(1),
  details: z.string(),
  acceptance: z.string(),
  status: TaskStatus,
  source: TaskSource,
  attempts: z.array(Attempt),
  blockedReason: z.string().nullable(),
  /** Sha of the commit that finished this task (idempotent commit step). */
  commit: z.string().nullable(),
  /** Extra commands this task asks the engine to run besides the goal's validation commands. */
  commands: z.array(z.string()),
});
export type Task = z.infer<typeof Task>;

export const Severity = z.enum(['info', 'warning', 'error']);
export const ReviewNote = z.object({
  path: z.string(),
  line: z.number().int().nonnegative(),
  severity: Severity,
  message: z.string(),
});
export type ReviewNote = z.infer<typeof ReviewNote>;

export const Review = z.object({
  id: z.string(),
  /** null for the completion audit. */
  taskId: z.string().nullable(),
  attempt: z.number().int().nullable(),
  at: z.string(),
  verdict: z.enum(['approve', 'request_changes']),
  summary: z.string(),
  notes: z.array(ReviewNote),
  /**
   * @deprecated Always null for new reviews: the link is `CommitRecord.reviewId` (read it with
   * `commitOfReview`). Older records may hold the sha; they still load, and `commitOfReview` (the only
   * reader, the editor's review included) falls back to it.
   */
  commit: z.string().nullable().default(null),
});
export type Review = z.infer<typeof Review>;

export const CommitRecord = z.object({
  sha: z.string(),
  taskId: z.string(),
  title: z.string(),
  at: z.string(),
  filesChanged: z.array(z.string()),
  reviewId: z.string().nullable(),
});
export type CommitRecord = z.infer<typeof CommitRecord>;

/**
 * The sha of the commit a review approved, derived from `CommitRecord.reviewId` (the one link), or from
 * the deprecated `Review.commit` of records written before it. null for audits and unapproved attempts.
 */
export function commitOfReview(goal: { commits: readonly CommitRecord[] }, review: Pick<Review, 'id' | 'commit'>): string | null {
  return goal.commits.find((c) => c.reviewId === review.id)?.sha ?? review.commit ?? null;
}

/** Token usage of one response, as the API reports it. */
export const TokenUsage = z.object({
  inputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const UsageTotals = TokenUsage.extend({
  requests: z.number().int().nonnegative(),
  /** Codex's count: (input − cached) + output. */
  tokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});
export type UsageTotals = z.infer<typeof UsageTotals>;

export const Usage = z.object({
  total: UsageTotals,
  byRole: z.record(Role, UsageTotals),
});
export type Usage = z.infer<typeof Usage>;

export const Budget = z.object({
  /** null means unlimited (only when the user asked for it). */
  tokenBudget: z.number().int().positive().nullable(),
  /** The 80 % warning is shown once per budget value. */
  warned80: z.boolean(),
});
export type Budget = z.infer<typeof Budget>;

/** One point per finished iteration, for the panel's chart and the forecast. */
export const IterationPoint = z.object({
  n: z.number().int().positive(),
  at: z.string(),
  tokens: z.number().int().nonnegative(),
  tasksDone: z.number().int().nonnegative(),
});
export type IterationPoint = z.infer<typeof IterationPoint>;

const GoalRecord = z.object({
  schemaVersion: z.literal(GOAL_SCHEMA_VERSION),
  /** Incremented on every write; a write with a stale revision is refused (optimistic concurrency). */
  revision: z.number().int().nonnegative(),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  /** Absolute path of the workspace folder the goal is bound to. */
  folder: z.string(),
  spec: GoalSpec,
  /** Set by Edit Goal: the previous objective, until a turn has been told (objective_updated.md). */
  previousObjective: z.string().nullable(),
  status: GoalStatus,
  /** Human-readable reason on every state but `pursuing`. */
  reason: z.string().nullable(),
  /** Set while `paused` or `budget-limited` (the state machine keeps it), null otherwise; older records load as null. */
  pause: GoalPause.nullable().default(null),
  phase: Phase.nullable(),
  iteration: z.number().int().nonnegative(),
  backlog: z.array(Task),
  /** Validation commands in force and where they came from (F1.4). */
  validation: z.object({
    commands: z.array(z.string()),
    source: z.enum(['goal-file', 'settings', 'detected', 'planner', 'none']),
  }),
  budget: Budget,
  usage: Usage,
  reviews: z.array(Review),
  commits: z.array(CommitRecord),
  /** The running summary a fresh request starts from (also the budget wrap-up's output). */
  checkpointSummary: z.string(),
  /** Guards of F2 that survive restarts. */
  guards: z.object({
    iterationsWithoutProgress: z.number().int().nonnegative(),
    lastBlocker: z.string().nullable(),
    sameBlockerCount: z.number().int().nonnegative(),
  }),
  iterations: z.array(IterationPoint),
  git: z.object({
    branch: z.string().nullable(),
    /** HEAD when the goal began: the completion audit reviews the diff since here. */
    baseCommit: z.string().nullable(),
    /** The user's branch the goal branched from (the next goal starts there again, not on this goal's branch). */
    baseBranch: z.string().nullable().optional(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  endedAt: z.string().nullable(),
  /** Milliseconds the loop has run (pursuing and running), over every run: elapsed time without the idle time. */
  activeMs: z.number().nonnegative().optional(),
});

/**
 * Migrates a record written before pause causes existed (PRODUCT.md F3): it loads paused or budget-limited
 * with no cause, so the cause is derived once, here, from the fixed wording the engine used for its
 * reasons then. Nothing after the load reads a reason to decide anything.
 */
function withLegacyPause(goal: z.infer<typeof GoalRecord>): z.infer<typeof GoalRecord> {
  if (goal.pause !== null) return goal;
  if (goal.status === 'budget-limited') return { ...goal, pause: { cause: 'budget', errorKind: null } };
  if (goal.status !== 'paused') return goal;
  const reason = goal.reason ?? '';
  const cause: PauseCause = /^Interrupted/.test(reason) ? 'interrupted'
    : reason === '' || /^(Paused by|Clearing the goal)/.test(reason) ? 'user'
    : 'fault';
  return { ...goal, pause: { cause, errorKind: null } };
}

export const Goal = GoalRecord.overwrite(withLegacyPause);
export type Goal = z.infer<typeof Goal>;

export function emptyUsageTotals(): UsageTotals {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0, requests: 0, tokens: 0, costUsd: 0 };
}

export function emptyUsage(): Usage {
  return {
    total: emptyUsageTotals(),
    byRole: {
      planner: emptyUsageTotals(),
      actor: emptyUsageTotals(),
      reviewer: emptyUsageTotals(),
      compaction: emptyUsageTotals(),
    },
  };
}

export interface NewGoalInput {
  id: string;
  folder: string;
  spec: GoalSpec;
  tokenBudget: number | null;
  validation: Goal['validation'];
  now: string;
}

/** A fresh goal in `pursuing`, phase `plan`, with an empty backlog. */
export function newGoal(input: NewGoalInput): Goal {
  return {
    schemaVersion: GOAL_SCHEMA_VERSION,
    revision: 0,
    id: input.id,
    folder: input.folder,
    spec: input.spec,
    previousObjective: null,
    status: 'pursuing',
    reason: null,
    pause: null,
    phase: 'plan',
    iteration: 0,
    backlog: [],
    validation: input.validation,
    budget: { tokenBudget: input.tokenBudget, warned80: false },
    usage: emptyUsage(),
    reviews: [],
    commits: [],
    checkpointSummary: '',
    guards: { iterationsWithoutProgress: 0, lastBlocker: null, sameBlockerCount: 0 },
    iterations: [],
    git: { branch: null, baseCommit: null },
    createdAt: input.now,
    updatedAt: input.now,
    endedAt: null,
  };
}
