// The Ralph loop of PRODUCT.md F2: plan when needed, one task per iteration, the completion audit when
// no TODO task is left, and every guard ending in a state with a reason the user can read.
import { plural } from '../text';
import { counts, nextTodo } from '../backlog/tasks';
import { Aborted, BudgetExhausted, RepositoryLost, throwIfAborted } from '../errors';
import { ModelError } from '../ports';
import { readBacklogEdits, writeBacklogFile } from './backlogSync';
import { runAudit } from './audit';
import { recoverCommitted } from './commit';
import { runIteration, updateProgressGuard } from './iteration';
import { runPlan } from './plan';
import { wrapUp } from './wrapUp';
import type { GoalSession } from './session';

/** Why a run stopped, besides reaching a state the goal record shows. */
export type LoopExit = 'stopped' | 'aborted';

export interface LoopOptions {
  signal?: AbortSignal;
  /** Re-plan on the first iteration even though the backlog has TODO tasks (the user asked). */
  replan?: boolean;
  /** Polled before every iteration: true once when the user asked to re-plan meanwhile. */
  takeReplanRequest?: () => boolean;
  /** Wall-clock start of this run, for `maxWallClockMinutes`. */
  startedAt?: Date;
}

/** Closes attempts a crash or pause left open, so they do not count against the task. */
async function closeOpenAttempts(session: GoalSession): Promise<void> {
  let open = false;
  // A plain loop: the stored backlog is frozen, and array builtins are slow on frozen arrays.
  for (const t of session.goal.backlog) for (const a of t.attempts) open ||= a.outcome === null;
  if (!open) return;
  const now = session.deps.clock.now().toISOString();
  await session.update((g) => ({
    ...g,
    backlog: g.backlog.map((t) => ({
      ...t,
      attempts: t.attempts.map((a) => (a.outcome === null ? { ...a, outcome: 'interrupted' as const, endedAt: now } : a)),
    })),
  }));
}

function capReason(session: GoalSession, startedAt: Date): string | null {
  const s = session.settings();
  const goal = session.goal;
  if (s.maxIterations > 0 && goal.iteration >= s.maxIterations) {
    return `the iteration cap (${s.maxIterations}) was reached with ${plural(goal.backlog.filter((t) => t.status !== 'done').length, 'task')} not done`;
  }
  if (s.maxWallClockMinutes > 0) {
    const minutes = (session.deps.clock.now().getTime() - startedAt.getTime()) / 60_000;
    if (minutes >= s.maxWallClockMinutes) return `the wall-clock cap (${s.maxWallClockMinutes} min) was reached`;
  }
  return null;
}

async function budgetStop(session: GoalSession, signal?: AbortSignal): Promise<void> {
  await wrapUp(session, signal);
  const goal = session.goal;
  await session.transition(
    'exhaust-budget',
    `The token budget is used up (${goal.usage.total.tokens.toLocaleString('en-US')} of ${(goal.budget.tokenBudget ?? 0).toLocaleString('en-US')}). Raise the budget to continue.`,
  );
}

/**
 * Runs until the goal leaves `pursuing`. Every way out that is not a state the steps reached is ended
 * here, once: a used-up budget (BudgetExhausted, from any phase) wraps up and goes budget-limited; a pause
 * (Aborted) returns `aborted`; a model failure or a lost repository pauses the goal with its cause.
 */
export async function runLoop(session: GoalSession, options: LoopOptions = {}): Promise<LoopExit> {
  const { signal } = options;
  try {
    await closeOpenAttempts(session);
    await writeBacklogFile(session).catch(() => undefined);
    try {
      await loopSteps(session, options);
    } catch (e) {
      if (!(e instanceof BudgetExhausted)) throw e;
      await closeOpenAttempts(session);
      await budgetStop(session, signal);
    }
    return 'stopped';
  } catch (e) {
    if (e instanceof Aborted || signal?.aborted || (e instanceof ModelError && e.kind === 'aborted')) {
      await closeOpenAttempts(session);
      return 'aborted';
    }
    if (e instanceof ModelError) {
      await closeOpenAttempts(session);
      await session.transition('error', modelErrorReason(e), { cause: 'model-error', errorKind: e.kind });
      return 'stopped';
    }
    if (e instanceof RepositoryLost) {
      await closeOpenAttempts(session);
      await session.transition('error', `Paused: ${e.message}`);
      return 'stopped';
    }
    throw e;
  }
}

/** What the loop carries from one iteration to the next. */
interface LoopState {
  replan: boolean;
  planFailures: number;
  planCalledTools: boolean;
}

/** One step per iteration — plan, audit or a task — until a step moves the goal out of `pursuing`. */
async function loopSteps(session: GoalSession, options: LoopOptions): Promise<void> {
  const { signal } = options;
  const startedAt = options.startedAt ?? session.deps.clock.now();
  const state: LoopState = { replan: options.replan ?? false, planFailures: 0, planCalledTools: false };
  while (session.goal.status === 'pursuing') {
    throwIfAborted(signal);
    const cap = capReason(session, startedAt);
    if (cap) return session.transition('fail', `Stopped: ${cap}.`);
    if (session.budgetExhausted()) throw new BudgetExhausted();
    await readBacklogEdits(session);
    if (options.takeReplanRequest?.()) state.replan = true;

    if (session.goal.backlog.length === 0 || state.replan) {
      await planStep(session, state, signal);
      continue;
    }
    const left = counts(session.goal.backlog);
    const hasOpenWork = left.todo + left.inProgress > 0;
    if (hasOpenWork) {
      const task = nextTodo(session.goal.backlog);
      if (task && task.status === 'in-progress' && (await recoverCommitted(session, task))) continue;
      if (task) await runIteration(session, task, signal);
    } else if (await auditStep(session, signal)) {
      return;
    }
    const limit = session.settings().noProgressIterations;
    if (session.goal.guards.iterationsWithoutProgress >= limit) {
      return session.transition('fail', `No progress in ${limit} iterations: no file changed and no check started passing.`);
    }
    await session.deps.clock.sleep(session.settings().iterationDelayMs, signal);
  }
}

/** Plans (first plan or re-plan); ends the goal unmet after too many plans that were never submitted. */
async function planStep(session: GoalSession, state: LoopState, signal?: AbortSignal): Promise<void> {
  const reason = state.replan ? 'the user asked to re-plan' : 'first plan: the backlog is empty';
  state.replan = false;
  const planned = await runPlan(session, reason, signal);
  if (planned === 'planned') return;
  state.planFailures++;
  if (planned === 'failed') state.planCalledTools = true;
  if (state.planFailures < session.settings().maxAttemptsPerTask) return;
  // A model that never called a tool is a different problem from one that called the wrong ones.
  const why = state.planCalledTools
    ? ''
    : ': the model answered in text every time and never called a tool, so it may not support tool calling. Choose a model that does (goalpost.model / --model), or check the endpoint with `goalpost doctor` / "Goalpost: Test Connection"';
  await session.transition('fail', `The planner did not submit a plan after ${state.planFailures} tries${why}.`);
}

/** No open work: unmet when everything left is blocked, else the completion audit. True when the goal ended. */
async function auditStep(session: GoalSession, signal?: AbortSignal): Promise<boolean> {
  const blocked = session.goal.backlog.filter((t) => t.status === 'blocked');
  if (blocked.length > 0) {
    await session.transition('fail', `Every remaining task is blocked: ${blocked.map((t) => `${t.id} “${t.title}” (${t.blockedReason ?? 'no reason'})`).join('; ')}.`);
    return true;
  }
  const audit = await runAudit(session, signal);
  if (audit.kind === 'achieved') {
    // The evidence may end with the reviewer's own full stop; never print two.
    await session.transition('achieve', `Verified: ${audit.evidence.replace(/[.\s]+$/, '')}.`);
    return true;
  }
  await updateProgressGuard(session, false);
  return false;
}

/** The reason shown when a model failure pauses the goal. */
export function modelErrorReason(e: ModelError): string {
  switch (e.kind) {
    case 'quota':
      return `Paused: the model provider says the account is out of quota or credit (${e.message}). Add credit or change the model, then resume.`;
    case 'auth':
      return `Paused: the model endpoint refused the API key (${e.message}). Set a valid key, then resume.`;
    case 'unknown-model':
      return `Paused: the endpoint does not know the model (${e.message}). Change the model setting, then resume.`;
    case 'context-length': {
      const window = e.context.windowTokens;
      const set = window
        ? `The server's window is ${window.toLocaleString('en-US')} tokens: set goalpost.contextWindowTokens / --context-window to ${window} so Goalpost compacts in time, or give the server a larger window`
        : 'Set goalpost.contextWindowTokens / --context-window to the server\'s real window so Goalpost compacts in time, or give the server a larger window';
      return `Paused: the request did not fit the model's context window even after compaction (${e.message}). ${set} (llama-server -c N, vLLM --max-model-len N, Ollama num_ctx), then resume.`;
    }
    case 'server-setup':
      return `Paused: the model server cannot serve Goalpost as it is set up (${e.message}) Fix the server, then resume.`;
    case 'bad-request':
      return `Paused: the model server refused the request (${e.message}). Fix the setting or server option it names, then resume.`;
    default:
      return `Paused after ${e.attempts} tries: ${e.message}. Resume when the endpoint is reachable again.`;
  }
}
