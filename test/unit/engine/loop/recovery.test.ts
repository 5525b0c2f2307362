// Crash recovery: a goal saved mid-iteration resumes cleanly. A task whose commit already exists is
// recorded as done and never committed twice; an attempt left open is closed as interrupted.
import * as assert from 'node:assert/strict';
import { newGoal, type Attempt, type Goal, type Task } from '../../../../src/engine/goal';
import { GoalController } from '../../../../src/engine/loop/controller';
import { parseTrailers } from '../../../support/fakes/fakeGit';
import { makeDeps, type TestRig } from '../../../support/fakes/makeDeps';
import { approve, draft, firstUserMessage, SPEC, taskById, writeAndFinish } from './loopKit';

function task(id: string, title: string, status: Task['status'], attempts: Attempt[] = []): Task {
  return { id, ...draft(title), status, source: 'planner', attempts, blockedReason: null, commit: null, commands: [] };
}

function openAttempt(n: number): Attempt {
  return { n, startedAt: '2026-01-05T08:00:00.000Z', endedAt: null, outcome: null, summary: null, blocker: null, checks: [], reviewId: null, filesChanged: [] };
}

/** A goal as a crashed process left it: pursuing, t1 in progress with an open attempt. */
async function crashedGoal(rig: TestRig): Promise<Goal> {
  // What the first process's start() did to the repository survives the crash.
  await rig.git.ensureExcluded(['.goalpost/', 'goal_status.log']);
  await rig.git.checkoutBranch('goalpost/g1');
  const goal = newGoal({
    id: 'g1', folder: rig.workspace.root, spec: SPEC, tokenBudget: null,
    validation: { commands: ['npm test'], source: 'goal-file' }, now: '2026-01-05T07:00:00.000Z',
  });
  goal.phase = 'review';
  goal.iteration = 1;
  goal.backlog = [task('t1', 'Greet', 'in-progress', [openAttempt(1)]), task('t2', 'Farewell', 'todo')];
  goal.git = { branch: 'goalpost/g1', baseCommit: await rig.git.headSha() };
  return goal;
}

describe('loop: crash recovery', () => {
  it('records an in-progress task whose commit exists as done, without committing it again', async () => {
    const rig = await makeDeps();
    const goal = await crashedGoal(rig);
    // The crash came after the commit and before the save that would have recorded it.
    rig.workspace.put('src/greet.js', 'greet\n');
    const sha = rig.git.commitNow('Greet\n\nAdded greet.\n\nGoalpost-Goal: g1\nGoalpost-Task: t1');
    rig.store.seed(goal);
    rig.model.script('actor', ...writeAndFinish('src/farewell.js', 'bye\n'));
    rig.model.otherwise('reviewer', approve());
    const controller = new GoalController(rig.deps);

    const loaded = await controller.load();
    assert.equal(loaded?.status, 'pursuing');
    const done = await controller.run();

    assert.equal(done.status, 'achieved');
    const t1 = taskById(done, 't1');
    assert.equal(t1.status, 'done');
    assert.equal(t1.commit, sha);
    assert.deepEqual(t1.attempts.map((a) => a.outcome), ['interrupted'], 'the open attempt was closed, not redone');
    assert.deepEqual(done.commits.map((c) => [c.taskId, c.sha === sha]), [['t1', true], ['t2', false]]);
    const t1Commits = rig.git.log().filter((c) => parseTrailers(c.message).get('goalpost-task') === 't1');
    assert.equal(t1Commits.length, 1, 't1 is committed exactly once');
    assert.ok(rig.statusLog.has(`t1 was already committed as ${sha.slice(0, 8)}; recorded as done`));
    // The actor only ever worked on t2.
    const actorStarts = rig.model.requestsFor('actor').filter((r) => r.messages.length === 2);
    assert.equal(actorStarts.length, 1);
    assert.ok(firstUserMessage(actorStarts[0]).includes('[t2] Farewell'));
  });

  it('redoes an in-progress task without a commit, continuing its interrupted attempt', async () => {
    const rig = await makeDeps();
    rig.store.seed(await crashedGoal(rig));
    rig.model.script('actor', ...writeAndFinish('src/greet.js', 'g\n'), ...writeAndFinish('src/farewell.js', 'f\n'));
    rig.model.otherwise('reviewer', approve());
    const controller = new GoalController(rig.deps);
    await controller.load();

    const done = await controller.run();

    assert.equal(done.status, 'achieved');
    assert.deepEqual(taskById(done, 't1').attempts.map((a) => [a.n, a.outcome]), [[1, 'finished']], 'the crash added no attempt: attempt 1 continued');
    assert.equal(rig.git.log().filter((c) => parseTrailers(c.message).get('goalpost-task') === 't1').length, 1);
  });

  it('does not commit again when the commit exists but the task was being finished (idempotent commit step)', async () => {
    const rig = await makeDeps();
    const goal = await crashedGoal(rig);
    rig.workspace.put('src/greet.js', 'greet\n');
    const sha = rig.git.commitNow('Greet\n\nGoalpost-Goal: g1\nGoalpost-Task: t1');
    // A commit of another goal with the same task id must not be mistaken for this one.
    rig.workspace.put('other.txt', 'x\n');
    rig.git.commitNow('Other\n\nGoalpost-Goal: g0\nGoalpost-Task: t2');
    rig.store.seed(goal);
    rig.model.script('actor', ...writeAndFinish('src/farewell.js', 'bye\n'));
    rig.model.otherwise('reviewer', approve());
    const controller = new GoalController(rig.deps);
    await controller.load();

    const done = await controller.run();

    assert.equal(taskById(done, 't1').commit, sha);
    const t2 = taskById(done, 't2');
    assert.notEqual(t2.commit, null);
    assert.equal(parseTrailers(rig.git.log()[0].message).get('goalpost-goal'), 'g1', 't2 got its own commit');
    assert.equal(rig.git.log()[0].sha, t2.commit);
  });

  it('refuses to start a second goal while one is pursuing', async () => {
    const rig = await makeDeps();
    rig.store.seed(await crashedGoal(rig));
    const controller = new GoalController(rig.deps);
    await assert.rejects(controller.start({ spec: SPEC, tokenBudget: null, id: 'g2' }), /Goal g1 is still pursuing/);
  });
});
