// The no-progress guard of F2 and the optional caps: iterations without a file change and without a
// newly passing check end the goal `unmet` with a readable reason.
import * as assert from 'node:assert/strict';
import { call, reply } from '../../../support/fakes/scriptedModel';
import { blocker, finish, plan, requestChanges, startGoal, taskById } from './loopKit';

describe('loop: no-progress guard and caps', () => {
  it('ends unmet after N iterations without a file change or a newly passing check', async () => {
    const { rig, controller } = await startGoal({ settings: { noProgressIterations: 2, maxAttemptsPerTask: 10 } });
    rig.model.script('planner', plan(['Stuck task']));
    rig.model.script('actor', blocker('I cannot see how.'), blocker('Still cannot.'));

    const goal = await controller.run();

    assert.equal(goal.status, 'unmet');
    assert.equal(goal.reason, 'No progress in 2 iterations: no file changed and no check started passing.');
    assert.equal(goal.guards.iterationsWithoutProgress, 2);
    assert.equal(taskById(goal, 't1').status, 'in-progress', 'the task itself was not blocked');
    assert.equal(rig.model.requestsFor('actor').length, 2);
    assert.ok(rig.statusLog.has('goal: unmet: No progress in 2 iterations'));
  });

  it('counts a newly passing check as progress even when the attempt is not accepted', async () => {
    const { rig, controller } = await startGoal({ settings: { noProgressIterations: 2, maxAttemptsPerTask: 3 } });
    rig.model.script('planner', plan(['Fix the test']));
    rig.model.script('actor', finish('Tried.'), finish('Tried again.'), blocker('Out of ideas.'));
    rig.model.script('reviewer', requestChanges('Not convincing.'));
    // Fails on attempt 1, passes on attempt 2 (which the reviewer still rejects).
    rig.runner.on('npm test', [{ exitCode: 1, output: 'FAIL' }, { exitCode: 0, output: 'ok' }]);

    const goal = await controller.run();

    const t1 = taskById(goal, 't1');
    assert.deepEqual(t1.attempts.map((a) => a.outcome), ['checks-failed', 'changes-requested', 'blocker']);
    // Without the newly passing check the guard would have fired after attempt 2 with "No progress".
    assert.equal(goal.status, 'unmet');
    assert.match(goal.reason ?? '', /^Every remaining task is blocked: t1 /);
    assert.equal(goal.guards.iterationsWithoutProgress, 1);
  });

  it('counts files changed by a command (not a file tool) as progress', async () => {
    const { rig, controller } = await startGoal({ settings: { noProgressIterations: 2, maxAttemptsPerTask: 3 } });
    rig.model.script('planner', plan(['Generate code']));
    let generation = 0;
    rig.runner.on('node gen.js', { exitCode: 0, effect: () => rig.workspace.put('gen/out.js', `// generation ${++generation}\n`) });
    const generate = reply(call('run_command', { command: 'node gen.js' }));
    rig.model.script('actor', generate, blocker('Generator output is wrong.'), generate, blocker('Still wrong.'), generate, blocker('Wrong again.'));

    const goal = await controller.run();

    assert.equal(generation, 3);
    assert.equal(goal.guards.iterationsWithoutProgress, 0);
    assert.match(goal.reason ?? '', /^Every remaining task is blocked/);
    assert.ok(taskById(goal, 't1').attempts[0].filesChanged.includes('gen/out.js'),
      'the attempt records files changed outside the file tools too');
  });

  it('stops at maxIterations with the cap in the reason', async () => {
    const { rig, controller } = await startGoal({ settings: { maxIterations: 2, maxAttemptsPerTask: 10, noProgressIterations: 10 } });
    rig.model.script('planner', plan(['Endless']));
    rig.model.otherwise('actor', blocker('Nope.'));

    const goal = await controller.run();

    assert.equal(goal.status, 'unmet');
    assert.equal(goal.reason, 'Stopped: the iteration cap (2) was reached with 1 task not done.');
    assert.equal(rig.model.requestsFor('actor').length, 2);
  });

  it('stops at the wall-clock cap', async () => {
    const { rig, controller } = await startGoal({ settings: { maxWallClockMinutes: 5, maxAttemptsPerTask: 10, noProgressIterations: 10 } });
    rig.model.script('planner', plan(['Slow']));
    rig.model.otherwise('actor', {
      kind: 'dynamic',
      answer: () => {
        rig.clock.advance(3 * 60_000); // each attempt takes three minutes
        return blocker('Slow going.');
      },
    });

    const goal = await controller.run();

    assert.equal(goal.status, 'unmet');
    assert.equal(goal.reason, 'Stopped: the wall-clock cap (5 min) was reached.');
    assert.equal(rig.model.requestsFor('actor').length, 2);
  });

  it('sleeps iterationDelayMs between iterations', async () => {
    const { rig, controller } = await startGoal({ settings: { iterationDelayMs: 1500, noProgressIterations: 3, maxAttemptsPerTask: 10 } });
    rig.model.script('planner', plan(['Sleepy']));
    rig.model.otherwise('actor', blocker('No.'));

    const goal = await controller.run();

    assert.equal(goal.status, 'unmet');
    assert.deepEqual(rig.clock.sleeps, [1500, 1500], 'after iterations 1 and 2; the 3rd ends the goal');
  });
});
