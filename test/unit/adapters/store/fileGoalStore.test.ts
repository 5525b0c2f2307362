import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { promises as fsPromises } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../../../../src/adapters/fileGoalStore';
import { GOAL_SCHEMA_VERSION, type Goal } from '../../../../src/engine/goal';
import { StoreError } from '../../../../src/engine/ports';
import { makeGoal } from './storeGoal';

async function rejectsWith(promise: Promise<unknown>, kind: StoreError['kind'], ...fragments: string[]): Promise<StoreError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof StoreError, `expected StoreError(${kind}), got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  for (const f of fragments) assert.ok(caught.message.includes(f), `message "${caught.message}" lacks "${f}"`);
  return caught;
}

/** Replaces obj[key] until the returned function is called (the store reads fs.promises at every call). */
function patch<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): () => void {
  const original = obj[key];
  obj[key] = value;
  return () => {
    obj[key] = original;
  };
}

describe('FileGoalStore', () => {
  let folder: string;
  let store: FileGoalStore;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-store-'));
    store = new FileGoalStore(folder, { now: () => new Date('2026-05-06T07:08:09.010Z') });
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  const goalFile = (): string => path.join(folder, '.goalpost', 'goal.json');
  const bakFile = (): string => path.join(folder, '.goalpost', 'goal.json.bak');
  /** A save that writes a new snapshot (a change of status always does), so the old one becomes .bak. */
  const snapshotSave = (goal: Goal, change: Partial<Goal> = {}): Promise<Goal> => {
    const pausing = goal.status !== 'paused';
    // A paused goal has its cause, as the state machine records it (a record without one is migrated on load).
    return store.save({ ...goal, ...change, status: pausing ? 'paused' : 'pursuing', reason: pausing ? 'Paused.' : null, pause: pausing ? { cause: 'user', errorKind: null } : null });
  };

  it('returns null when there is no goal', async () => {
    assert.equal(await store.load(), null);
    assert.deepEqual(await store.history(), []);
  });

  it('keeps the previous snapshot as .bak when it writes a new one', async () => {
    const saved = await store.save(makeGoal(folder));
    const second = await store.save({ ...saved, iteration: 4, checkpointSummary: 'did things' });
    assert.ok(!fs.existsSync(bakFile()), 'a journal line replaces no snapshot, so there is no backup yet');
    const third = await snapshotSave(second);
    assert.deepEqual(await new FileGoalStore(folder).load(), third);
    const backup = JSON.parse(fs.readFileSync(bakFile(), 'utf8')) as Goal;
    assert.equal(backup.revision, 1, 'the backup is the previous snapshot');
    assert.equal(backup.iteration, 0);
  });

  it('reports corrupt JSON clearly, names the backup, and leaves the file untouched', async () => {
    const saved = await snapshotSave(await store.save(makeGoal(folder)));
    const garbage = '{"schemaVersion": 1, "revision": 2, "id": "g-te';
    fs.writeFileSync(goalFile(), garbage);
    const err = await rejectsWith(store.load(), 'corrupt', goalFile(), 'not valid JSON', 'goal.json.bak', 'revision 1', 'untouched');
    assert.match(err.message, /Restore the backup/);
    await rejectsWith(store.save(saved), 'corrupt', goalFile());
    assert.equal(fs.readFileSync(goalFile(), 'utf8'), garbage);
  });

  it('reports a schema-invalid goal with the field at fault, and leaves it untouched', async () => {
    const saved = await store.save(makeGoal(folder));
    const broken = JSON.stringify({ ...saved, status: 'exploded', iteration: -1 });
    fs.writeFileSync(goalFile(), broken);
    const err = await rejectsWith(store.load(), 'corrupt', goalFile(), 'not a valid goal record', 'status', 'No backup');
    assert.match(err.message, /iteration/);
    await rejectsWith(store.save(saved), 'corrupt');
    assert.equal(fs.readFileSync(goalFile(), 'utf8'), broken);
  });

  it('reports an empty goal.json as corrupt', async () => {
    fs.mkdirSync(path.dirname(goalFile()), { recursive: true });
    fs.writeFileSync(goalFile(), '');
    await rejectsWith(store.load(), 'corrupt', 'is empty');
  });

  it('refuses a goal written by a newer schema, and never overwrites it', async () => {
    const saved = await store.save(makeGoal(folder));
    const future = JSON.stringify({ ...saved, schemaVersion: GOAL_SCHEMA_VERSION + 1, somethingNew: true });
    fs.writeFileSync(goalFile(), future);
    await rejectsWith(store.load(), 'newer-schema', 'written by a newer Goalpost', `schema version ${GOAL_SCHEMA_VERSION + 1}`);
    await rejectsWith(store.save(saved), 'newer-schema');
    assert.equal(fs.readFileSync(goalFile(), 'utf8'), future);
  });

  it('quarantine() moves a corrupt goal.json aside so a save can proceed', async () => {
    const saved = await store.save(makeGoal(folder));
    fs.writeFileSync(goalFile(), 'not json');
    const moved = await store.quarantine();
    assert.equal(moved, `${goalFile()}.corrupt-2026-05-06T07-08-09-010Z`);
    assert.equal(fs.readFileSync(moved, 'utf8'), 'not json');
    assert.equal(await store.load(), null);
    const next = await store.save(saved);
    assert.equal(next.revision, 2);
    assert.deepEqual(await store.load(), next);
    assert.equal(await new FileGoalStore(path.join(folder, 'elsewhere')).quarantine(), null);
  });

  it('restoreBackup() quarantines a corrupt goal.json and brings back the last good copy', async () => {
    const first = await store.save(makeGoal(folder));
    await snapshotSave(first, { iteration: 2 });
    fs.writeFileSync(goalFile(), '{');
    const restored = await store.restoreBackup();
    assert.deepEqual(restored, first);
    assert.deepEqual(await store.load(), first);
    const corrupt = fs.readdirSync(path.dirname(goalFile())).filter((n) => n.startsWith('goal.json.corrupt-'));
    assert.equal(corrupt.length, 1);
    assert.equal(fs.readFileSync(path.join(folder, '.goalpost', corrupt[0]), 'utf8'), '{');
    // The restored goal continues normally from its revision.
    assert.equal((await store.save(restored)).revision, 2);
  });

  it('restoreBackup() never replaces a readable goal, and says when there is no backup', async () => {
    await rejectsWith(store.restoreBackup(), 'io', 'no backup');
    const first = await store.save(makeGoal(folder));
    const second = await snapshotSave(first);
    await rejectsWith(store.restoreBackup(), 'conflict', 'readable');
    assert.deepEqual(await store.load(), second);
  });

  it('refuses to save an invalid goal record', async () => {
    const goal = { ...makeGoal(folder), iteration: -3 };
    await rejectsWith(store.save(goal), 'io', 'invalid goal record', 'iteration');
    assert.ok(!fs.existsSync(goalFile()));
    // An id becomes a history file name, so one that could leave the folder never reaches the disk.
    await rejectsWith(store.save(makeGoal(folder, '../escape')), 'io', 'invalid goal record', 'id');
    assert.ok(!fs.existsSync(goalFile()));
    const saved = await store.save(makeGoal(folder));
    await rejectsWith(store.save({ ...saved, status: 'exploded' as Goal['status'] }), 'io', 'invalid goal record', 'status');
    assert.deepEqual(await new FileGoalStore(folder).load(), saved);
  });

  it('ignores and cleans leftover temp files of dead writers', async () => {
    const saved = await store.save(makeGoal(folder));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    assert.ok(dead && dead > 0);
    const dir = path.join(folder, '.goalpost');
    const leftovers = [`goal.json.tmp-${dead}-deadbeef`, `goal.json.bak.tmp-${dead}-0badf00d`];
    for (const name of leftovers) fs.writeFileSync(path.join(dir, name), '{"half": ');
    fs.mkdirSync(path.join(dir, 'history'));
    fs.writeFileSync(path.join(dir, 'history', `g-x.json.tmp-${dead}-abcdef01`), '');
    const live = `goal.json.tmp-${process.ppid}-0123abcd`;
    fs.writeFileSync(path.join(dir, live), '');

    assert.deepEqual(await new FileGoalStore(folder).load(), saved);
    const remaining = fs.readdirSync(dir).sort();
    assert.deepEqual(remaining, ['goal.json', live, 'history'].sort(), 'only a live process\'s temp file stays');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'history')), []);
  });

  describe('a save does no more work than its guarantees need', () => {
    const ino = (file: string): bigint => fs.statSync(file, { bigint: true }).ino;
    const tempFiles = (): string[] => fs.readdirSync(path.dirname(goalFile())).filter((n) => n.includes('.tmp-'));

    it('keeps the previous copy as goal.json.bak by a hard link, not by writing it again', async () => {
      const first = await store.save(makeGoal(folder));
      const firstIno = ino(goalFile());
      const second = await snapshotSave(first, { iteration: 1 });
      assert.equal(ino(bakFile()), firstIno, 'the backup is the very file that was goal.json');
      assert.notEqual(ino(goalFile()), firstIno);
      assert.equal(fs.statSync(goalFile()).nlink, 1, 'after the save the two names are separate files again');
      assert.equal(fs.statSync(bakFile()).nlink, 1);
      assert.equal((JSON.parse(fs.readFileSync(bakFile(), 'utf8')) as Goal).revision, first.revision);
      await snapshotSave(second);
      assert.equal((JSON.parse(fs.readFileSync(bakFile(), 'utf8')) as Goal).revision, second.revision);
      assert.deepEqual(tempFiles(), []);
    });

    it('appends one line with one fdatasync per save, and creates no file (a new snapshot: two fsyncs)', async () => {
      let saved = await store.save(makeGoal(folder));
      saved = await store.save({ ...saved, iteration: 1 });
      const probe = await fsPromises.open(goalFile(), 'r');
      const handleProto = Object.getPrototypeOf(probe) as { sync(): Promise<void>; datasync(): Promise<void> };
      await probe.close();
      let syncs = 0;
      let datasyncs = 0;
      const realSync = handleProto.sync;
      const realDatasync = handleProto.datasync;
      const realOpen = fsPromises.open;
      const created: string[] = [];
      const restoreSync = patch(handleProto, 'sync', function (this: unknown): Promise<void> {
        syncs++;
        return realSync.call(this);
      });
      const restoreDatasync = patch(handleProto, 'datasync', function (this: unknown): Promise<void> {
        datasyncs++;
        return realDatasync.call(this);
      });
      const restoreOpen = patch(fsPromises, 'open', ((file: fs.PathLike, flags?: string | number, mode?: fs.Mode) => {
        if (flags === 'wx') created.push(String(file));
        return realOpen(file, flags, mode);
      }) as typeof fsPromises.open);
      const journalBefore = fs.statSync(path.join(folder, '.goalpost', 'goal.journal')).size;
      try {
        for (let i = 0; i < 3; i++) saved = await store.save({ ...saved, iteration: 10 + i });
        assert.deepEqual({ created, syncs, datasyncs }, { created: [], syncs: 0, datasyncs: 3 });
        const journalAfter = fs.statSync(path.join(folder, '.goalpost', 'goal.journal')).size;
        assert.ok(journalAfter - journalBefore < 300, `three small lines (${journalAfter - journalBefore} bytes), not three records`);
        saved = await snapshotSave(saved);
      } finally {
        restoreSync();
        restoreDatasync();
        restoreOpen();
      }
      assert.equal(created.length, 1, `one new file for the snapshot: ${created.join(', ')}`);
      assert.ok(created.every((f) => f.startsWith(`${goalFile()}.tmp-`)), created.join(', '));
      assert.equal(syncs, process.platform === 'win32' ? 1 : 2);
      assert.ok(!fs.existsSync(path.join(folder, '.goalpost', 'goal.journal')), 'the new snapshot holds what the journal did');
      assert.deepEqual(await new FileGoalStore(folder).load(), saved);
    });

    it('reads goal.json on a save only when another writer replaced it, and then refuses a stale revision', async () => {
      let saved = await store.save(makeGoal(folder));
      const realOpen = fsPromises.open;
      let reads = 0;
      const restore = patch(fsPromises, 'open', ((file: fs.PathLike, flags?: string | number, mode?: fs.Mode) => {
        if (String(file) === goalFile() && flags === 'r') reads++;
        return realOpen(file, flags, mode);
      }) as typeof fsPromises.open);
      try {
        for (let i = 0; i < 4; i++) saved = await store.save({ ...saved, iteration: i });
        assert.equal(reads, 0, 'its own file is not read back');

        const other = new FileGoalStore(folder);
        const theirs = await other.save({ ...((await other.load()) as Goal), checkpointSummary: 'written by the other process' });
        reads = 0;
        await rejectsWith(store.save({ ...saved, iteration: 9 }), 'conflict', `revision ${theirs.revision}`, `at ${saved.revision}`);
        assert.equal(reads, 1, 'a file it did not write is read');
        assert.deepEqual(await store.load(), theirs);
        reads = 0;
        const next = await store.save({ ...theirs, iteration: 9 });
        assert.equal(reads, 0, 'a file it has just read is not read again');
        assert.equal(next.revision, theirs.revision + 1);
      } finally {
        restore();
      }
    });

    it('notices an in-place rewrite of the same size with its old timestamps put back', async () => {
      const first = await store.save(makeGoal(folder));
      const saved = await store.save(first);
      const before = fs.statSync(goalFile());
      const text = fs.readFileSync(goalFile(), 'utf8');
      const edited = text.replace(`"revision":${saved.revision - 1},`, '"revision":7,');
      assert.equal(edited.length, text.length);
      assert.notEqual(edited, text);
      fs.writeFileSync(goalFile(), edited);
      fs.utimesSync(goalFile(), before.atime, before.mtime);
      // The journal continues revision 1, not 7, so it is ignored and the snapshot's 7 stands.
      await rejectsWith(store.save(saved), 'conflict', 'revision 7');
      assert.equal(fs.readFileSync(goalFile(), 'utf8'), edited);
    });

    it('notices that goal.json was removed by another process and saves afresh', async () => {
      const saved = await store.save(makeGoal(folder));
      fs.rmSync(goalFile());
      const again = await store.save({ ...saved, revision: 0 });
      assert.equal(again.revision, 1);
      assert.deepEqual(await new FileGoalStore(folder).load(), again);
    });

    it('copies the backup (synced) where the file system has no hard links, and stops trying links', async () => {
      let links = 0;
      const restore = patch(fsPromises, 'link', (() => {
        links++;
        return Promise.reject(Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' }));
      }) as typeof fsPromises.link);
      let second: Goal;
      let third: Goal;
      try {
        const first = await store.save(makeGoal(folder));
        const firstIno = ino(goalFile());
        second = await snapshotSave(first, { iteration: 1 });
        assert.notEqual(ino(bakFile()), firstIno, 'a copy, not a link');
        assert.equal((JSON.parse(fs.readFileSync(bakFile(), 'utf8')) as Goal).revision, first.revision);
        third = await snapshotSave(second, { iteration: 2 });
      } finally {
        restore();
      }
      assert.equal(links, 1);
      assert.deepEqual(JSON.parse(fs.readFileSync(bakFile(), 'utf8')), second);
      assert.deepEqual(await new FileGoalStore(folder).load(), third);
      assert.deepEqual(tempFiles(), []);
    });

    it('recovers when a crash left goal.json and goal.json.bak as two names of one file', async () => {
      const first = await store.save(makeGoal(folder));
      const second = await snapshotSave(first);
      // What a writer killed between linking the backup and renaming the new goal.json leaves behind.
      fs.rmSync(bakFile());
      fs.linkSync(goalFile(), bakFile());
      const fresh = new FileGoalStore(folder);
      const loaded = await fresh.load() as Goal;
      const third = await fresh.save({ ...loaded, status: 'pursuing', reason: null });
      assert.equal(third.revision, second.revision + 1);
      assert.deepEqual(tempFiles(), [], 'no temp name is left behind');
      assert.deepEqual(JSON.parse(fs.readFileSync(bakFile(), 'utf8')), second);
      assert.notEqual(ino(bakFile()), ino(goalFile()));
    });
  });

  describe('archive and history', () => {
    it('moves the goal into history and removes goal.json and its backup', async () => {
      const first = await store.save(makeGoal(folder));
      const ended: Goal = { ...(await store.save(await snapshotSave(first))), status: 'achieved', reason: 'done', endedAt: '2026-01-03T00:00:00.000Z' };
      assert.ok(fs.existsSync(bakFile()) && fs.existsSync(path.join(folder, '.goalpost', 'goal.journal')));
      await store.archive(ended);
      assert.equal(await store.load(), null);
      assert.deepEqual(fs.readdirSync(path.join(folder, '.goalpost')), ['history'], 'goal.json, its journal and its backup are gone');
      const historyPath = path.join(folder, '.goalpost', 'history', `${ended.id}.json`);
      assert.deepEqual(JSON.parse(fs.readFileSync(historyPath, 'utf8')), ended);
      assert.deepEqual(await store.history(), [ended]);
    });

    it('lists newest first, keeps goals that reuse an id, and reports corrupt files', async () => {
      const a = { ...makeGoal(folder, 'g-a', '2026-01-01T00:00:00.000Z'), status: 'unmet' as const, endedAt: '2026-01-01T10:00:00.000Z' };
      const b = { ...makeGoal(folder, 'g-b', '2026-01-02T00:00:00.000Z'), status: 'cleared' as const, endedAt: '2026-01-02T10:00:00.000Z' };
      const a2 = { ...makeGoal(folder, 'g-a', '2026-01-03T00:00:00.000Z'), status: 'achieved' as const, endedAt: '2026-01-03T10:00:00.000Z' };
      for (const g of [b, a, a2]) await store.archive(g);
      const historyDir = path.join(folder, '.goalpost', 'history');
      fs.writeFileSync(path.join(historyDir, 'broken.json'), '{oops');
      fs.writeFileSync(path.join(historyDir, 'notes.txt'), 'ignored');

      const { goals, warnings } = await store.historyWithWarnings();
      assert.deepEqual(goals.map((g) => `${g.id}@${g.endedAt}`), ['g-a@2026-01-03T10:00:00.000Z', 'g-b@2026-01-02T10:00:00.000Z', 'g-a@2026-01-01T10:00:00.000Z']);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /broken\.json/);
      assert.equal((await store.history()).length, 3);
      assert.equal(fs.readFileSync(path.join(historyDir, 'broken.json'), 'utf8'), '{oops');
    });
  });
});
