// The journal side of FileGoalStore: old single-file goals still load, a line cut short is dropped and
// overwritten, a journal that does not continue the snapshot is ignored, damage elsewhere is reported,
// and the journal is folded into a new snapshot before it outgrows it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../../../../src/adapters/fileGoalStore';
import { journalHeader, journalLine } from '../../../../src/adapters/store/journal';
import { newGoal, type Goal } from '../../../../src/engine/goal';
import { StoreError } from '../../../../src/engine/ports';
import { runKillWriterRig } from '../../../support/killWriterRig';

function makeGoal(folder: string): Goal {
  return newGoal({
    id: 'g-journal',
    folder,
    spec: { objective: 'Make the tests pass.', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] },
    tokenBudget: null,
    validation: { commands: [], source: 'none' },
    now: '2026-01-02T03:04:05.000Z',
  });
}

describe('FileGoalStore journal', () => {
  let folder: string;
  let store: FileGoalStore;
  const dir = (): string => path.join(folder, '.goalpost');
  const goalFile = (): string => path.join(dir(), 'goal.json');
  const journalFile = (): string => path.join(dir(), 'goal.journal');

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-journal-'));
    store = new FileGoalStore(folder, { now: () => new Date('2026-05-06T07:08:09.010Z') });
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('loads a goal written as one goal.json by an earlier version, and continues it with a journal', async () => {
    const old = { ...makeGoal(folder), revision: 12, iteration: 3 };
    fs.mkdirSync(dir(), { recursive: true });
    fs.writeFileSync(goalFile(), `${JSON.stringify(old, null, 2)}\n`);
    const loaded = (await store.load()) as Goal;
    assert.deepEqual(loaded, old);
    const next = await store.save({ ...loaded, iteration: 4 });
    assert.equal(next.revision, 13);
    assert.equal(fs.readFileSync(goalFile(), 'utf8'), `${JSON.stringify(old, null, 2)}\n`, 'the old file is now the snapshot, unchanged');
    assert.deepEqual(await new FileGoalStore(folder).load(), next);
  });

  it('appends usage, phase and save-time changes without their own fdatasync (lazy), everything else durably', async () => {
    let goal = await store.save(makeGoal(folder));
    goal = await store.save({ ...goal, iteration: 1 });
    goal = await store.save({ ...goal, phase: 'act', updatedAt: '2026-05-06T07:08:10.000Z', usage: { ...goal.usage, total: { ...goal.usage.total, requests: 1 } } });
    goal = await store.save({ ...goal, status: goal.status, backlog: [] , iteration: 2 });
    const entries = fs.readFileSync(journalFile(), 'utf8').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l) as { r: number; l?: number });
    assert.deepEqual(entries.map((e) => [e.r, e.l ?? 0]), [[2, 0], [3, 1], [4, 0]]);
    assert.equal(store.writes.lazyAppends, 1);
    assert.deepEqual(await new FileGoalStore(folder).load(), goal, 'a lazy line is read back like any other');
  });

  it('appends a save the engine marks lazy without its own fdatasync, whatever it changes; a status change is still a snapshot', async () => {
    let goal = await store.save(makeGoal(folder));
    goal = await store.save({ ...goal, iteration: 1 });
    goal = await store.save({ ...goal, iteration: 2, backlog: [] }, { lazy: true });
    goal = await store.save({ ...goal, iteration: 3 });
    const entries = fs.readFileSync(journalFile(), 'utf8').split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l) as { r: number; l?: number });
    assert.deepEqual(entries.map((e) => [e.r, e.l ?? 0]), [[2, 0], [3, 1], [4, 0]]);
    assert.deepEqual(await new FileGoalStore(folder).load(), goal);
    const snapshots = store.writes.snapshots;
    await store.save({ ...goal, status: 'paused' }, { lazy: true });
    assert.equal(store.writes.snapshots, snapshots + 1, 'a new status is written as a (durable) snapshot');
  });

  it('drops a last line cut short by a crash, and the next save writes over it', async () => {
    let goal = await store.save(makeGoal(folder));
    goal = await store.save({ ...goal, iteration: 1 });
    const good = fs.readFileSync(journalFile(), 'utf8');
    fs.appendFileSync(journalFile(), journalLine(goal.revision + 1, [['s', ['iteration'], 2]]).slice(0, 15));
    const fresh = new FileGoalStore(folder);
    const loaded = (await fresh.load()) as Goal;
    assert.deepEqual(loaded, goal, 'the torn save never happened');
    const next = await fresh.save({ ...loaded, iteration: 5 });
    const text = fs.readFileSync(journalFile(), 'utf8');
    assert.ok(text.startsWith(good) && text.endsWith('\n'), 'the torn bytes were cut off before the new line');
    assert.equal(text.split('\n').filter(Boolean).length, 3, 'header + two lines');
    assert.deepEqual(await new FileGoalStore(folder).load(), next);
  });

  it('ignores a journal that continues another snapshot, and replaces it on the next save', async () => {
    const goal = await store.save(makeGoal(folder));
    // What a crash between a new snapshot and the removal of the old journal leaves: lines of revisions the snapshot holds.
    fs.writeFileSync(journalFile(), journalHeader({ id: goal.id, createdAt: goal.createdAt, revision: 0 }) + journalLine(1, [['s', ['iteration'], 42]]));
    const fresh = new FileGoalStore(folder);
    assert.deepEqual(await fresh.load(), goal);
    const next = await fresh.save({ ...goal, iteration: 2 });
    assert.deepEqual(await new FileGoalStore(folder).load(), next);
    assert.match(fs.readFileSync(journalFile(), 'utf8'), /^\{"journal":1,"id":"g-journal","createdAt":"[^"]+","base":1\}\n\{"r":2,/);
  });

  it('reports a damaged line in the middle, leaves both files alone, and quarantines them together', async () => {
    let goal = await store.save(makeGoal(folder));
    for (let i = 1; i <= 3; i++) goal = await store.save({ ...goal, iteration: i });
    const lines = fs.readFileSync(journalFile(), 'utf8').split('\n');
    lines[2] = '{"r": oops';
    const damaged = lines.join('\n');
    fs.writeFileSync(journalFile(), damaged);
    await assert.rejects(new FileGoalStore(folder).load(), (e: unknown) => {
      assert.ok(e instanceof StoreError && e.kind === 'corrupt', String(e));
      assert.match(e.message, /goal\.journal is damaged \(line 3 is not valid JSON/);
      assert.match(e.message, /snapshot .*goal\.json is at revision 1/);
      return true;
    });
    await assert.rejects(store.save(goal), (e: unknown) => e instanceof StoreError && e.kind === 'corrupt');
    assert.equal(fs.readFileSync(journalFile(), 'utf8'), damaged);
    const moved = await store.quarantine();
    assert.equal(moved, `${goalFile()}.corrupt-2026-05-06T07-08-09-010Z`);
    assert.equal(fs.readFileSync(`${journalFile()}.corrupt-2026-05-06T07-08-09-010Z`, 'utf8'), damaged);
    assert.equal(await store.load(), null);
  });

  it('folds the journal into a new snapshot before it outgrows the snapshot', async () => {
    let goal = await store.save(makeGoal(folder));
    assert.equal(store.writes.snapshots, 1);
    // Each save changes 100 KB of summary: after a few lines the journal would be larger than a snapshot.
    for (let i = 0; i < 6; i++) goal = await store.save({ ...goal, checkpointSummary: String(i).repeat(100_000) });
    assert.ok(store.writes.snapshots >= 2, `a new snapshot was written (${store.writes.snapshots})`);
    assert.ok(store.writes.journalBytes <= 256 * 1024 + 2 * 100_100, `the journal stayed bounded (${store.writes.journalBytes} bytes appended)`);
    assert.deepEqual(await new FileGoalStore(folder).load(), goal);
  });

  it('always leaves a loadable goal when a writer of small changes is SIGKILLed at random moments', async function () {
    this.timeout(120_000);
    const lastRevision = await runKillWriterRig({
      folder,
      // The summary always names the iteration it was written with: a half-applied save would show.
      payload: "{ ...goal, iteration: n, checkpointSummary: 'iteration ' + n + ' '.repeat(n % 700) }",
      kills: 12,
      killAfterMs: () => 20 + Math.floor(Math.random() * 60),
      check: (goal, i) => assert.equal(goal.checkpointSummary.trimEnd(), goal.iteration === 0 ? '' : `iteration ${goal.iteration}`, `kill ${i}: a consistent record`),
    });
    assert.ok(lastRevision > 12, `the writers saved between kills (revision ${lastRevision})`);
  });
});
