// The offline demo of PRODUCT.md F11: what makes a goal a demo goal, and the goal it pursues. The demo
// plays a scripted session (no model, no network, no tokens billed) on the sample workspace, so a
// newcomer sees the whole loop. Everything about it is labelled DEMO: its id and so its branch
// (`goalpost/demo-…`), its log lines, the panel and the status bar.
import type { Goal, GoalSpec } from './goal';
import { newGoalId } from './ids';
import type { EngineSettings } from './settings';

/** The model name the demo's scripted model answers as; priced at $0. */
export const DEMO_MODEL = 'goalpost-demo';

/** Every demo goal id starts with this, so its branch is `goalpost/demo-…`. */
export const DEMO_ID_PREFIX = 'demo-';

/** The label put before each demo log line and shown beside the goal. */
export const DEMO_LABEL = 'DEMO';

/** `demo-20261121-152451-k3x9`. */
export function demoGoalId(now: Date, random: () => number = Math.random): string {
  return `${DEMO_ID_PREFIX}${newGoalId(now, random).replace(/^g-/, '')}`;
}

/** True for a goal the offline demo started. */
export function isDemoGoal(goal: Pick<Goal, 'id'> | null | undefined): boolean {
  return goal !== null && goal !== undefined && goal.id.startsWith(DEMO_ID_PREFIX);
}

/** The demo's goal: small enough to finish in two tasks, real enough to need real checks. */
export const DEMO_SPEC: GoalSpec = {
  objective: 'Add a multiply(a, b) function to the sample calculator in src/calc.js, cover it with a test, and document the calculator\'s functions in README.md.',
  acceptanceCriteria: [
    'multiply(3, 4) returns 12',
    '`npm test` passes',
    'README.md lists add, divide and multiply',
  ],
  nonGoals: ['changing add or divide'],
  constraints: [],
  validationCommands: ['npm test'],
};

/**
 * The settings a demo runs with, over the user's: the scripted model for every role (priced at $0),
 * a review of every task, commits on a `goalpost/demo-…` branch, a short pause between iterations.
 */
export function demoSettings(base: EngineSettings): EngineSettings {
  return {
    ...base,
    model: DEMO_MODEL,
    planModel: '',
    reviewModel: '',
    reviewFrequency: 'every-task',
    branchMode: 'goal-branch',
    validationCommands: [],
    maxIterations: 0,
    iterationDelayMs: Math.min(base.iterationDelayMs, 500),
    prices: { ...base.prices, [DEMO_MODEL]: { input: 0, cachedInput: 0, output: 0 } },
  };
}

/** A demo's budget: generous for its ~15 requests, so the gauge shows a little use and never stops it. */
export const DEMO_TOKEN_BUDGET = 200_000;
