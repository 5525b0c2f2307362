import { strict as assert } from 'node:assert';
import { emptyUsage, newGoal, type Goal, type Task, type TaskStatus } from '../../../../src/engine/goal';
import { budgetLevel, forecast, recordUsage, shouldWarn, tokensOf } from '../../../../src/engine/budget';

function goalWith(tokens: number, budget: number | null, opts: { warned80?: boolean; costUsd?: number; tasks?: TaskStatus[] } = {}): Goal {
  const g = newGoal({
    id: 'g-1',
    folder: '/tmp/x',
    spec: { objective: 'Do the thing properly', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] },
    tokenBudget: budget,
    validation: { commands: [], source: 'none' },
    now: '2026-01-01T00:00:00.000Z',
  });
  const backlog: Task[] = (opts.tasks ?? []).map((status, i) => ({
    id: `t${i + 1}`,
    title: `Task ${i + 1}`,
    details: '',
    acceptance: '',
    status,
    source: 'planner',
    attempts: [],
    blockedReason: null,
    commit: null,
    commands: [],
  }));
  return {
    ...g,
    backlog,
    budget: { tokenBudget: budget, warned80: opts.warned80 ?? false },
    usage: { ...g.usage, total: { ...g.usage.total, tokens, costUsd: opts.costUsd ?? 0 } },
  };
}

describe('engine/budget', () => {
  describe('tokensOf', () => {
    it('counts (input − cached) + output, as Codex does', () => {
      assert.equal(tokensOf({ inputTokens: 20, cachedInputTokens: 5, outputTokens: 8, reasoningTokens: 0 }), 23);
    });
    it('does not add reasoning tokens a second time', () => {
      assert.equal(tokensOf({ inputTokens: 20, cachedInputTokens: 5, outputTokens: 8, reasoningTokens: 6 }), 23);
    });
    it('clamps when cached exceeds input', () => {
      assert.equal(tokensOf({ inputTokens: 5, cachedInputTokens: 20, outputTokens: 8, reasoningTokens: 0 }), 8);
    });
  });

  describe('recordUsage', () => {
    const price = { input: 2, cachedInput: 0.5, output: 8 };
    it('adds one response to the role line and the total, without touching the input', () => {
      const before = emptyUsage();
      const after = recordUsage(before, 'actor', { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 300, reasoningTokens: 100 }, price);
      assert.deepEqual(before, emptyUsage());
      const expected = { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 300, reasoningTokens: 100, requests: 1, tokens: 1100, costUsd: (800 * 2 + 200 * 0.5 + 300 * 8) / 1e6 };
      assert.deepEqual(after.byRole.actor, expected);
      assert.deepEqual(after.total, expected);
      assert.deepEqual(after.byRole.planner, emptyUsage().byRole.planner);
    });
    it('accumulates over roles and requests', () => {
      let u = emptyUsage();
      u = recordUsage(u, 'planner', { inputTokens: 20, cachedInputTokens: 5, outputTokens: 8, reasoningTokens: 2 }, null);
      u = recordUsage(u, 'reviewer', { inputTokens: 10, cachedInputTokens: 0, outputTokens: 1, reasoningTokens: 0 }, price);
      u = recordUsage(u, 'reviewer', { inputTokens: 10, cachedInputTokens: 10, outputTokens: 1, reasoningTokens: 0 }, price);
      assert.equal(u.total.requests, 3);
      assert.equal(u.total.tokens, 23 + 11 + 1);
      assert.equal(u.total.inputTokens, 40);
      assert.equal(u.total.cachedInputTokens, 15);
      assert.equal(u.total.outputTokens, 10);
      assert.equal(u.total.reasoningTokens, 2);
      assert.equal(u.byRole.planner.costUsd, 0);
      assert.equal(u.byRole.reviewer.requests, 2);
      assert.equal(u.byRole.reviewer.tokens, 12);
      assert.ok(Math.abs(u.byRole.reviewer.costUsd - (10 * 2 + 8 + 10 * 0.5 + 8) / 1e6) < 1e-15);
      assert.equal(u.total.costUsd, u.byRole.reviewer.costUsd);
    });
  });

  describe('budgetLevel and shouldWarn', () => {
    it('is ok just under 80 %', () => {
      const l = budgetLevel(goalWith(7999, 10_000));
      assert.deepEqual(l, { used: 7999, budget: 10_000, fraction: 0.7999, level: 'ok' });
      assert.equal(shouldWarn(goalWith(7999, 10_000)), false);
    });
    it('warns at exactly 80 %', () => {
      assert.equal(budgetLevel(goalWith(8000, 10_000)).level, 'warn');
      assert.equal(budgetLevel(goalWith(9999, 10_000)).level, 'warn');
      // 80 % of a budget whose division is inexact in floating point still warns.
      assert.equal(budgetLevel(goalWith(4, 5)).level, 'warn');
    });
    it('is exhausted at exactly 100 % and beyond', () => {
      assert.equal(budgetLevel(goalWith(10_000, 10_000)).level, 'exhausted');
      const over = budgetLevel(goalWith(12_000, 10_000));
      assert.equal(over.level, 'exhausted');
      assert.equal(over.fraction, 1.2);
    });
    it('never warns or stops an unlimited budget', () => {
      assert.deepEqual(budgetLevel(goalWith(5_000_000_000, null)), { used: 5_000_000_000, budget: null, fraction: null, level: 'ok' });
      assert.equal(shouldWarn(goalWith(5_000_000_000, null)), false);
    });
    it('warns once: not again after warned80 is set', () => {
      assert.equal(shouldWarn(goalWith(8000, 10_000)), true);
      assert.equal(shouldWarn(goalWith(10_000, 10_000)), true);
      assert.equal(shouldWarn(goalWith(8000, 10_000, { warned80: true })), false);
    });
  });

  describe('forecast', () => {
    it('is null before any task is done', () => {
      assert.equal(forecast(goalWith(5000, 10_000, { tasks: ['todo', 'in-progress'] })), null);
      assert.equal(forecast(goalWith(0, 10_000)), null);
    });
    it('multiplies the burn rate per done task by the tasks left', () => {
      const f = forecast(goalWith(3000, 10_000, { costUsd: 0.3, tasks: ['done', 'done', 'blocked', 'todo', 'in-progress', 'todo'] }));
      assert.ok(f);
      assert.equal(f.tokensPerTask, 1500);
      assert.equal(f.tasksLeft, 3);
      assert.equal(f.tokensToFinish, 4500);
      assert.ok(Math.abs(f.costToFinish - 0.45) < 1e-12);
      assert.equal(f.willExceedBudget, false);
    });
    it('says when finishing will pass the budget', () => {
      const f = forecast(goalWith(6000, 10_000, { tasks: ['done', 'todo'] }));
      assert.ok(f);
      assert.equal(f.tokensToFinish, 6000);
      assert.equal(f.willExceedBudget, true);
      const unlimited = forecast(goalWith(6000, null, { tasks: ['done', 'todo'] }));
      assert.equal(unlimited?.willExceedBudget, false);
    });
    it('forecasts nothing left when every remaining task is done or blocked', () => {
      const f = forecast(goalWith(1000, 10_000, { tasks: ['done', 'blocked'] }));
      assert.deepEqual(f, { tokensPerTask: 1000, tasksLeft: 0, tokensToFinish: 0, costToFinish: 0, willExceedBudget: false });
    });
  });
});
