import { strict as assert } from 'node:assert';
import { newGoal, type Goal, type GoalStatus, type Phase } from '../../../../src/engine/goal';
import {
  GOAL_EVENTS,
  GOAL_STATUSES,
  IllegalTransitionError,
  MissingReasonError,
  TRANSITIONS,
  acceptsChanges,
  canResume,
  canTransition,
  isEnded,
  isLive,
  transition,
  type GoalEvent,
} from '../../../../src/engine/stateMachine';

const CREATED = '2026-01-01T00:00:00.000Z';
const NOW = new Date('2026-01-02T03:04:05.000Z');

// Written out independently of the implementation's table, from PRODUCT.md F3 and the task brief.
const EXPECTED: Record<GoalStatus, Partial<Record<GoalEvent, GoalStatus>>> = {
  pursuing: { pause: 'paused', error: 'paused', achieve: 'achieved', fail: 'unmet', 'exhaust-budget': 'budget-limited', clear: 'cleared' },
  paused: { resume: 'pursuing', 'exhaust-budget': 'budget-limited', clear: 'cleared' },
  'budget-limited': { resume: 'pursuing', clear: 'cleared' },
  unmet: { resume: 'pursuing', clear: 'cleared' },
  achieved: { resume: 'pursuing', clear: 'cleared' },
  cleared: {},
};
const ALL_STATUSES: GoalStatus[] = ['pursuing', 'paused', 'achieved', 'unmet', 'budget-limited', 'cleared'];
const ALL_EVENTS: GoalEvent[] = ['pause', 'error', 'resume', 'achieve', 'fail', 'exhaust-budget', 'clear'];

function goalIn(status: GoalStatus, phase: Phase | null = 'act'): Goal {
  const g = newGoal({
    id: 'g-1',
    folder: '/tmp/x',
    spec: { objective: 'Do the thing properly', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] },
    tokenBudget: 1000,
    validation: { commands: [], source: 'none' },
    now: CREATED,
  });
  const ended = status === 'pursuing' || status === 'paused' ? null : CREATED;
  return { ...g, status, phase, reason: status === 'pursuing' ? null : 'earlier reason', endedAt: ended };
}

describe('engine/stateMachine', () => {
  it('enumerates every status and event of the goal record', () => {
    assert.deepEqual([...GOAL_STATUSES].sort(), [...ALL_STATUSES].sort());
    assert.deepEqual([...GOAL_EVENTS].sort(), [...ALL_EVENTS].sort());
    assert.deepEqual(TRANSITIONS, EXPECTED);
  });

  describe('every (state, event) pair', () => {
    for (const status of ALL_STATUSES) {
      for (const event of ALL_EVENTS) {
        const target = EXPECTED[status][event];
        if (target !== undefined) {
          it(`${status} --${event}--> ${target}`, () => {
            assert.equal(canTransition(status, event), true);
            const next = transition(goalIn(status), event, 'because', NOW);
            assert.equal(next.status, target);
          });
        } else {
          it(`${status} refuses ${event}`, () => {
            assert.equal(canTransition(status, event), false);
            assert.throws(
              () => transition(goalIn(status), event, 'because', NOW),
              (e: unknown) =>
                e instanceof IllegalTransitionError &&
                e.message === `Cannot "${event}" a goal that is ${status}.` &&
                e.status === status &&
                e.event === event,
            );
          });
        }
      }
    }
  });

  it('returns a new goal and leaves the input untouched', () => {
    const before = goalIn('pursuing');
    const copy = structuredClone(before);
    const next = transition(before, 'pause', 'Paused by the user.', NOW);
    assert.notEqual(next, before);
    assert.deepEqual(before, copy);
    assert.equal(next.updatedAt, NOW.toISOString());
  });

  it('keeps the phase on pause and on error, so resume continues the same phase', () => {
    const paused = transition(goalIn('pursuing', 'review'), 'pause', 'Paused by the user.', NOW);
    assert.equal(paused.phase, 'review');
    assert.equal(paused.reason, 'Paused by the user.');
    assert.equal(paused.endedAt, null);
    const errored = transition(goalIn('pursuing', 'test'), 'error', 'Network unreachable after 5 tries.', NOW);
    assert.equal(errored.status, 'paused');
    assert.equal(errored.phase, 'test');
    const resumed = transition(paused, 'resume', null, NOW);
    assert.equal(resumed.phase, 'review');
    assert.equal(resumed.reason, null);
  });

  it('resumes into plan when no phase was stored', () => {
    const next = transition(goalIn('unmet', null), 'resume', null, NOW);
    assert.equal(next.status, 'pursuing');
    assert.equal(next.phase, 'plan');
  });

  it('drops the phase and sets endedAt when the goal ends, and clears endedAt on resume', () => {
    for (const [event, target] of [['achieve', 'achieved'], ['fail', 'unmet'], ['exhaust-budget', 'budget-limited'], ['clear', 'cleared']] as const) {
      const next = transition(goalIn('pursuing', 'act'), event, 'the reason', NOW);
      assert.equal(next.status, target);
      assert.equal(next.phase, null, event);
      assert.equal(next.endedAt, NOW.toISOString(), event);
      assert.equal(next.reason, 'the reason');
    }
    const limited = transition(goalIn('paused', 'act'), 'exhaust-budget', 'Budget used up.', NOW);
    assert.equal(limited.phase, null);
    const resumed = transition(limited, 'resume', null, new Date('2026-01-03T00:00:00.000Z'));
    assert.equal(resumed.endedAt, null);
    assert.equal(resumed.phase, 'plan');
  });

  it('requires a non-empty reason for every target but pursuing', () => {
    for (const status of ALL_STATUSES) {
      for (const event of ALL_EVENTS) {
        const target = EXPECTED[status][event];
        if (target === undefined || target === 'pursuing') continue;
        for (const reason of [null, '', '   ']) {
          assert.throws(() => transition(goalIn(status), event, reason, NOW), MissingReasonError, `${status} ${event} ${String(reason)}`);
        }
      }
    }
  });

  it('sets the reason to null when pursuing, whatever was passed', () => {
    const next = transition(goalIn('paused'), 'resume', 'ignored', NOW);
    assert.equal(next.reason, null);
  });

  it('answers the status questions every caller asks (one authority; written out from F3)', () => {
    const answers = ALL_STATUSES.map((s) => [s, isEnded(s), isLive(s), canResume(s), acceptsChanges(s)]);
    assert.deepEqual(answers, [
      // status, ended, live (blocks a new goal), resumable by a run, accepts changes
      ['pursuing', false, true, true, true],
      ['paused', false, true, true, true],
      ['achieved', true, false, false, false],
      ['unmet', true, false, true, true],
      ['budget-limited', true, true, true, true],
      ['cleared', true, false, false, false],
    ]);
  });

  it('records the pause cause as data: pause → user, error → fault, exhaust-budget → budget, or what the caller names', () => {
    assert.deepEqual(transition(goalIn('pursuing'), 'pause', 'Paused.', NOW).pause, { cause: 'user', errorKind: null });
    assert.deepEqual(transition(goalIn('pursuing'), 'error', 'Disk full.', NOW).pause, { cause: 'fault', errorKind: null });
    assert.deepEqual(transition(goalIn('paused'), 'exhaust-budget', 'Used up.', NOW).pause, { cause: 'budget', errorKind: null });
    const auth = transition(goalIn('pursuing'), 'error', 'Bad key.', NOW, { cause: 'model-error', errorKind: 'auth' });
    assert.deepEqual(auth.pause, { cause: 'model-error', errorKind: 'auth' });
    assert.equal(transition(auth, 'resume', null, NOW).pause, null, 'resuming clears the cause');
    assert.equal(transition(goalIn('pursuing'), 'fail', 'No.', NOW).pause, null, 'an ending is not a pause');
  });
});
