// The goal state machine of PRODUCT.md F3 as an explicit transition table, so every legal move can be
// enumerated (tests, docs) and anything else is refused with a message naming the state and the event.
import type { Goal, GoalStatus, Phase } from './goal';

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
 * target gets no reason.
 */
export function transition(goal: Goal, event: GoalEvent, reason: string | null, now: Date): Goal {
  const target = nextStatus(goal.status, event);
  if (target === null) throw new IllegalTransitionError(goal.status, event);
  const trimmed = reason?.trim() ?? '';
  if (target !== 'pursuing' && trimmed === '') throw new MissingReasonError(target, event);
  return {
    ...goal,
    status: target,
    reason: target === 'pursuing' ? null : trimmed,
    phase: phaseAfter(goal, target),
    updatedAt: now.toISOString(),
    endedAt: ENDED.has(target) ? now.toISOString() : target === 'pursuing' ? null : goal.endedAt,
  };
}
