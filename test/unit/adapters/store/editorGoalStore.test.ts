// The editor's store keeps a copy of the goal in workspaceState, refreshed only with each new snapshot
// of the file store, and the newer revision still wins on load.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../../../../src/adapters/fileGoalStore';
import { newGoal, type Goal } from '../../../../src/engine/goal';
import { EditorGoalStore } from '../../../../src/vscode/goalStore';
import { MapMemento } from './mapMemento';

describe('EditorGoalStore', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-editor-store-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  const start = (): Goal =>
    newGoal({ id: 'g-editor', folder, spec: { objective: 'o', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] }, tokenBudget: null, validation: { commands: [], source: 'none' }, now: '2026-01-01T00:00:00.000Z' });

  it('does not write the whole record to workspaceState on every save', async () => {
    const memento = new MapMemento();
    const store = new EditorGoalStore(memento, folder);
    let goal = await store.save(start());
    assert.equal(memento.updates, 1, 'the first save is a snapshot, mirrored');
    for (let i = 1; i <= 20; i++) goal = await store.save({ ...goal, iteration: i });
    assert.equal(memento.updates, 1, 'journal saves leave workspaceState alone');
    goal = await store.save({ ...goal, status: 'paused', reason: 'Paused.' });
    assert.equal(memento.updates, 2, 'a new snapshot (a change of status) is mirrored');
    assert.equal(memento.get<Goal>(`goalpost.goal:${folder}`)?.revision, goal.revision);
  });

  it('loads the file when it is ahead of the copy, and the copy when .goalpost/ is gone', async () => {
    const memento = new MapMemento();
    const store = new EditorGoalStore(memento, folder);
    let goal = await store.save(start());
    for (let i = 1; i <= 5; i++) goal = await store.save({ ...goal, iteration: i });
    assert.deepEqual(await new EditorGoalStore(memento, folder).load(), goal, 'the file, five saves ahead of the copy, wins');
    assert.equal(memento.get<Goal>(`goalpost.goal:${folder}`)?.revision, goal.revision, 'and the copy catches up on load');

    fs.rmSync(path.join(folder, '.goalpost'), { recursive: true });
    const restored = (await new EditorGoalStore(memento, folder).load()) as Goal;
    assert.equal(restored.iteration, 5);
    assert.equal(restored.revision, goal.revision + 1, 'written back to .goalpost/ as a new snapshot');
    assert.deepEqual(await new FileGoalStore(folder).load(), restored);
  });
});
