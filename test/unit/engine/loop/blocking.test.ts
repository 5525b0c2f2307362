// When a task cannot be done: BLOCKED after maxAttemptsPerTask or after the same blocker three attempts
// in a row, and `unmet` once every remaining task is blocked, with reasons a user can read.
import * as assert from 'node:assert/strict';
import { approve, blocker, finish, plan, startGoal, taskById, write, writeAndFinish } from './loopKit';

describe('loop: blocked tasks', () => {
  it('blocks a task after maxAttemptsPerTask failed attempts and moves on to the next one', async () => {
    const { rig, controller } = await startGoal({ settings: { maxAttemptsPerTask: 2, noProgressIterations: 10 } });
    rig.model.script('planner', plan(['Hard task', 'Easy task']));
    rig.model.script('actor',
      ...writeAndFinish('hard.js', 'try 1\n'),
      ...writeAndFinish('hard.js', 'try 2\n'),
      ...writeAndFinish('easy.js', 'easy\n'));
    rig.model.otherwise('reviewer', approve());
    // Fails for the two attempts at the hard task, then passes.
    rig.runner.on('npm test', [{ exitCode: 1, output: 'FAIL hard' }, { exitCode: 1, output: 'FAIL hard' }, { exitCode: 0 }]);

    const goal = await controller.run();

    const hard = taskById(goal, 't1');
    assert.equal(hard.status, 'blocked');
    assert.equal(hard.blockedReason, '2 attempts without success (last: validation checks failed)');
    assert.deepEqual(hard.attempts.map((a) => a.outcome), ['checks-failed', 'checks-failed']);
    assert.equal(hard.commit, null);
    assert.equal(taskById(goal, 't2').status, 'done');
    assert.equal(goal.commits.length, 1);
    assert.ok(rig.statusLog.has('iterate: t1 BLOCKED: 2 attempts without success (last: validation checks failed)'));
    // The task review never ran for failed checks: the only reviews are the easy task's.
    assert.deepEqual(goal.reviews.map((r) => r.taskId), ['t2']);
    assert.equal(goal.status, 'unmet');
    assert.equal(goal.reason, 'Every remaining task is blocked: t1 “Hard task” (2 attempts without success (last: validation checks failed)).');
    assert.ok(rig.statusLog.has('goal: unmet: Every remaining task is blocked'));
  });

  it('ends unmet listing every blocked task when all remaining tasks are blocked', async () => {
    const { rig, controller } = await startGoal({ settings: { maxAttemptsPerTask: 1, noProgressIterations: 10 } });
    rig.model.script('planner', plan(['Needs a key', 'Needs a server']));
    rig.model.script('actor', blocker('No API key is available.'), blocker('The staging server is down.'));

    const goal = await controller.run();

    assert.equal(goal.status, 'unmet');
    assert.equal(goal.reason,
      'Every remaining task is blocked: t1 “Needs a key” (1 attempts without success (last: blocker: No API key is available.)); '
      + 't2 “Needs a server” (1 attempts without success (last: blocker: The staging server is down.)).');
    assert.equal(taskById(goal, 't1').attempts[0].blocker, 'No API key is available.');
    assert.equal(rig.model.requestsFor('reviewer').length, 0, 'no audit runs while tasks are blocked');
  });

  it('blocks a task when the same blocker is reported three attempts in a row', async () => {
    const { rig, controller } = await startGoal({ settings: { maxAttemptsPerTask: 10, noProgressIterations: 10 } });
    rig.model.script('planner', plan(['Call the API']));
    rig.model.script('actor',
      blocker('Missing the API key.'),
      blocker('missing the  API key.'), // same blocker, spaced and cased differently
      blocker('Missing the API key.'));

    const goal = await controller.run();

    const t1 = taskById(goal, 't1');
    assert.equal(t1.attempts.length, 3);
    assert.equal(t1.status, 'blocked');
    assert.equal(t1.blockedReason, 'the same blocker was reported 3 times: Missing the API key.');
    assert.equal(goal.guards.sameBlockerCount, 3);
    assert.equal(goal.status, 'unmet');
    assert.match(goal.reason ?? '', /the same blocker was reported 3 times/);
  });

  it('resets the same-blocker count when a different blocker comes between', async () => {
    const { rig, controller } = await startGoal({ settings: { maxAttemptsPerTask: 10, noProgressIterations: 10 } });
    rig.model.script('planner', plan(['Flaky']));
    rig.model.script('actor',
      blocker('Disk full.'),
      blocker('Disk full.'),
      blocker('Network down.'),
      blocker('Disk full.'),
      write('f.txt', 'x\n'),
      finish());
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    const t1 = taskById(goal, 't1');
    assert.deepEqual(t1.attempts.map((a) => a.outcome), ['blocker', 'blocker', 'blocker', 'blocker', 'finished']);
    assert.equal(t1.status, 'done');
    assert.equal(goal.status, 'achieved');
  });
});
