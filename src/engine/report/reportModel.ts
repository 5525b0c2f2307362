// The content of a goal's report (PRODUCT.md F13): objective, outcome and its evidence, tasks with their
// commits, checks and review notes, tokens and dollars per role, and a timeline. Pure data built from the
// goal record and its goal_status.log events, rendered as Markdown or HTML by the files beside this one,
// so the CLI (`goalpost report`) and the extension (Open Report) show the same page.
import { Role, type CheckResult, type Goal, type Review, type ReviewNote, type UsageTotals } from '../goal';
import type { StatusEvent } from '../ports';

/** One check as the report lists it. */
export interface ReportCheck {
  command: string;
  /** "exit 0", "timed out", "killed by SIGTERM". */
  result: string;
  passed: boolean;
  durationMs: number;
  logPath: string | null;
}

/** One review (a task's or the completion audit's). */
export interface ReportReview {
  verdict: Review['verdict'];
  summary: string;
  notes: ReviewNote[];
  at: string;
}

/** One task with its attempts flattened to what a reader needs. */
export interface ReportTask {
  id: string;
  title: string;
  status: Goal['backlog'][number]['status'];
  source: string;
  attempts: number;
  /** The last attempt's summary or blocker. */
  summary: string | null;
  blockedReason: string | null;
  commit: { sha: string; title: string } | null;
  /** The checks of the last attempt. */
  checks: ReportCheck[];
  reviews: ReportReview[];
}

/** Usage of one role. */
export interface ReportUsage {
  role: Role | 'total';
  requests: number;
  tokens: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** One timeline row. */
export interface ReportEvent {
  at: string;
  phase: StatusEvent['phase'];
  message: string;
}

/** Everything a report shows. */
export interface ReportModel {
  id: string;
  objective: string;
  acceptanceCriteria: string[];
  nonGoals: string[];
  constraints: string[];
  status: Goal['status'];
  /** The reason of the end state (for `achieved`: the audit's evidence). */
  reason: string | null;
  validation: Goal['validation'];
  audit: ReportReview | null;
  branch: string | null;
  baseCommit: string | null;
  createdAt: string;
  endedAt: string | null;
  iterations: number;
  budget: number | null;
  tasks: ReportTask[];
  usage: ReportUsage[];
  timeline: ReportEvent[];
  /** Events left out of the timeline because it was capped. */
  timelineOmitted: number;
}

/** The timeline keeps this many events (the first and the last ones); the log keeps them all. */
export const TIMELINE_MAX = 400;

function checkOf(c: CheckResult): ReportCheck {
  const result = c.timedOut ? 'timed out' : c.exitCode !== null ? `exit ${c.exitCode}` : `killed by ${c.signal ?? 'a signal'}`;
  return { command: c.command, result, passed: c.exitCode === 0 && !c.timedOut, durationMs: c.durationMs, logPath: c.logPath };
}

function reviewOf(r: Review): ReportReview {
  return { verdict: r.verdict, summary: r.summary, notes: r.notes, at: r.at };
}

function usageOf(role: ReportUsage['role'], u: UsageTotals): ReportUsage {
  return { role, requests: u.requests, tokens: u.tokens, inputTokens: u.inputTokens, cachedInputTokens: u.cachedInputTokens, outputTokens: u.outputTokens, costUsd: u.costUsd };
}

/** The report of `goal`; `events` are goal_status.log events (other goals' lines are ignored). */
export function buildReport(goal: Goal, events: readonly StatusEvent[] = []): ReportModel {
  const tasks: ReportTask[] = goal.backlog.map((t) => {
    const last = t.attempts[t.attempts.length - 1];
    const commit = goal.commits.find((c) => c.sha === t.commit) ?? null;
    return {
      id: t.id,
      title: t.title,
      status: t.status,
      source: t.source,
      attempts: t.attempts.length,
      summary: last?.summary ?? last?.blocker ?? null,
      blockedReason: t.blockedReason,
      commit: t.commit ? { sha: t.commit, title: commit?.title ?? t.title } : null,
      checks: (last?.checks ?? []).map(checkOf),
      reviews: goal.reviews.filter((r) => r.taskId === t.id).map(reviewOf),
    };
  });
  const audits = goal.reviews.filter((r) => r.taskId === null);
  const own = events.filter((e) => e.goalId === goal.id);
  const timeline = own.length <= TIMELINE_MAX ? own : [...own.slice(0, TIMELINE_MAX / 2), ...own.slice(-TIMELINE_MAX / 2)];
  return {
    id: goal.id,
    objective: goal.spec.objective,
    acceptanceCriteria: goal.spec.acceptanceCriteria,
    nonGoals: goal.spec.nonGoals,
    constraints: goal.spec.constraints,
    status: goal.status,
    reason: goal.reason,
    validation: goal.validation,
    audit: audits.length > 0 ? reviewOf(audits[audits.length - 1]) : null,
    branch: goal.git.branch,
    baseCommit: goal.git.baseCommit,
    createdAt: goal.createdAt,
    endedAt: goal.endedAt,
    iterations: goal.iteration,
    budget: goal.budget.tokenBudget,
    tasks,
    usage: [...Role.options.map((r) => usageOf(r, goal.usage.byRole[r])), usageOf('total', goal.usage.total)],
    timeline: timeline.map((e) => ({ at: e.at.toISOString(), phase: e.phase, message: e.message })),
    timelineOmitted: own.length - timeline.length,
  };
}

/** `$0.0123` / `$12.34`: small costs keep their significant digits. */
export function usd(value: number): string {
  return value < 1 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

/** 1234567 → "1,234,567". */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}
