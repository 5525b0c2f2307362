// The review phase: how often the reviewer runs (F2 step 4), and how its notes and failing checks feed
// the next attempt of the same task.
import * as assert from 'node:assert/strict';
import type { ReviewFrequency } from '../../../../src/engine/settings';
import { approve, finish, firstUserMessage, plan, requestChanges, startGoal, taskById, writeAndFinish } from './loopKit';

async function reviewerRequests(frequency: ReviewFrequency, tasks: number): Promise<{ requests: number; reviewed: (string | null)[]; reason: string }> {
  const { rig, controller } = await startGoal({ settings: { reviewFrequency: frequency, reviewEveryNTasks: 2 } });
  const titles = Array.from({ length: tasks }, (_, i) => `Task ${i + 1}`);
  rig.model.script('planner', plan(titles));
  for (let i = 1; i <= tasks; i++) rig.model.script('actor', ...writeAndFinish(`f${i}.txt`, `${i}\n`));
  rig.model.otherwise('reviewer', approve('Fine.'));
  const goal = await controller.run();
  assert.equal(goal.status, 'achieved');
  assert.equal(goal.commits.length, tasks);
  return { requests: rig.model.requestsFor('reviewer').length, reviewed: goal.reviews.map((r) => r.taskId), reason: goal.reason ?? '' };
}

describe('loop: review', () => {
  it('every-task reviews each finished task and the completion audit', async () => {
    const r = await reviewerRequests('every-task', 3);
    assert.equal(r.requests, 4);
    assert.deepEqual(r.reviewed, ['t1', 't2', 't3', null]);
  });

  it('every-n-tasks reviews every Nth finished task and the audit', async () => {
    const r = await reviewerRequests('every-n-tasks', 4);
    assert.equal(r.requests, 3);
    assert.deepEqual(r.reviewed, ['t2', 't4', null]);
  });

  it('audit-only reviews only at the completion audit', async () => {
    const r = await reviewerRequests('audit-only', 3);
    assert.equal(r.requests, 1);
    assert.deepEqual(r.reviewed, [null]);
    assert.match(r.reason, /the completion audit approved: Fine\./);
  });

  it('off never asks the reviewer; the audit still runs the checks', async () => {
    const r = await reviewerRequests('off', 3);
    assert.equal(r.requests, 0);
    assert.deepEqual(r.reviewed, []);
    assert.equal(r.reason, 'Verified: 1 validation check passed (npm test); the reviewer is off.');
  });

  it('the next attempt gets the review notes when the reviewer requests changes', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', ...writeAndFinish('src/greet.js', 'v1\n'), ...writeAndFinish('src/greet.js', 'v2\n'));
    rig.model.script('reviewer',
      requestChanges('Empty names are not handled.', [
        { path: 'src/greet.js', line: 3, severity: 'error', message: 'greet("") returns "Hello, !"; return "Hello!" instead.' },
        { path: 'src/greet.js', line: 1, severity: 'info', message: 'Consider a JSDoc comment.' },
      ]),
      approve(),
      approve());

    const goal = await controller.run();

    const starts = rig.model.requestsFor('actor').filter((r) => r.messages.length === 2);
    assert.equal(starts.length, 2);
    const second = firstUserMessage(starts[1]);
    assert.match(second, /Attempt 1 ended: changes-requested\./);
    assert.match(second, /The reviewer requested changes: Empty names are not handled\./);
    assert.ok(second.includes('- error src/greet.js:3 greet("") returns "Hello, !"; return "Hello!" instead.'));
    assert.ok(second.includes('- info src/greet.js:1 Consider a JSDoc comment.'));
    assert.ok(!firstUserMessage(starts[0]).includes('The reviewer requested changes'));
    const t1 = taskById(goal, 't1');
    assert.deepEqual(t1.attempts.map((a) => [a.outcome, a.reviewId]), [['changes-requested', 'r1'], ['finished', 'r2']]);
    assert.equal(goal.status, 'achieved');
    // The review of attempt 1 saw the diff of that attempt.
    const firstReview = firstUserMessage(rig.model.requestsFor('reviewer')[0]);
    assert.ok(firstReview.includes('+v1'));
    assert.ok(firstReview.includes('$ npm test  → exit 0'));
  });

  it('the next attempt gets the failing check output', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', ...writeAndFinish('src/greet.js', 'v1\n'), ...writeAndFinish('src/greet.js', 'v2\n'));
    rig.model.otherwise('reviewer', approve());
    rig.runner.on('npm test', [
      { exitCode: 1, output: 'not ok 1 greet\n  AssertionError: expected "Hello, Ada" to equal "Hello, Ada!"\n' },
      { exitCode: 0, output: 'ok 1 greet\n' },
    ]);

    const goal = await controller.run();

    const starts = rig.model.requestsFor('actor').filter((r) => r.messages.length === 2);
    const second = firstUserMessage(starts[1]);
    assert.match(second, /Attempt 1 ended: checks-failed\./);
    assert.match(second, /Failing checks:\n\$ npm test {2}→ exit 1/);
    assert.ok(second.includes('AssertionError: expected "Hello, Ada" to equal "Hello, Ada!"'));
    assert.equal(taskById(goal, 't1').attempts[0].checks[0].output.includes('AssertionError'), true);
    assert.equal(goal.status, 'achieved');
  });

  it('a reviewer that never submits a verdict does not approve', async () => {
    const { rig, controller } = await startGoal({ settings: { maxAttemptsPerTask: 1 } });
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', finish());
    rig.model.script('reviewer', { kind: 'reply', content: 'Looks fine to me!', calls: [] }, { kind: 'reply', content: 'Yes.', calls: [] });

    const goal = await controller.run();

    assert.equal(goal.reviews[0].verdict, 'request_changes');
    assert.match(goal.reviews[0].summary, /did not submit a verdict \(no-submit\)/);
    assert.equal(taskById(goal, 't1').attempts[0].outcome, 'changes-requested');
    assert.equal(goal.status, 'unmet');
  });
});
