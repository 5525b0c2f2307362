// Pause (F3): a soft stop that aborts the in-flight request or command, checkpoints, and lets resume
// continue the same task; the interrupted attempt does not count against it.
import * as assert from 'node:assert/strict';
import { call, hang, reply } from '../../../support/fakes/scriptedModel';
import { approve, firstUserMessage, plan, startGoal, taskById, writeAndFinish } from './loopKit';

/** Resolves to 'late' when `p` takes longer than `ms` real milliseconds. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('loop: pause and resume', () => {
  it('aborts a hanging model request, pauses at once, marks the attempt interrupted, and resumes the same task', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet', 'Farewell']));
    rig.model.script('actor', hang());
    rig.model.otherwise('reviewer', approve());

    const running = controller.run();
    await rig.model.whenRequests(2);
    assert.equal(controller.isRunning, true);
    const paused = await within(controller.pause(), 1000);

    assert.notEqual(paused, 'late', 'pause settles without waiting for the model');
    if (paused === 'late') return;
    assert.equal(paused.status, 'paused');
    assert.equal(paused.reason, 'Paused by the user.');
    assert.equal(paused.phase, 'act', 'the phase is kept for resume');
    assert.equal(await running, paused);
    assert.equal(controller.isRunning, false);
    const t1 = taskById(paused, 't1');
    assert.equal(t1.status, 'in-progress');
    assert.deepEqual(t1.attempts.map((a) => [a.n, a.outcome]), [[1, 'interrupted']]);
    assert.notEqual(t1.attempts[0].endedAt, null);
    assert.deepEqual(rig.store.peek(), paused, 'the checkpoint is saved');
    assert.ok(rig.statusLog.has('goal: paused: Paused by the user.'));

    rig.model.script('actor', ...writeAndFinish('greet.js', 'g\n'), ...writeAndFinish('farewell.js', 'f\n'));
    const done = await controller.resume();

    assert.equal(done.status, 'achieved');
    const resumed = rig.model.requestsFor('actor')[1];
    assert.ok(firstUserMessage(resumed).includes('[t1] Greet'), 'resume continues the same task');
    assert.match(firstUserMessage(resumed), /This is the first attempt at this task\./, 'the interrupted attempt is not counted');
    assert.deepEqual(taskById(done, 't1').attempts.map((a) => [a.n, a.outcome]), [[1, 'finished']], 'a pause adds no attempt: attempt 1 continued');
    assert.equal(done.guards.iterationsWithoutProgress, 0);
  });

  it('stops a running command on pause (the runner sees the abort)', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Build']));
    rig.model.script('actor', reply(call('run_command', { command: 'npm run build' })));
    rig.runner.on('npm run build', { hang: true });

    const running = controller.run();
    await rig.runner.whenStarted(1);
    const paused = await within(controller.pause('Ctrl+C'), 1000);
    await running;

    assert.notEqual(paused, 'late');
    if (paused === 'late') return;
    assert.equal(paused.status, 'paused');
    assert.equal(paused.reason, 'Ctrl+C');
    assert.equal(rig.runner.runs.length, 1);
    assert.equal(rig.runner.runs[0].result.aborted, true);
    assert.deepEqual(taskById(paused, 't1').attempts.map((a) => a.outcome), ['interrupted']);
    assert.equal(rig.model.requests.length, 2, 'no request after the pause');
  });

  it('pauses during the checks: the running check is stopped and the attempt is interrupted', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', ...writeAndFinish('greet.js', 'g\n'));
    rig.runner.on('npm test', { hang: true });

    const running = controller.run();
    await rig.runner.whenStarted(1);
    await controller.pause();
    const goal = await running;

    assert.equal(goal.status, 'paused');
    assert.deepEqual(taskById(goal, 't1').attempts.map((a) => a.outcome), ['interrupted']);
    assert.equal(goal.commits.length, 0);
  });

  it('pause when not running just changes the state; resume then runs', async () => {
    const { rig, controller } = await startGoal();
    const paused = await controller.pause('Taking a break.');
    assert.equal(paused.status, 'paused');
    assert.equal(paused.reason, 'Taking a break.');
    assert.equal(rig.model.requests.length, 0);

    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', ...writeAndFinish('g.js', 'g\n'));
    rig.model.otherwise('reviewer', approve());
    const goal = await controller.resume();
    assert.equal(goal.status, 'achieved');
  });

  it('run() while running returns the same run', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', hang());
    const first = controller.run();
    const second = controller.run();
    assert.equal(first, second);
    await rig.model.whenRequests(1);
    await controller.pause();
    assert.equal((await first).status, 'paused');
  });

  it('clear while running stops the run and moves the goal to history as cleared', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', hang());
    const running = controller.run();
    await rig.model.whenRequests(1);

    const cleared = await controller.clear();
    await running;

    assert.equal(cleared.status, 'cleared');
    assert.equal(cleared.reason, 'Cleared by the user.');
    assert.equal(controller.goal, null);
    assert.equal(rig.store.peek(), null);
    const history = await rig.store.history();
    assert.deepEqual(history.map((g) => [g.id, g.status]), [['g1', 'cleared']]);
    await assert.rejects(controller.resume(), /No goal is active/);
  });
});
