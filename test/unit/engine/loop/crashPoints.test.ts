// A crash at each dangerous instant of the commit step and the completion audit (issue 12): the record
// never says DONE without the task's commit, a commit made just before the crash is adopted on resume
// (never made twice), and the resumed goal ends achieved with exactly one commit per task.
import * as assert from 'node:assert/strict';
import type { Goal } from '../../../../src/engine/goal';
import { GoalController } from '../../../../src/engine/loop/controller';
import type { CrashPoint } from '../../../../src/engine/loop/deps';
import { parseTrailers } from '../../../support/fakes/fakeGit';
import type { TestRig } from '../../../support/fakes/makeDeps';
import { approve, plan, startGoal, taskById, writeAndFinish } from './loopKit';

class Crash extends Error {}

/** Commits per Goalpost-Task trailer in the fake repository. */
function commitsPerTask(rig: TestRig): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of rig.git.log()) {
    const id = parseTrailers(c.message).get('goalpost-task');
    if (id) counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

/** Plans two tasks, crashes at the first `point`, returns what the crash left and the resumed goal. */
async function crashAndResume(point: CrashPoint): Promise<{ rig: TestRig; atCrash: Goal; done: Goal }> {
  const { rig, controller } = await startGoal();
  rig.model.script('planner', plan(['A', 'B']));
  rig.model.script('actor', ...writeAndFinish('a.txt', 'a\n'), ...writeAndFinish('b.txt', 'b\n'));
  rig.model.otherwise('reviewer', approve());
  rig.deps.crashPoint = (p): void => {
    if (p === point) throw new Crash(p);
  };
  await assert.rejects(controller.run(), Crash);
  const atCrash = await rig.store.load();
  assert.ok(atCrash);
  // A new process: the same repository and store, no crash hook, nothing kept in memory.
  rig.deps.crashPoint = undefined;
  rig.model.script('actor', ...writeAndFinish('a.txt', 'a again\n'), ...writeAndFinish('b.txt', 'b\n'));
  const next = new GoalController(rig.deps);
  await next.load();
  const done = await next.run();
  return { rig, atCrash, done };
}

describe('loop: a crash at each dangerous instant', () => {
  it('before the commit: the task is not DONE, and the resumed goal commits it once', async () => {
    const { rig, atCrash, done } = await crashAndResume('before-commit');
    assert.equal(taskById(atCrash, 't1').status, 'in-progress', 'no DONE without its commit');
    assert.deepEqual(atCrash.commits, []);
    assert.equal(done.status, 'achieved');
    assert.deepEqual(commitsPerTask(rig), { t1: 1, t2: 1 });
    assert.deepEqual(done.backlog.map((t) => [t.id, t.status, t.commit !== null]), [['t1', 'done', true], ['t2', 'done', true]]);
  });

  it('after the commit, before the record: the commit is adopted by its trailers, not made again', async () => {
    const { rig, atCrash, done } = await crashAndResume('after-commit');
    assert.equal(taskById(atCrash, 't1').status, 'in-progress');
    assert.equal(taskById(atCrash, 't1').commit, null);
    assert.deepEqual(commitsPerTask(rig), { t1: 1, t2: 1 });
    const t1Commit = rig.git.log().find((c) => parseTrailers(c.message).get('goalpost-task') === 't1');
    assert.equal(taskById(done, 't1').commit, t1Commit?.sha);
    assert.deepEqual(done.commits.map((c) => c.taskId), ['t1', 't2']);
    assert.equal(done.status, 'achieved');
    assert.ok(rig.statusLog.has(`t1 was already committed as ${(t1Commit?.sha ?? '').slice(0, 8)}; recorded as done`));
  });

  it('after DONE, before the iteration\'s last save: nothing is redone', async () => {
    const { rig, atCrash, done } = await crashAndResume('after-done');
    assert.equal(taskById(atCrash, 't1').status, 'done');
    assert.notEqual(taskById(atCrash, 't1').commit, null);
    assert.deepEqual(atCrash.commits.map((c) => c.taskId), ['t1']);
    assert.equal(done.status, 'achieved');
    assert.deepEqual(commitsPerTask(rig), { t1: 1, t2: 1 });
    assert.equal(taskById(done, 't1').attempts.length, 1, 't1 was not attempted again');
  });

  it('during the completion audit: the audit runs again and approves; no commit is added', async () => {
    const { rig, atCrash, done } = await crashAndResume('audit');
    assert.equal(atCrash.status, 'pursuing');
    assert.deepEqual(atCrash.backlog.map((t) => t.status), ['done', 'done']);
    assert.equal(done.status, 'achieved');
    assert.deepEqual(commitsPerTask(rig), { t1: 1, t2: 1 });
  });
});

describe('loop: BACKLOG.md edits during the completion audit', () => {
  it('a TODO added while the audit runs means not achieved yet: the task is done first', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['A']));
    rig.model.script('actor', ...writeAndFinish('a.txt', 'a\n'), ...writeAndFinish('c.txt', 'c\n'));
    rig.model.otherwise('reviewer', approve());
    let audits = 0;
    rig.deps.crashPoint = (p): void => {
      if (p !== 'audit' || ++audits !== 1) return;
      // The user's edit lands between the audit's checks and its verdict.
      const text = rig.workspace.get('BACKLOG.md') ?? '';
      rig.workspace.put('BACKLOG.md', text.replace(/## TODO[^\n]*\n/, (h) => `${h}\n- [ ] Write a changelog entry\n`));
    };
    const done = await controller.run();
    assert.equal(audits, 2, 'the first audit was set aside; a second one ended the goal');
    assert.equal(done.status, 'achieved');
    assert.deepEqual(done.backlog.map((t) => [t.title, t.status, t.source]).sort(), [['A', 'done', 'planner'], ['Write a changelog entry', 'done', 'user']]);
    assert.ok(rig.statusLog.has('completion audit set aside: BACKLOG.md has open tasks again'));
  });
});

describe('loop: the store fails mid-run (read-only or full disk)', () => {
  it('the run stops with the file-system error and the last saved goal resumes to achieved, one commit per task', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['A', 'B']));
    rig.model.script('actor', ...writeAndFinish('a.txt', 'a\n'), ...writeAndFinish('b.txt', 'b\n'));
    rig.model.otherwise('reviewer', approve());
    const save = rig.store.save.bind(rig.store);
    let failing = false;
    rig.deps.crashPoint = (p): void => {
      if (p === 'after-done') failing = true;
    };
    rig.store.save = async (goal) => {
      if (failing) throw Object.assign(new Error("EROFS: read-only file system, open '.goalpost/goal.json.tmp'"), { code: 'EROFS' });
      return save(goal);
    };
    await assert.rejects(controller.run(), /EROFS/);
    const kept = await rig.store.load();
    assert.equal(kept?.status, 'pursuing', 'the last saved state stands: an interrupted goal');
    assert.equal(kept && taskById(kept, 't1').status, 'done');

    failing = false;
    rig.deps.crashPoint = undefined;
    const next = new GoalController(rig.deps);
    await next.load();
    const done = await next.run();
    assert.equal(done.status, 'achieved');
    assert.deepEqual(commitsPerTask(rig), { t1: 1, t2: 1 });
  });
});
