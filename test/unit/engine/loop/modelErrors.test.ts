// Model failures (F3): the client retries transient ones itself; what reaches the loop pauses the goal
// (never `unmet`) with a reason that says what to do, and nothing is lost for resume.
import * as assert from 'node:assert/strict';
import { ModelError } from '../../../../src/engine/ports';
import { fail } from '../../../support/fakes/scriptedModel';
import { approve, plan, startGoal, taskById, writeAndFinish } from './loopKit';

describe('loop: model errors', () => {
  it('quota exhausted → paused with the quota reason', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', fail('quota', 'You exceeded your current quota, please check your plan and billing details.', 429));

    const goal = await controller.run();

    assert.equal(goal.status, 'paused');
    assert.match(goal.reason ?? '', /out of quota or credit/);
    assert.match(goal.reason ?? '', /You exceeded your current quota/);
    assert.match(goal.reason ?? '', /Add credit or change the model, then resume\./);
    assert.equal(goal.phase, 'plan');
    assert.deepEqual(goal.pause, { cause: 'model-error', errorKind: 'quota' });
    assert.ok(rig.statusLog.has('goal: paused: Paused: the model provider says the account is out of quota'));
  });

  it('auth refused → paused asking for a valid key', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', fail('auth', 'Incorrect API key provided.', 401));

    const goal = await controller.run();

    assert.equal(goal.status, 'paused');
    assert.match(goal.reason ?? '', /refused the API key \(Incorrect API key provided\.\)\. Set a valid key, then resume\./);
    assert.deepEqual(goal.pause, { cause: 'model-error', errorKind: 'auth' }, 'the editor offers Set API Key from this, not from the text');
    assert.deepEqual(taskById(goal, 't1').attempts.map((a) => a.outcome), ['interrupted'], 'the open attempt is closed without counting');
  });

  it('an exhausted retry (network) pauses with the number of tries, and resume carries on', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', { kind: 'error', error: new ModelError('network', 'connect ECONNREFUSED 127.0.0.1:11434', null, 5) });

    const paused = await controller.run();

    assert.equal(paused.status, 'paused');
    assert.match(paused.reason ?? '', /^Paused after 5 tries: connect ECONNREFUSED/);
    rig.model.script('actor', ...writeAndFinish('g.js', 'g\n'));
    rig.model.otherwise('reviewer', approve());
    const done = await controller.resume();
    assert.equal(done.status, 'achieved');
    assert.deepEqual(taskById(done, 't1').attempts.map((a) => a.outcome), ['finished'], 'the pause added no attempt');
  });

  it('an unknown model pauses naming the setting', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', fail('unknown-model', 'The model `gpt-9` does not exist', 404));

    const goal = await controller.run();

    assert.equal(goal.status, 'paused');
    assert.match(goal.reason ?? '', /does not know the model .*Change the model setting/);
  });

  it('a reviewer failure pauses too, and the wrap-up is not needed', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', ...writeAndFinish('g.js', 'g\n'));
    rig.model.script('reviewer', fail('server', 'Internal server error', 500));

    const goal = await controller.run();

    assert.equal(goal.status, 'paused');
    assert.equal(goal.commits.length, 0, 'nothing is committed without the review');
    assert.equal(rig.model.requests.filter((r) => r.request.tools.length === 0).length, 0);
  });
});
