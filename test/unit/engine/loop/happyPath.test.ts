// The whole loop on a goal that goes right: plan → act → test → review → commit per task, then the
// completion audit and `achieved` with its evidence.
import * as assert from 'node:assert/strict';
import { commitOfReview, type GoalSpec } from '../../../../src/engine/goal';
import { parseTrailers } from '../../../support/fakes/fakeGit';
import { hang } from '../../../support/fakes/scriptedModel';
import { approve, finish, firstUserMessage, plan, startGoal, taskById, write, writeAndFinish } from './loopKit';

describe('loop: happy path', () => {
  it('plans, works each task, commits each with trailers, audits, and ends achieved with evidence', async () => {
    const { rig, controller, goal: started } = await startGoal();
    assert.equal(started.status, 'pursuing');
    assert.equal(started.validation.source, 'goal-file');
    assert.equal(started.git.branch, 'goalpost/g1');
    rig.model.script('planner', plan(['Create greet module', 'Export greet']));
    rig.model.script('actor',
      ...writeAndFinish('src/greet.js', 'function greet(n) { return `Hello, ${n}!`; }\n', 'Added greet.'),
      write('src/index.js', "module.exports = require('./greet');\n"),
      finish('Exported greet.'));
    rig.model.script('reviewer', approve('Task 1 is right.'), approve('Task 2 is right.'), approve('Every criterion is met.'));
    rig.runner.on('npm test', { exitCode: 0, output: '2 passing' });

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    assert.match(goal.reason ?? '', /^Verified: 1 validation check passed \(npm test\); the completion audit approved: Every criterion is met\./);
    assert.equal(goal.phase, null);
    assert.notEqual(goal.endedAt, null);
    assert.deepEqual(goal.backlog.map((t) => [t.id, t.status, t.source]), [['t1', 'done', 'planner'], ['t2', 'done', 'planner']]);

    // One commit per task, newest first on the goal branch, each carrying both trailers.
    const log = rig.git.log();
    assert.equal(log.length, 3, 'initial commit + one per task');
    const [second, first] = log;
    assert.equal(first.message.split('\n')[0], 'Create greet module');
    assert.equal(second.message.split('\n')[0], 'Export greet');
    assert.equal(parseTrailers(first.message).get('goalpost-goal'), 'g1');
    assert.equal(parseTrailers(first.message).get('goalpost-task'), 't1');
    assert.equal(parseTrailers(second.message).get('goalpost-task'), 't2');
    assert.match(first.message, /\n\nAdded greet\.\n\nChecks:\n- npm test \(exit 0\)\nReview: approve\n\n/, 'body: summary, checks, verdict');
    assert.equal(await rig.git.isDirty(), false, 'every change the goal made is committed');
    assert.ok(first.files.has('src/greet.js') && !first.files.has('src/index.js'), 'the first commit holds only the first task\'s file');
    assert.ok(second.files.has('src/index.js'));
    assert.equal(taskById(goal, 't1').commit, first.sha);
    assert.equal(taskById(goal, 't2').commit, second.sha);
    assert.deepEqual(goal.commits.map((c) => [c.taskId, c.sha]), [['t1', first.sha], ['t2', second.sha]]);
    assert.deepEqual(goal.commits[0].filesChanged.filter((f) => f.startsWith('src/')), ['src/greet.js']);

    // Reviews: one per task (linked to its commit), then the audit's.
    assert.deepEqual(goal.reviews.map((r) => [r.id, r.taskId, r.verdict]), [['r1', 't1', 'approve'], ['r2', 't2', 'approve'], ['r3', null, 'approve']]);
    assert.equal(commitOfReview(goal, goal.reviews[0]), first.sha);
    assert.equal(commitOfReview(goal, goal.reviews[2]), null);
    assert.equal(goal.commits[0].reviewId, 'r1', 'the commit names the review that approved it');
    assert.ok(goal.reviews.every((r) => r.commit === null), 'reviews are never back-patched with their commit');

    // The engine ran the checks: after each task and once fresh for the audit.
    assert.deepEqual(rig.runner.commands(), ['npm test', 'npm test', 'npm test']);
    assert.deepEqual(taskById(goal, 't1').attempts.map((a) => [a.n, a.outcome]), [[1, 'finished']]);
    assert.equal(taskById(goal, 't1').attempts[0].checks[0].exitCode, 0);

    assert.deepEqual(rig.model.requests.map((r) => r.role), ['planner', 'actor', 'actor', 'reviewer', 'actor', 'actor', 'reviewer', 'reviewer']);
    assert.equal(goal.usage.total.requests, 8);
    assert.equal(goal.usage.byRole.actor.requests, 4);
    assert.equal(goal.usage.total.tokens, 8 * 1100);
    assert.deepEqual(goal.iterations.map((p) => [p.n, p.tasksDone]), [[1, 1], [2, 2]]);
    assert.equal(goal.iteration, 3, 'two task iterations and the audit');

    // The stored record is the returned one, and BACKLOG.md shows both tasks done.
    assert.deepEqual(rig.store.peek(), goal);
    const backlog = rig.workspace.get('BACKLOG.md') ?? '';
    assert.match(backlog, /Create greet module/);
    assert.match(backlog, /Export greet/);
    assert.ok(rig.statusLog.has('goal: started:'));
    assert.ok(rig.statusLog.has('act: iteration 1: t1 “Create greet module” (attempt 1)'));
    assert.ok(rig.statusLog.has(/iterate: t1 committed [0-9a-f]{8} “Create greet module”/));
    assert.ok(rig.statusLog.has('test: `npm test` → exit 0'));
    assert.ok(rig.statusLog.has('goal: achieved: Verified:'));
    assert.deepEqual(rig.warnings, []);
  });

  it('takes the planner\'s validation commands when the goal, the settings and detection give none', async () => {
    const { rig, controller, goal: started } = await startGoal({ spec: specWithoutValidation() });
    assert.equal(started.validation.source, 'none');
    rig.model.script('planner', plan(['Only task'], ['make check']));
    rig.model.script('actor', ...writeAndFinish('a.txt', 'a\n'));
    rig.model.script('reviewer', approve(), approve());

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    assert.deepEqual(goal.validation, { commands: ['make check'], source: 'planner' });
    assert.deepEqual(rig.runner.commands(), ['make check', 'make check']);
    assert.ok(rig.statusLog.has('validation commands proposed by the planner: make check'));
  });

  it('builds every request fresh: each attempt starts from the system prompt and one user message', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['One', 'Two']));
    rig.model.script('actor', ...writeAndFinish('one.txt', '1\n'), ...writeAndFinish('two.txt', '2\n'));
    rig.model.otherwise('reviewer', approve());

    await controller.run();

    const actor = rig.model.requestsFor('actor');
    assert.equal(actor[0].messages.length, 2);
    assert.equal(actor[2].messages.length, 2, 'the second task does not inherit the first one\'s conversation');
    assert.match(actor[2].messages[1].role === 'user' ? actor[2].messages[1].content : '', /\[t1\] done: One/, 'the checkpoint carries the finished task');
  });

  it('re-plans on request: the planner sees the current backlog and its new tasks are appended', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', hang());
    const first = controller.run();
    await rig.model.whenRequests(2);
    await controller.pause();
    await first;
    rig.model.script('planner', plan(['Farewell']));
    rig.model.script('actor', ...writeAndFinish('g.js', 'g\n'), ...writeAndFinish('f.js', 'f\n'));
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.resume({ replan: true });

    assert.equal(goal.status, 'achieved');
    const replan = firstUserMessage(rig.model.requestsFor('planner')[1]);
    assert.match(replan, /Why you are planning now: the user asked to re-plan/);
    assert.match(replan, /IN PROGRESS \(1\)\n- \[t1\] Greet/);
    assert.deepEqual(goal.backlog.map((t) => [t.id, t.title, t.status]), [['t1', 'Greet', 'done'], ['t2', 'Farewell', 'done']]);
  });

  it('sends each role\'s model setting (compaction and wrap-up use the actor\'s)', async () => {
    const { rig, controller } = await startGoal({ settings: { model: 'act-model', planModel: 'plan-model', reviewModel: 'review-model' } });
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', ...writeAndFinish('g.js', 'g\n'));
    rig.model.otherwise('reviewer', approve());

    await controller.run();

    const models = new Set(rig.model.requests.map((r) => `${r.role}:${r.request.model}`));
    assert.deepEqual([...models].sort(), ['actor:act-model', 'planner:plan-model', 'reviewer:review-model']);
    assert.ok(rig.model.requests.every((r) => r.request.toolChoice === 'auto'));
  });
});

function specWithoutValidation(): GoalSpec {
  return {
    objective: 'Write a.txt.',
    acceptanceCriteria: ['a.txt exists'],
    nonGoals: [],
    constraints: [],
    validationCommands: [],
  };
}
