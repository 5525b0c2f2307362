// The goal state machine of PRODUCT.md F3 as an explicit transition table, so every legal move can be
// enumerated (tests, docs) and anything else is refused with a message naming the state and the event.
import type { Goal, GoalPause, GoalStatus, Phase } from './goal';

/** What can happen to a goal; `error` is a model or network failure, which pauses (never fails) the goal. */
export type GoalEvent = 'pause' | 'error' | 'resume' | 'achieve' | 'fail' | 'exhaust-budget' | 'clear';

/** Every event, in a stable order, for enumerating the table. */
export const GOAL_EVENTS: readonly GoalEvent[] = ['pause', 'error', 'resume', 'achieve', 'fail', 'exhaust-budget', 'clear'];

/** Every status, in a stable order, for enumerating the table. */
export const GOAL_STATUSES: readonly GoalStatus[] = ['pursuing', 'paused', 'achieved', 'unmet', 'budget-limited', 'cleared'];

/** The transition table: state → event → next state. A missing entry is an illegal transition. */
export type TransitionTable = Readonly<Record<GoalStatus, Readonly<Partial<Record<GoalEvent, GoalStatus>>>>>;

/** The legal transitions of F3; `cleared` is terminal. */
export const TRANSITIONS: TransitionTable = Object.freeze({
  pursuing: Object.freeze({
    pause: 'paused',
    error: 'paused',
    achieve: 'achieved',
    fail: 'unmet',
    'exhaust-budget': 'budget-limited',
    clear: 'cleared',
  }),
  paused: Object.freeze({ resume: 'pursuing', 'exhaust-budget': 'budget-limited', clear: 'cleared' }),
  'budget-limited': Object.freeze({ resume: 'pursuing', clear: 'cleared' }),
  unmet: Object.freeze({ resume: 'pursuing', clear: 'cleared' }),
  // Resumable so review notes sent back to the agent after the fact continue the same goal (and the
  // completion audit verifies it again).
  achieved: Object.freeze({ resume: 'pursuing', clear: 'cleared' }),
  cleared: Object.freeze({}),
} satisfies Record<GoalStatus, Partial<Record<GoalEvent, GoalStatus>>>);

/** States in which the goal has ended (endedAt is set). */
const ENDED: ReadonlySet<GoalStatus> = new Set<GoalStatus>(['achieved', 'unmet', 'budget-limited', 'cleared']);

/** States a goal is still being pursued in, so no new goal may start over it: resume or clear it first. */
const LIVE: ReadonlySet<GoalStatus> = new Set<GoalStatus>(['pursuing', 'paused', 'budget-limited']);

// The questions every caller asks of a status, answered here once (the engine, the CLI and the editor
// used to keep their own lists, and they disagreed).

/** True when the goal has ended: endedAt is set (`budget-limited` counts, though it can be resumed). */
export function isEnded(status: GoalStatus): boolean {
  return ENDED.has(status);
}

/** True while the goal occupies its folder: a new goal cannot be started until it is resumed to an end or cleared. */
export function isLive(status: GoalStatus): boolean {
  return LIVE.has(status);
}

/**
 * True when a run can continue the goal: a `pursuing` goal whose run stopped (crash, detach) and every
 * state the table lets `resume`, except `achieved`, which only a review sent back re-opens.
 */
export function canResume(status: GoalStatus): boolean {
  return status === 'pursuing' || (status !== 'achieved' && canTransition(status, 'resume'));
}

/** True when the goal's spec, budget or backlog may still be changed: achieved and cleared goals are history. */
export function acceptsChanges(status: GoalStatus): boolean {
  return status !== 'achieved' && status !== 'cleared';
}

/** The cause an event records when the caller names none. */
function defaultPause(event: GoalEvent): GoalPause | null {
  if (event === 'pause') return { cause: 'user', errorKind: null };
  if (event === 'error') return { cause: 'fault', errorKind: null };
  if (event === 'exhaust-budget') return { cause: 'budget', errorKind: null };
  return null;
}

/** Thrown for a (state, event) pair the table does not allow. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly status: GoalStatus,
    readonly event: GoalEvent,
  ) {
    super(`Cannot "${event}" a goal that is ${status}.`);
    this.name = 'IllegalTransitionError';
  }
}

/** Thrown when a transition into a state other than `pursuing` comes without a reason the user can read. */
export class MissingReasonError extends Error {
  constructor(
    readonly target: GoalStatus,
    readonly event: GoalEvent,
  ) {
    super(`A goal that becomes ${target} (event "${event}") needs a reason the user can read.`);
    this.name = 'MissingReasonError';
  }
}

/** The state `event` leads to from `status`, or null when the table does not allow it. */
export function nextStatus(status: GoalStatus, event: GoalEvent): GoalStatus | null {
  return TRANSITIONS[status][event] ?? null;
}

/** True when the table allows `event` in `status`. */
export function canTransition(status: GoalStatus, event: GoalEvent): boolean {
  return nextStatus(status, event) !== null;
}

/** The phase after the move: pause/error keep it so resume continues the same phase; endings drop it. */
function phaseAfter(goal: Goal, target: GoalStatus): Phase | null {
  if (target === 'pursuing') return goal.phase ?? 'plan';
  if (target === 'paused') return goal.phase;
  return null;
}

/**
 * Applies `event` to `goal` and returns a new goal (the input is not touched). Throws
 * IllegalTransitionError for a move the table forbids and MissingReasonError when a non-pursuing
 * target gets no reason. `pause` is the cause recorded on a goal that becomes paused or budget-limited
 * (by default: pause → user, error → fault, exhaust-budget → budget); any other target clears it.
 */
export function transition(goal: Goal, event: GoalEvent, reason: string | null, now: Date, pause?: GoalPause): Goal {
  const target = nextStatus(goal.status, event);
  if (target === null) throw new IllegalTransitionError(goal.status, event);
  const trimmed = reason?.trim() ?? '';
  if (target !== 'pursuing' && trimmed === '') throw new MissingReasonError(target, event);
  return {
    ...goal,
    status: target,
    reason: target === 'pursuing' ? null : trimmed,
    pause: target === 'paused' || target === 'budget-limited' ? (pause ?? defaultPause(event) ?? goal.pause) : null,
    phase: phaseAfter(goal, target),
    updatedAt: now.toISOString(),
    endedAt: ENDED.has(target) ? now.toISOString() : target === 'pursuing' ? null : goal.endedAt,
  };
}
