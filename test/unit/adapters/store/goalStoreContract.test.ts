// One contract for every GoalStore: the fake the engine tests run on (MemoryStore), the real file
// store, and the editor's store (workspaceState + the file store) all answer these the same way, so a
// loop test on the fake proves something about the product.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../../../../src/adapters/fileGoalStore';
import type { Goal } from '../../../../src/engine/goal';
import { StoreError, type GoalStore } from '../../../../src/engine/ports';
import { EditorGoalStore } from '../../../../src/vscode/goalStore';
import { MemoryStore } from '../../../support/fakes/memoryStore';
import { MapMemento } from './mapMemento';
import { makeGoal } from './storeGoal';

interface Subject {
  store: GoalStore;
  /** A second store over the same storage (another process, or a reload); the fake has only one. */
  reopen(): GoalStore;
}

const SUBJECTS: Record<string, (folder: string) => Subject> = {
  MemoryStore: () => {
    const store = new MemoryStore();
    return { store, reopen: () => store };
  },
  FileGoalStore: (folder) => ({ store: new FileGoalStore(folder), reopen: () => new FileGoalStore(folder) }),
  EditorGoalStore: (folder) => {
    const memento = new MapMemento();
    return { store: new EditorGoalStore(memento, folder), reopen: () => new EditorGoalStore(memento, folder) };
  },
};

async function rejectsWith(promise: Promise<unknown>, kind: StoreError['kind'], fragment: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof StoreError, `expected StoreError(${kind}), got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    assert.match(e.message, fragment);
    return true;
  });
}

const task = (id: string): Goal['backlog'][number] => ({
  id, title: `Task ${id}`, details: '', acceptance: '', status: 'todo', source: 'planner', attempts: [], blockedReason: null, commit: null, commands: [],
});

for (const [name, make] of Object.entries(SUBJECTS)) {
  describe(`GoalStore contract: ${name}`, () => {
    let folder: string;
    let subject: Subject;
    beforeEach(() => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-contract-'));
      subject = make(folder);
    });
    afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

    it('has no goal and no history at first', async () => {
      assert.equal(await subject.store.load(), null);
      assert.deepEqual(await subject.store.history(), []);
    });

    it('returns each save with the revision + 1, and loads exactly what was saved', async () => {
      const first = await subject.store.save(makeGoal(folder));
      assert.equal(first.revision, 1);
      const second = await subject.store.save({ ...first, iteration: 3, backlog: [task('t1'), task('t2')], checkpointSummary: 'did things' });
      const third = await subject.store.save({ ...second, backlog: [second.backlog[0], { ...second.backlog[1], status: 'done' }] });
      assert.equal(third.revision, 3);
      assert.deepEqual(await subject.reopen().load(), third);
      assert.deepEqual(await subject.store.load(), third);
    });

    it('refuses a stale revision and another goal, and keeps what it has', async () => {
      const first = await subject.store.save(makeGoal(folder));
      const second = await subject.store.save({ ...first, iteration: 1 });
      await rejectsWith(subject.store.save({ ...first, iteration: 99 }), 'conflict', /revision 2.*at 1/);
      await rejectsWith(subject.store.save(makeGoal(folder, 'g-other')), 'conflict', /g-store/);
      assert.deepEqual(await subject.store.load(), second);
    });

    it('refuses an invalid record with the field at fault, and keeps what it has', async () => {
      await rejectsWith(subject.store.save({ ...makeGoal(folder), iteration: -3 }), 'io', /invalid goal record.*iteration/);
      assert.equal(await subject.store.load(), null);
      const saved = await subject.store.save({ ...makeGoal(folder), backlog: [task('t1')] });
      const badTask = { ...saved.backlog[0], status: 'exploded' } as unknown as Goal['backlog'][number];
      await rejectsWith(subject.store.save({ ...saved, backlog: [badTask] }), 'io', /invalid goal record.*backlog\.0\.status/);
      await rejectsWith(subject.store.save({ ...saved, usage: { ...saved.usage, total: { ...saved.usage.total, tokens: -1 } } }), 'io', /usage\.total\.tokens/);
      assert.deepEqual(await subject.reopen().load(), saved);
    });

    it('is not changed by changing, in place, what was saved or returned', async () => {
      const input = { ...makeGoal(folder), backlog: [task('t1')] };
      const saved = await subject.store.save(input);
      const attempt = (change: () => void): void => {
        try {
          change();
        } catch {
          // A store may freeze what it keeps (the file store does); either way nothing stored changes.
        }
      };
      attempt(() => {
        saved.backlog[0].title = 'changed after save';
      });
      attempt(() => {
        input.spec.objective = 'changed after save';
      });
      const loaded = await subject.reopen().load();
      assert.equal(loaded?.backlog[0].title, 'Task t1');
      assert.equal(loaded?.spec.objective, 'Make the tests pass.');
    });

    it('saves a goal that is not stored under any revision (a restored copy), but never an archived one', async () => {
      const restored = await subject.store.save({ ...makeGoal(folder), revision: 7 });
      assert.equal(restored.revision, 8);
      const ended: Goal = { ...restored, status: 'achieved', reason: 'done', endedAt: '2026-01-03T00:00:00.000Z' };
      await subject.store.archive(ended);
      await subject.store.archive(ended);
      assert.equal(await subject.store.load(), null);
      assert.deepEqual(await subject.store.history(), [ended], 'archiving twice keeps one copy');
      await rejectsWith(subject.store.save(restored), 'conflict', /archived/);
      assert.equal(await subject.store.load(), null);
    });

    it('lists history newest first and leaves an active goal that is another one', async () => {
      const a = { ...makeGoal(folder, 'g-a', '2026-01-01T00:00:00.000Z'), status: 'unmet' as const, endedAt: '2026-01-01T10:00:00.000Z' };
      const b = { ...makeGoal(folder, 'g-b', '2026-01-02T00:00:00.000Z'), status: 'cleared' as const, endedAt: '2026-01-02T10:00:00.000Z' };
      const active = await subject.store.save(makeGoal(folder, 'g-active'));
      await subject.store.archive(a);
      await subject.store.archive(b);
      assert.deepEqual((await subject.store.history()).map((g) => g.id), ['g-b', 'g-a']);
      assert.deepEqual(await subject.store.load(), active);
    });
  });
}
