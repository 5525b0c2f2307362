import { strict as assert } from 'node:assert';
import { applyOps, diffRecord, freezeNew, ReplayError, type RecordOp } from '../../../../src/adapters/store/recordDiff';
import { JournalError, journalHeader, journalLine, replayJournal } from '../../../../src/adapters/store/journal';

type Rec = Record<string, unknown>;

/** prev + diff(prev, next) must equal next, starting from a detached copy of prev (as a load does). */
function roundTrip(prev: Rec, next: Rec): RecordOp[] {
  const ops = diffRecord(prev, next);
  const copy = JSON.parse(JSON.stringify(prev)) as Rec;
  applyOps(copy, JSON.parse(JSON.stringify(ops)) as RecordOp[]);
  assert.deepEqual(copy, JSON.parse(JSON.stringify(next)));
  return ops;
}

describe('recordDiff', () => {
  const task = (id: string, status = 'todo'): Rec => ({ id, title: `Task ${id}`, status, attempts: [{ n: 1, checks: ['long output'.repeat(50)] }] });

  it('finds nothing when the record is the same object, without looking inside', () => {
    const backlog = new Proxy([task('t1')], { get: () => assert.fail('an unchanged subtree was looked into') });
    const prev = { a: 1, backlog };
    assert.deepEqual(diffRecord(prev, { ...prev }), []);
  });

  it('records only the changed path of an immutable update', () => {
    const backlog = Array.from({ length: 200 }, (_, i) => task(`t${i + 1}`));
    const prev: Rec = { revision: 3, status: 'pursuing', backlog, usage: { total: { tokens: 5 } } };
    const changedTask = { ...backlog[7], status: 'done' };
    const next: Rec = { ...prev, backlog: backlog.map((t, i) => (i === 7 ? changedTask : t)), usage: { total: { tokens: 9 } } };
    const ops = roundTrip(prev, next);
    assert.deepEqual(ops, [
      ['s', ['backlog', 7, 'status'], 'done'],
      ['s', ['usage', 'total', 'tokens'], 9],
    ]);
    assert.ok(JSON.stringify(ops).length < 100, 'a line costs the change, not the 200-task backlog');
  });

  it('appends, truncates, deletes keys, and writes a reordered element whole', () => {
    const prev: Rec = { list: [task('t1'), task('t2'), task('t3')], extra: true, note: 'x' };
    const appended: Rec = { ...prev, list: [...(prev.list as Rec[]), task('t4')] };
    assert.deepEqual(roundTrip(prev, appended), [['s', ['list', 3], task('t4')]]);
    const { extra: _extra, ...withoutExtra } = prev;
    assert.deepEqual(roundTrip(prev, withoutExtra), [['d', ['extra']]]);
    const shorter: Rec = { ...prev, list: (prev.list as Rec[]).slice(0, 1) };
    assert.deepEqual(roundTrip(prev, shorter), [['t', ['list'], 1]]);
    const list = prev.list as Rec[];
    const reordered: Rec = { ...prev, list: [list[1], list[0], list[2]] };
    const ops = roundTrip(prev, reordered);
    assert.deepEqual(ops.map((op) => op[1].join('.')), ['list.0', 'list.1'], 'two whole elements, not a diff between different tasks');
  });

  it('finds real changes even when every object is new (a copy from elsewhere)', () => {
    const prev: Rec = { backlog: [task('t1'), task('t2')], n: 1 };
    const next = JSON.parse(JSON.stringify(prev)) as Rec;
    (next.backlog as Rec[])[1].title = 'renamed';
    assert.deepEqual(roundTrip(prev, next), [['s', ['backlog', 1, 'title'], 'renamed']]);
  });

  it('refuses operations that do not fit the record, and keys that reach the prototype', () => {
    assert.throws(() => applyOps({ a: 1 }, [['s', ['missing', 'deep'], 1]]), ReplayError);
    assert.throws(() => applyOps({ list: [] }, [['s', ['list', 5], 1]]), ReplayError);
    assert.throws(() => applyOps({ list: [] }, [['s', ['list', 'x'], 1]]), ReplayError);
    assert.throws(() => applyOps({}, [['s', ['__proto__', 'polluted'], 1]]), ReplayError);
    assert.equal(({} as Rec).polluted, undefined);
  });

  it('freezes new parts only, so a saved record cannot be changed in place', () => {
    const shared = freezeNew({ deep: { n: 1 } });
    const rec = freezeNew({ shared, fresh: { list: [1] } });
    assert.ok(Object.isFrozen(rec.fresh.list));
    assert.throws(() => {
      (rec.fresh.list as number[]).push(2);
    }, TypeError);
  });

  it('freezes every new part against the record stored before, deep inside changed lists too', () => {
    const prev = freezeNew({ backlog: [{ id: 't1', attempts: [{ n: 1 }] }, { id: 't2', attempts: [] as { n: number }[] }], usage: { n: 1 } });
    const next = {
      ...prev,
      backlog: [prev.backlog[0], { ...prev.backlog[1], attempts: [{ n: 1 }] }, { id: 't3', attempts: [{ n: 7 }] }],
      usage: { n: 2 },
    };
    freezeNew(next, prev);
    for (const part of [next, next.backlog, next.backlog[1], next.backlog[1].attempts, next.backlog[1].attempts[0], next.backlog[2].attempts[0], next.usage]) {
      assert.ok(Object.isFrozen(part), JSON.stringify(part));
    }
    // A previous record that is not frozen vouches for nothing: everything new is still frozen.
    const loose = { list: [{ n: 1 }] };
    const again = { list: [loose.list[0], { n: 2 }] };
    freezeNew(again, loose);
    assert.ok(Object.isFrozen(again.list[0]) && Object.isFrozen(again.list[1]));
  });
});

describe('journal', () => {
  const base = { id: 'g1', createdAt: '2026-01-01T00:00:00.000Z', revision: 4 };
  const snapshot = (): Rec => ({ id: 'g1', createdAt: base.createdAt, revision: 4, n: 0 });
  const lines = (...texts: string[]): Buffer => Buffer.from(texts.join(''));

  it('replays every line in order and reports where the next one goes', () => {
    const text = journalHeader(base) + journalLine(5, [['s', ['n'], 1]]) + journalLine(6, [['s', ['n'], 2]]);
    const r = replayJournal(snapshot(), base, lines(text));
    assert.deepEqual(r.value, { id: 'g1', createdAt: base.createdAt, revision: 6, n: 2 });
    assert.equal(r.lines, 2);
    assert.equal(r.goodBytes, Buffer.byteLength(text));
    assert.equal(r.tornBytes, 0);
  });

  it('drops a last line cut short by a crash', () => {
    const good = journalHeader(base) + journalLine(5, [['s', ['n'], 1]]);
    const torn = journalLine(6, [['s', ['n'], 2]]).slice(0, 12);
    const r = replayJournal(snapshot(), base, lines(good, torn));
    assert.equal(r.revision, 5);
    assert.equal(r.goodBytes, Buffer.byteLength(good));
    assert.equal(r.tornBytes, torn.length);
  });

  it('ignores a journal that continues another snapshot or another goal', () => {
    for (const other of [{ ...base, revision: 3 }, { ...base, id: 'g2' }, { ...base, createdAt: 'later' }]) {
      const r = replayJournal(snapshot(), base, lines(journalHeader(other), journalLine(other.revision + 1, [['s', ['n'], 9]])));
      assert.equal(r.stale, true);
      assert.deepEqual(r.value, snapshot());
      assert.equal(r.goodBytes, 0, 'the next save starts a fresh journal');
    }
  });

  it('refuses damage that is not a torn last line: a bad line in the middle, a gap, a misfit', () => {
    const head = journalHeader(base);
    assert.throws(() => replayJournal(snapshot(), base, lines(head, '{oops\n', journalLine(5, []))), (e: unknown) => e instanceof JournalError && /line 2 is not valid JSON/.test(e.message));
    assert.throws(() => replayJournal(snapshot(), base, lines(head, journalLine(6, []))), /revision 6 where revision 5/);
    assert.throws(() => replayJournal(snapshot(), base, lines(head, journalLine(5, [['s', ['no', 'where'], 1]]))), /line 2 does not fit/);
    assert.throws(() => replayJournal(snapshot(), base, lines('{"journal":1}\n')), /line 1 is not a journal header/);
    assert.throws(() => replayJournal(snapshot(), base, lines(head, journalLine(5, [], true), '\0\0\0\0\n', journalLine(7, []))), /line 3 is not valid JSON/, 'damage before a durable line is real');
  });

  it('drops lazy lines a power loss damaged, when no durable line follows them', () => {
    const good = journalHeader(base) + journalLine(5, [['s', ['n'], 1]]);
    // Line 6 never reached the disk (zeros), line 7 did: both lazy, so the record stands at revision 5.
    const lost = '\0'.repeat(20) + '\n' + journalLine(7, [['s', ['n'], 3]], true);
    const r = replayJournal(snapshot(), base, lines(good, lost));
    assert.equal(r.revision, 5);
    assert.equal(r.value.n, 1);
    assert.equal(r.goodBytes, Buffer.byteLength(good), 'the next save overwrites the damaged tail');
    assert.equal(r.tornBytes, Buffer.byteLength(lost));
    const gap = replayJournal(snapshot(), base, lines(good, journalLine(7, [], true)));
    assert.equal(gap.revision, 5, 'a lazy line after a lost one is dropped too');
    assert.match(journalLine(6, [], true), /"l":1/);
    assert.doesNotMatch(journalLine(6, []), /"l"/);
  });
});
