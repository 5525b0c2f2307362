// The token budget of F4: the 80 % warning once, the soft stop with one wrap-up request whose summary
// becomes the checkpoint, resume while over budget, and raising the budget to continue the same task.
import * as assert from 'node:assert/strict';
import { tokensOf } from '../../../../src/engine/budget';
import { WRAP_UP_MAX_TOKENS } from '../../../../src/engine/loop/wrapUp';
import { proportionalUsage, replyWithUsage, say, call } from '../../../support/fakes/scriptedModel';
import { approve, draft, finish, firstUserMessage, plan, startGoal, taskById, writeAndFinish, type Started } from './loopKit';

const BUDGET = 60_000;
const WRAP_UP_TEXT = 'State: greet.js half written. Next: finish greet and run npm test.';

/** A goal whose actor spends almost all of the budget on its first response, so the next request cannot fit. */
async function exhaustMidTask(): Promise<Started> {
  const started = await startGoal({ tokenBudget: BUDGET, usage: proportionalUsage(40) });
  const { rig } = started;
  rig.model.script('planner', plan(['Greet', 'Document greet']));
  rig.model.script('actor',
    { kind: 'dynamic', answer: () => {
      // Report exactly what is left minus a little, so used < budget but no request fits any more.
      const used = started.controller.goal?.usage.total.tokens ?? 0;
      return replyWithUsage({ inputTokens: BUDGET - used - 300, outputTokens: 0 }, call('write_file', { path: 'src/greet.js', content: 'half\n' }));
    } },
    say(WRAP_UP_TEXT, { outputTokens: 120 }));
  return started;
}

describe('loop: budget', () => {
  it('warns once at 80 % (observer.warning, warned80, status log) and keeps going', async () => {
    const { rig, controller } = await startGoal({ tokenBudget: 100_000 });
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', ...writeAndFinish('src/greet.js', 'v1\n'));
    // The task review is expensive: it crosses 80 %; the audit review is still allowed after it.
    rig.model.script('reviewer', replyWithUsage({ inputTokens: 80_000 }, call('submit_review', { verdict: 'approve', summary: 'ok', notes: [] })), approve());

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    assert.equal(rig.warnings.length, 1, 'one warning although two requests ended above 80 %');
    assert.match(rig.warnings[0], /^The goal “Add a greet\(name\) function to src\/greet\.js that returns…” has used 8\d % of its token budget \(8\d,\d{3} of 100,000\)\.$/, 'names the objective (cut at a word), not the goal id');
    assert.equal(goal.budget.warned80, true);
    assert.equal(rig.statusLog.lines().filter((l) => l.includes('of its token budget')).length, 1);
  });

  it('stops at the budget with one wrap-up request (no tools, max_tokens set) saved as the checkpoint', async () => {
    const { rig, controller } = await exhaustMidTask();

    const goal = await controller.run();

    assert.equal(goal.status, 'budget-limited');
    assert.match(goal.reason ?? '', /^The token budget is used up \([\d,]+ of 60,000\)\. Raise the budget to continue\.$/);
    const last = rig.model.requests[rig.model.requests.length - 1];
    assert.equal(last.role, 'actor');
    assert.deepEqual(last.request.tools, []);
    assert.equal(last.request.maxTokens, WRAP_UP_MAX_TOKENS);
    assert.match(firstUserMessage(last.request), /# Budget reached/);
    assert.match(firstUserMessage(last.request), /This goal has used [\d,]+ tokens of its 60,000 token budget/);
    assert.equal(rig.model.requests.filter((r) => r.request.tools.length === 0 && r.role === 'actor').length, 1, 'exactly one wrap-up');
    assert.ok(goal.checkpointSummary.includes(`Wrap-up at the budget limit:\n${WRAP_UP_TEXT}`));
    // The overshoot is bounded by the wrap-up request alone.
    const wrapTokens = tokensOf(last.response?.usage ?? { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 });
    assert.ok(goal.usage.total.tokens - wrapTokens <= BUDGET, 'nothing but the wrap-up passed the budget');
    assert.ok(goal.usage.total.tokens - BUDGET <= wrapTokens);
    assert.ok(goal.usage.total.tokens > BUDGET, 'the wrap-up put the goal over budget');
    // The open attempt was closed without counting, and the task stays in progress for later.
    const t1 = taskById(goal, 't1');
    assert.equal(t1.status, 'in-progress');
    assert.deepEqual(t1.attempts.map((a) => a.outcome), ['interrupted']);
    assert.ok(rig.statusLog.has('budget reached: wrap-up summary saved as the checkpoint'));
    assert.ok(rig.statusLog.has('goal: budget-limited: The token budget is used up'));
  });

  it('resuming while over budget stays budget-limited without any request', async () => {
    const { rig, controller } = await exhaustMidTask();
    await controller.run();
    const before = rig.model.requests.length;

    const goal = await controller.resume();

    assert.equal(goal.status, 'budget-limited');
    assert.equal(rig.model.requests.length, before);
    assert.equal(controller.isRunning, false);
  });

  it('raiseBudget + resume continues the same task from the wrap-up checkpoint', async () => {
    const { rig, controller } = await exhaustMidTask();
    await controller.run();
    const before = rig.model.requests.length;
    rig.model.script('actor', ...writeAndFinish('src/greet.js', 'full\n'), ...writeAndFinish('README.md', 'greet docs\n'));
    rig.model.otherwise('reviewer', approve());

    const raised = await controller.raiseBudget(10_000_000);
    assert.equal(raised.budget.tokenBudget, 10_000_000);
    assert.equal(raised.status, 'budget-limited', 'raising alone does not resume');
    assert.ok(rig.statusLog.has('budget set to 10,000,000 tokens'));
    const goal = await controller.resume();

    assert.equal(goal.status, 'achieved');
    const next = rig.model.requests[before];
    assert.equal(next.role, 'actor');
    const text = firstUserMessage(next.request);
    assert.ok(text.includes('[t1] Greet'), 'the same task continues');
    assert.ok(text.includes(WRAP_UP_TEXT), 'from the wrap-up checkpoint');
    assert.match(text, /This is the first attempt at this task\./, 'the interrupted attempt did not count');
    assert.deepEqual(taskById(goal, 't1').attempts.map((a) => [a.n, a.outcome]), [[1, 'finished']], 'the stop added no attempt: the same attempt continued');
    assert.equal(goal.budget.warned80, false);
  });

  it('stops at the top of the loop when a response already spent the whole budget', async () => {
    const { rig, controller } = await startGoal({ tokenBudget: 5_000 });
    rig.model.script('planner', replyWithUsage({ inputTokens: 6_000 }, call('submit_plan', { tasks: [draft('Greet')], validation_commands: [] })));
    rig.model.script('actor', say('Planned one task; nothing done yet.'));

    const goal = await controller.run();

    assert.equal(goal.status, 'budget-limited');
    assert.deepEqual(rig.model.requests.map((r) => r.role), ['planner', 'actor']);
    assert.deepEqual(rig.model.requests[1].request.tools, []);
    assert.equal(goal.backlog.length, 1, 'the plan was kept');
    assert.match(goal.checkpointSummary, /Planned one task; nothing done yet\./);
    assert.equal(rig.warnings.length, 1);
  });

  it('an unlimited budget never warns or stops', async () => {
    const { rig, controller } = await startGoal({ tokenBudget: null, usage: { inputTokens: 5_000_000, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 } });
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', ...writeAndFinish('a.txt', 'a\n'));
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    assert.deepEqual(rig.warnings, []);
    assert.equal(goal.usage.total.tokens, 5 * 5_000_000);
  });

  it('counts cached input at (input − cached) + output', async () => {
    const { rig, controller } = await startGoal({ tokenBudget: null, usage: { inputTokens: 1000, cachedInputTokens: 600, outputTokens: 50, reasoningTokens: 20 } });
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', finish());
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    assert.equal(goal.usage.total.requests, 4);
    assert.equal(goal.usage.total.tokens, 4 * 450);
    assert.equal(goal.usage.byRole.reviewer.tokens, 2 * 450);
    assert.ok(goal.usage.total.costUsd > 0, 'gpt-5.1 has a default price');
  });
});
