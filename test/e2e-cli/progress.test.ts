// The parts of the CLI that need no child process: the live progress line on a terminal, and flag
// parsing that names the bad flag (the e2e tests cover the plain and JSON modes through the binary).
import assert from 'node:assert/strict';
import { newGoal } from '../../src/engine/goal';
import { CliError } from '../../src/cli/exitCodes';
import { parseBudgetText, parseFlags, RunFlags } from '../../src/cli/flags';
import { Progress, type OutStream } from '../../src/cli/progress';

function terminal(): OutStream & { text: string } {
  const stream = { text: '', isTTY: true, columns: 200, write(s: string): boolean { stream.text += s; return true; } };
  return stream;
}

describe('goalpost CLI: progress and flags', () => {
  it('keeps a live line on a terminal with phase, task, tokens/budget and dollars, and prints events above it', () => {
    const out = terminal();
    const err = terminal();
    const progress = new Progress({ mode: 'tty', logLevel: 'info', out, err });
    const goal = newGoal({
      id: 'g1', folder: '/tmp/x', tokenBudget: 100_000, validation: { commands: [], source: 'none' }, now: new Date().toISOString(),
      spec: { objective: 'o', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] },
    });
    goal.phase = 'act';
    goal.backlog = [{ id: 't2', title: 'Fix the parser', details: '', acceptance: '', status: 'in-progress', source: 'planner', attempts: [], blockedReason: null, commit: null, commands: [] }];
    goal.usage.total.tokens = 12_345;
    goal.usage.total.costUsd = 0.42;
    const observer = progress.observer();
    observer.goalChanged?.(goal);
    const live = out.text.split('\r\x1b[2K').pop() ?? '';
    assert.match(live, /act · iter 0 · t2 Fix the parser · 12,345 \/ 100,000 tok \(12 %\) · \$0\.42/);
    // Today at 10:00 local: the line shows the local clock alone (src/timeFormat.ts), not a UTC slice.
    const at = new Date();
    at.setHours(10, 0, 0, 0);
    observer.status?.({ at, goalId: 'g1', phase: 'test', message: '`npm test` → exit 0' });
    // The event line is printed on a cleared line, then the live line is drawn again below it.
    assert.match(out.text, /\r\x1b\[2K10:00:00 test    `npm test` → exit 0\n\r\x1b\[2K. act/);
    // An event from another day (a run past midnight) carries its local date.
    const earlier = new Date(2026, 0, 1, 9, 5, 7);
    observer.status?.({ at: earlier, goalId: 'g1', phase: 'goal', message: 'resumed' });
    assert.match(out.text, /\r\x1b\[2K2026-01-01 09:05:07 goal    resumed\n/);
    progress.stop();
    assert.ok(out.text.endsWith('\r\x1b[2K'), 'the live line is cleared at the end');
  });

  it('parses budgets and names the flag of a bad value', () => {
    assert.equal(parseBudgetText('250k'), 250_000);
    assert.equal(parseBudgetText('1.5m'), 1_500_000);
    assert.equal(parseBudgetText('2_000_000'), 2_000_000);
    assert.equal(parseBudgetText('unlimited'), null);
    assert.equal(parseBudgetText('0'), null);
    assert.equal(parseBudgetText('-5'), undefined);
    const flags = parseFlags(RunFlags, { objective: ['fix', 'it'], budget: '10k', maxSteps: '12', validate: ['npm test'] });
    assert.equal(flags.objective, 'fix it');
    assert.equal(flags.budget, 10_000);
    assert.equal(flags.maxSteps, 12);
    assert.throws(() => parseFlags(RunFlags, { maxSteps: '900' }), (e: unknown) => e instanceof CliError && /--max-steps \(got "900"\): must be at most 500/.test(e.message));
    assert.throws(() => parseFlags(RunFlags, { iterationDelayMs: 'soon' }), (e: unknown) => e instanceof CliError && /--iteration-delay-ms/.test(e.message) && e.exitCode === 1);
  });
});
