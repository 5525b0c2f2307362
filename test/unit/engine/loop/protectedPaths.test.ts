// F10 in the loop: a protected path changed by a command (the file tools refuse it) is undone from HEAD
// and fails the attempt with the reason, before tests or review; the next attempt is told why.
import * as assert from 'node:assert/strict';
import { call, reply } from '../../../support/fakes/scriptedModel';
import { approve, finish, plan, requestText, SPEC, startGoal, taskById, writeAndFinish } from './loopKit';

describe('loop: protected paths', () => {
  it('undoes a change a command made to a protected file, fails the attempt before tests, and says why', async () => {
    const { rig, controller } = await startGoal({
      files: { 'test.js': 'assert(add(2, 3) === 5);\n', 'src/math.js': 'module.exports = (a, b) => a - b;\n' },
      spec: { ...SPEC, protectedPaths: ['test.js'] },
    });
    rig.runner.on('sed -i s/5/-1/ test.js', { exitCode: 0, effect: () => rig.workspace.put('test.js', 'assert(add(2, 3) === -1);\n') });
    rig.model.script('planner', plan(['Fix add']));
    rig.model.script('actor',
      reply(call('run_command', { command: 'sed -i s/5/-1/ test.js' })),
      finish('Tests pass now.'),
      ...writeAndFinish('src/math.js', 'module.exports = (a, b) => a + b;\n'));
    rig.model.otherwise('reviewer', approve());

    const done = await controller.run();

    const attempts = taskById(done, 't1').attempts;
    assert.deepEqual(attempts.map((a) => a.outcome), ['protected-path', 'finished']);
    assert.match(attempts[0].engineNote ?? '', /changed protected path\(s\) test\.js \(pattern `test\.js`\); the change was undone/);
    assert.deepEqual(attempts[0].checks, [], 'no tests ran on the weakened test');
    assert.equal(rig.workspace.get('test.js'), 'assert(add(2, 3) === 5);\n', 'restored from HEAD');
    assert.equal(rig.runner.runs.filter((r) => r.request.command === 'npm test').length, 2, 'the checks of attempt 2 and of the audit only');
    const first = rig.model.requestsFor('actor')[0];
    assert.match(requestText(first), /Protected paths, not to be changed by any means .*: `test\.js`/, 'told up front');
    const second = rig.model.requestsFor('actor').filter((r) => r.messages.length === 2)[1];
    assert.match(requestText(second), /changed protected path\(s\) test\.js/);
    assert.ok(rig.statusLog.has('t1: The attempt changed protected path(s) test.js'));
    assert.equal(done.status, 'achieved');
    assert.equal(rig.git.log()[0].files.get('test.js'), 'assert(add(2, 3) === 5);\n', 'the commit has the original test');
  });

  it('a protected file the agent created is removed; the setting protects too; write_file is refused', async () => {
    const { rig, controller } = await startGoal({ settings: { protectedPaths: ['fixtures/**'], maxAttemptsPerTask: 1 } });
    rig.runner.on('make fixture', { exitCode: 0, effect: () => rig.workspace.put('fixtures/new.json', '{}\n') });
    rig.model.script('planner', plan(['Add fixture']));
    rig.model.script('actor',
      reply(call('write_file', { path: 'fixtures/a.json', content: '{}\n' })),
      reply(call('run_command', { command: 'make fixture' })),
      finish());
    rig.model.otherwise('reviewer', approve());

    const done = await controller.run();

    const actorRequests = rig.model.requestsFor('actor');
    assert.match(requestText(actorRequests[1]), /fixtures\/a\.json is a protected path of this goal \(pattern `fixtures\/\*\*`\)/);
    assert.equal(rig.workspace.get('fixtures/a.json'), undefined);
    assert.equal(rig.workspace.get('fixtures/new.json'), undefined, 'a new protected file is removed');
    assert.equal(taskById(done, 't1').status, 'blocked');
    assert.equal(done.status, 'unmet');
    assert.match(done.reason ?? '', /a protected path was changed \(undone\)/);
  });

  it('never undoes the engine\'s own files, even when a pattern matches them (*.md protects the docs, not BACKLOG.md)', async () => {
    const { rig, controller } = await startGoal({ files: { 'README.md': '# sample\n' }, spec: { ...SPEC, protectedPaths: ['*.md'] } });
    rig.model.script('planner', plan(['Add code']));
    rig.model.script('actor', ...writeAndFinish('src/a.js', 'a\n'));
    rig.model.otherwise('reviewer', approve());
    const done = await controller.run();
    assert.equal(done.status, 'achieved');
    assert.deepEqual(taskById(done, 't1').attempts.map((a) => a.outcome), ['finished']);
    assert.match(rig.git.log()[0].files.get('BACKLOG.md') ?? '', /## DONE \(1\)/);
  });
});
