// A power loss (not a kill -9): the kernel's unsynced bytes are gone, so the real store's journal loses
// every lazy line after its last durable one. A task already committed must then not read TODO: the
// save that moved it to IN PROGRESS is durable, so the resume finds its commit by the trailers and
// records it instead of running (and paying for) the task again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../../../../src/adapters/fileGoalStore';
import { GoalController } from '../../../../src/engine/loop/controller';
import { parseTrailers } from '../../../support/fakes/fakeGit';
import { makeDeps } from '../../../support/fakes/makeDeps';
import { approve, plan, SPEC, taskById, writeAndFinish } from './loopKit';

class PowerLoss extends Error {}

/**
 * What a power loss at this instant leaves of the store's folder: its files as they are, the journal cut
 * after its last durable line (the lazy lines after it were only in the kernel). Returns a function that
 * puts that state back once the crashed run has unwound, and how many lines were lost.
 */
function losePowerNow(store: FileGoalStore): { lost: number; restore: () => void } {
  const kept = new Map(fs.readdirSync(store.dir).filter((f) => fs.statSync(path.join(store.dir, f)).isFile()).map((f) => [f, fs.readFileSync(path.join(store.dir, f))]));
  const lines = (kept.get(path.basename(store.journalPath))?.toString('utf8') ?? '').split(/(?<=\n)/);
  let keep = lines.length;
  while (keep > 0 && /"l":1[,}]/.test(lines[keep - 1])) keep--;
  kept.set(path.basename(store.journalPath), Buffer.from(lines.slice(0, keep).join('')));
  return {
    lost: lines.length - keep,
    restore: () => {
      for (const f of fs.readdirSync(store.dir)) if (!kept.has(f) && fs.statSync(path.join(store.dir, f)).isFile()) fs.rmSync(path.join(store.dir, f));
      for (const [f, bytes] of kept) fs.writeFileSync(path.join(store.dir, f), bytes);
    },
  };
}

describe('loop: a power loss right after a task\'s commit', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-powerloss-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('the task reads IN PROGRESS, not TODO: its commit is adopted, it is not run again and not committed twice', async () => {
    const rig = await makeDeps({ settings: { validationCommands: ['npm test'] } });
    const deps = { ...rig.deps, store: new FileGoalStore(folder) };
    rig.model.script('planner', plan(['A', 'B', 'C']));
    rig.model.script('actor', ...writeAndFinish('a.txt', 'a\n'), ...writeAndFinish('b.txt', 'b\n'));
    rig.model.otherwise('reviewer', approve());
    // t2, not t1: the first save after a snapshot starts a journal and is durable anyway.
    let commits = 0;
    let loss: { lost: number; restore: () => void } | null = null;
    deps.crashPoint = (p): void => {
      if (p !== 'after-commit' || ++commits !== 2) return;
      loss = losePowerNow(deps.store);
      throw new PowerLoss(p);
    };
    const controller = new GoalController(deps);
    await controller.start({ spec: SPEC, tokenBudget: null, id: 'g1' });
    await assert.rejects(controller.run(), PowerLoss);

    assert.ok(loss, 'the run reached the second commit');
    const { lost, restore } = loss as { lost: number; restore: () => void };
    restore();
    assert.ok(lost > 0, 'the attempt left lazy lines for the power loss to take');
    const store = new FileGoalStore(folder);
    const afterLoss = await store.load();
    assert.ok(afterLoss);
    assert.equal(taskById(afterLoss, 't1').status, 'done');
    assert.equal(taskById(afterLoss, 't2').status, 'in-progress', 'the move to IN PROGRESS survived the power loss');
    assert.equal(taskById(afterLoss, 't2').commit, null);

    // A new process over the same repository and folder: only t3 has work left to script.
    const actorCallsBefore = rig.model.requests.filter((r) => r.role === 'actor').length;
    rig.model.script('actor', ...writeAndFinish('c.txt', 'c\n'));
    const next = new GoalController({ ...rig.deps, store });
    await next.load();
    const done = await next.run();

    assert.equal(done.status, 'achieved');
    const perTask = (id: string): string[] => rig.git.log().filter((c) => parseTrailers(c.message).get('goalpost-task') === id).map((c) => c.sha);
    assert.deepEqual([perTask('t1').length, perTask('t2').length, perTask('t3').length], [1, 1, 1], 'one commit per task');
    assert.equal(taskById(done, 't2').commit, perTask('t2')[0]);
    assert.equal(taskById(done, 't2').attempts.length, 1, 't2 was not attempted again');
    assert.equal(rig.model.requests.filter((r) => r.role === 'actor').length - actorCallsBefore, 2, 'the actor worked on t3 only (write, finish)');
    assert.deepEqual(await rig.git.changedFiles(), [], 'nothing is left uncommitted');
    assert.ok(rig.statusLog.has(`t2 was already committed as ${perTask('t2')[0].slice(0, 8)}; recorded as done`));
  });
});
