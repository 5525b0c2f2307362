// The completion audit, the only way to `achieved`: checks run fresh, then the reviewer audits the whole
// goal; findings become new TODO tasks and the loop carries on.
import * as assert from 'node:assert/strict';
import { approve, finish, firstUserMessage, plan, requestChanges, startGoal, taskById, writeAndFinish } from './loopKit';

describe('loop: completion audit', () => {
  it('turns a failing check at the audit into a TODO task (source audit) and continues to achieved', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', ...writeAndFinish('src/greet.js', 'v1\n'), ...writeAndFinish('src/greet.js', 'v2\n'));
    rig.model.otherwise('reviewer', approve('All good.'));
    // Task check passes, the audit's fresh run fails, then everything passes.
    rig.runner.on('npm test', [{ exitCode: 0 }, { exitCode: 1, output: 'FAIL integration: greet is not exported' }, { exitCode: 0 }]);

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    const t2 = taskById(goal, 't2');
    assert.equal(t2.source, 'audit');
    assert.equal(t2.title, 'Make `npm test` pass');
    assert.match(t2.details, /exited with 1/);
    assert.match(t2.details, /FAIL integration: greet is not exported/);
    assert.equal(t2.status, 'done');
    assert.ok(rig.statusLog.has('iterate: completion audit not passed: 1 new task'));
    // The failed audit did not ask the reviewer: three reviews = t1, t2, final audit.
    assert.deepEqual(goal.reviews.map((r) => r.taskId), ['t1', 't2', null]);
    assert.deepEqual(rig.runner.commands(), ['npm test', 'npm test', 'npm test', 'npm test']);
  });

  it('turns the audit\'s request_changes notes into TODO tasks (info notes dropped) and continues', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor',
      ...writeAndFinish('src/greet.js', 'v1\n'),
      ...writeAndFinish('test/greet.test.js', 'test\n'),
      ...writeAndFinish('README.md', 'docs\n'));
    rig.model.script('reviewer',
      approve(),
      requestChanges('Missing tests and docs.', [
        { path: 'src/greet.js', line: 1, severity: 'error', message: 'No test covers greet.' },
        { path: 'README.md', line: 0, severity: 'warning', message: 'Document greet in the README.' },
        { path: 'src/greet.js', line: 2, severity: 'info', message: 'Nit: naming.' },
      ]),
      approve(), approve(), approve('Now complete.'));

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    const added = goal.backlog.filter((t) => t.source === 'audit');
    assert.deepEqual(added.map((t) => t.title), ['Audit: No test covers greet.', 'Audit: Document greet in the README.']);
    assert.equal(added[0].details, 'src/greet.js:1 (error) — No test covers greet.');
    assert.ok(added.every((t) => t.status === 'done'));
    assert.deepEqual(goal.reviews.map((r) => [r.taskId, r.verdict]),
      [['t1', 'approve'], [null, 'request_changes'], ['t2', 'approve'], ['t3', 'approve'], [null, 'approve']]);
    assert.match(goal.reason ?? '', /the completion audit approved: Now complete\./);
  });

  it('the audit reviewer sees the full diff since the goal began and the fresh checks', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['One', 'Two']));
    rig.model.script('actor', ...writeAndFinish('one.txt', 'first file\n'), ...writeAndFinish('two.txt', 'second file\n'));
    rig.model.otherwise('reviewer', approve());
    rig.runner.on('npm test', { exitCode: 0, output: '12 passing' });

    await controller.run();

    const audit = firstUserMessage(rig.model.requestsFor('reviewer')[2]);
    assert.match(audit, /# Completion audit/);
    assert.ok(audit.includes('+first file') && audit.includes('+second file'), 'both tasks\' changes are in the audit diff');
    assert.ok(audit.includes('$ npm test  → exit 0'));
    assert.ok(audit.includes('12 passing'));
  });

  it('is never achieved while a check fails, even when every model says done', async () => {
    const { rig, controller } = await startGoal({ settings: { maxAttemptsPerTask: 2, noProgressIterations: 10 } });
    rig.model.script('planner', plan(['Greet']));
    rig.model.otherwise('actor', finish('Everything is done, trust me.'));
    rig.model.otherwise('reviewer', approve('Approved.'));
    // Only the first run (the task's) passes; every later run fails.
    rig.runner.on('npm test', [{ exitCode: 0 }, { exitCode: 1, output: 'FAIL' }]);

    const goal = await controller.run();

    assert.notEqual(goal.status, 'achieved');
    assert.equal(goal.status, 'unmet');
    assert.equal(goal.reviews.filter((r) => r.taskId === null).length, 0, 'the audit never reached the reviewer');
    assert.equal(taskById(goal, 't2').status, 'blocked');
    assert.match(goal.reason ?? '', /Make `npm test` pass/);
  });

  it('without any validation command the audit says so in the evidence', async () => {
    const { rig, controller } = await startGoal({
      spec: { objective: 'Write notes.txt with a summary of the code.', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] },
    });
    rig.model.script('planner', plan(['Write notes']));
    rig.model.script('actor', ...writeAndFinish('notes.txt', 'notes\n'));
    rig.model.otherwise('reviewer', approve('Notes are there.'));

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    assert.equal(goal.reason, 'Verified: no validation commands were available; the completion audit approved: Notes are there.');
    assert.deepEqual(rig.runner.commands(), []);
  });
});
