// The merge base of BACKLOG.md as a journal (src/engine/loop/backlogBase.ts): every write appends only
// what changed, a replay gives back exactly the text the engine wrote, damage is refused, and the
// whole-text file of earlier versions is read and replaced.
import * as assert from 'node:assert/strict';
import type { Task } from '../../../../src/engine/goal';
import { renderBacklog } from '../../../../src/engine/backlog/markdown';
import { BACKLOG_BASE_JOURNAL, LEGACY_BACKLOG_BASE, baseText, loadBase, replayBaseJournal, sameRendering, writeBase, type BacklogBase } from '../../../../src/engine/loop/backlogBase';
import { MemoryWorkspace } from '../../../support/fakes/memoryWorkspace';
import { nastyText, nastyTitle, seeded, shuffled, int, pick } from '../backlog/randomBacklog';

function task(n: number, status: Task['status'] = 'todo', title = `Task number ${n}`): Task {
  return {
    id: `t${n}`, title, details: `Details of task ${n}.\nSecond line.`, acceptance: `Task ${n} works.`, status, source: 'planner',
    attempts: [], blockedReason: status === 'blocked' ? 'waiting' : null, commit: null, commands: [],
  };
}

function backlogOf(size: number): Task[] {
  return Array.from({ length: size }, (_, i) => task(i + 1));
}

/** Writes `backlog` as the engine does after writing BACKLOG.md, and returns the new base. */
async function write(ws: MemoryWorkspace, base: BacklogBase | null, backlog: Task[], goalId = 'g1'): Promise<BacklogBase> {
  return writeBase(ws, base, goalId, backlog, renderBacklog(backlog, goalId));
}

function journal(ws: MemoryWorkspace): string {
  return ws.get(BACKLOG_BASE_JOURNAL) ?? '';
}

describe('BACKLOG.md merge base journal', () => {
  for (const frozen of [false, true]) it(`replays to exactly the text last written, through changes, additions, deletions and reorders (${frozen ? 'frozen tasks, as stored' : 'plain tasks'})`, async () => {
    const ws = new MemoryWorkspace();
    const random = seeded(13);
    let backlog = backlogOf(6);
    let base = await write(ws, null, backlog);
    for (let step = 0; step < 60; step++) {
      // Stored tasks are frozen: a write finds the unchanged ones by reference (BacklogBase.from).
      if (frozen) backlog.forEach((t) => Object.freeze(t));
      const at = int(random, backlog.length);
      const kind = pick(random, ['status', 'title', 'details', 'add', 'delete', 'reorder'] as const);
      if (kind === 'status') backlog = backlog.map((t, i) => (i === at ? { ...t, status: pick(random, ['todo', 'in-progress', 'done', 'blocked'] as const) } : t));
      if (kind === 'title') backlog = backlog.map((t, i) => (i === at ? { ...t, title: nastyTitle(random) || 'x' } : t));
      if (kind === 'details') backlog = backlog.map((t, i) => (i === at ? { ...t, details: nastyText(random) } : t));
      if (kind === 'add') backlog = [...backlog, task(100 + step)];
      if (kind === 'delete' && backlog.length > 1) backlog = backlog.filter((_, i) => i !== at);
      if (kind === 'reorder') backlog = shuffled(random, backlog);
      base = await write(ws, base, backlog);
      const replayed = replayBaseJournal(journal(ws), 'g1');
      assert.ok(replayed, `step ${step} (${kind}): the journal replays`);
      assert.equal(replayed.text, renderBacklog(backlog, 'g1'), `step ${step} (${kind}): the replayed base is the text written`);
      assert.equal(base.text, replayed.text);
      assert.equal(base.journalChars, journal(ws).length, 'the size it keeps is the file\'s');
    }
  });

  it('appends what one change costs, the same for a backlog of 10 and of 400 tasks', async () => {
    const appended = async (size: number): Promise<number> => {
      const ws = new MemoryWorkspace();
      const backlog = backlogOf(size);
      const base = await write(ws, null, backlog);
      const before = journal(ws).length;
      await write(ws, base, backlog.map((t, i) => (i === 3 ? { ...t, status: 'done' as const } : t)));
      assert.deepEqual(ws.writes.map((w) => w.op), ['write', 'append'], 'written whole once, then appended');
      return journal(ws).length - before;
    };
    const small = await appended(10);
    const large = await appended(400);
    assert.equal(large, small, 'one task changed: the same line whatever the backlog size');
    assert.ok(small < 120, `a one-task line is short (${small} characters)`);
  });

  it('writes nothing when no shown field changed (attempts, commits and commands are not in BACKLOG.md)', async () => {
    const ws = new MemoryWorkspace();
    const backlog = backlogOf(5);
    const base = await write(ws, null, backlog);
    const again = await write(ws, base, backlog.map((t) => ({ ...t, commit: 'abc', commands: ['npm test'] })));
    assert.equal(ws.writes.length, 1);
    assert.equal(again.text, base.text);
  });

  it('rewrites the journal whole once it has grown to a few copies of the base, so it stays bounded', async () => {
    const ws = new MemoryWorkspace();
    let backlog = backlogOf(50).map((t) => Object.freeze(t));
    let base = await write(ws, null, backlog);
    let longest = 0;
    for (let i = 0; i < 1000; i++) {
      backlog = backlog.map((t, j) => (j === i % 50 ? Object.freeze({ ...t, title: `${t.title}!` }) : t));
      base = await write(ws, base, backlog);
      longest = Math.max(longest, journal(ws).length);
    }
    const whole = renderBacklog(backlog, 'g1').length;
    assert.ok(ws.writes.filter((w) => w.op === 'write').length > 1, 'rewritten at least once');
    assert.ok(longest <= Math.max(64 * 1024, 4 * whole) + 1000, `the journal stayed bounded (${longest} characters for a ${whole}-character base)`);
    assert.equal(replayBaseJournal(journal(ws), 'g1')?.text, renderBacklog(backlog, 'g1'));
  });

  it('drops a last line a crash cut short, and refuses damage elsewhere or another goal\'s journal', async () => {
    const ws = new MemoryWorkspace();
    const backlog = backlogOf(3);
    const base = await write(ws, null, backlog);
    await write(ws, base, backlog.map((t, i) => (i === 0 ? { ...t, status: 'done' as const } : t)));
    const text = journal(ws);
    const lines = text.split('\n');
    assert.equal(replayBaseJournal(text.slice(0, -5), 'g1')?.text, renderBacklog(backlog, 'g1'), 'the torn last line never counted');
    assert.equal(replayBaseJournal([lines[0], '{"set":[["t1"', lines[2], ''].join('\n'), 'g1'), null, 'a damaged line in the middle');
    assert.equal(replayBaseJournal([lines[0], lines[1], '{"del":["t9"]}', ''].join('\n'), 'g1'), null, 'a line that does not fit the base');
    assert.equal(replayBaseJournal(text, 'g2'), null, 'another goal\'s base is not this goal\'s');
    assert.equal(replayBaseJournal('', 'g1'), null);
  });

  it('a write after a last line a crash cut short rewrites the journal: the next load reads the newest base', async () => {
    const ws = new MemoryWorkspace();
    const backlog = backlogOf(3);
    await write(ws, await write(ws, null, backlog), backlog.map((t, i) => (i === 0 ? { ...t, status: 'done' as const } : t)));
    // The next append was cut short: part of its line reached the file, without its newline.
    ws.put(BACKLOG_BASE_JOURNAL, `${journal(ws)}{"set":[["t2","Task numb`);
    const loaded = await loadBase(ws, 'g1');
    assert.ok(loaded, 'the torn line is dropped, the base before it stands');
    assert.equal(loaded.text, renderBacklog(backlog.map((t, i) => (i === 0 ? { ...t, status: 'done' as const } : t)), 'g1'));

    const newest = backlog.map((t, i) => (i === 0 ? { ...t, status: 'done' as const } : i === 2 ? { ...t, status: 'in-progress' as const } : t));
    const written = await write(ws, loaded, newest);
    assert.doesNotMatch(journal(ws), /Task numb(?!er)/, 'the torn bytes are gone');
    assert.equal(written.journalChars, journal(ws).length);
    assert.equal((await loadBase(ws, 'g1'))?.text, renderBacklog(newest, 'g1'), 'the next load reads the newest base, not an unknown one');
    // Once whole again, writes append as before.
    const appendsBefore = ws.writes.filter((w) => w.op === 'append').length;
    const last = newest.map((t, i) => (i === 1 ? { ...t, status: 'done' as const } : t));
    await write(ws, written, last);
    assert.equal(ws.writes.filter((w) => w.op === 'append').length, appendsBefore + 1);
    assert.equal((await loadBase(ws, 'g1'))?.text, renderBacklog(last, 'g1'));
  });

  it('reads an earlier version\'s whole-text backlog-base.md, and replaces it with the journal at the next write', async () => {
    const backlog = backlogOf(4);
    const oldText = renderBacklog(backlog, 'g1');
    const ws = new MemoryWorkspace({ [LEGACY_BACKLOG_BASE]: oldText });
    const base = await loadBase(ws, 'g1');
    assert.ok(base);
    assert.equal(base.text, oldText);
    assert.deepEqual(base.items.map((t) => t.id), ['t1', 't2', 't3', 't4']);
    assert.equal(baseText(null, oldText), oldText, 'readers outside the engine see the same base');
    const next = backlog.map((t, i) => (i === 1 ? { ...t, status: 'done' as const } : t));
    await write(ws, base, next);
    assert.equal(ws.get(LEGACY_BACKLOG_BASE), undefined, 'the old file is gone');
    assert.equal(baseText(journal(ws), null), renderBacklog(next, 'g1'));
    assert.equal((await loadBase(ws, 'g1'))?.text, renderBacklog(next, 'g1'));
  });

  it('sameRendering answers exactly whether two backlogs render to the same text', () => {
    const random = seeded(41);
    let same = 0;
    let different = 0;
    let reorderedAlike = 0;
    for (let run = 0; run < 400; run++) {
      const a = Array.from({ length: int(random, 7) }, (_, i) => task(i + 1, pick(random, ['todo', 'in-progress', 'done', 'blocked'] as const)));
      let b = a.map((t) => (random() < 0.5 ? t : { ...t }));
      const at = int(random, Math.max(1, b.length));
      const kind = pick(random, ['none', 'status', 'title', 'details', 'acceptance', 'blocked', 'add', 'delete', 'reorder', 'across'] as const);
      const change = (patch: Partial<Task>): Task[] => b.map((t, i) => (i === at ? { ...t, ...patch } : t));
      if (kind === 'status') b = change({ status: pick(random, ['todo', 'in-progress', 'done', 'blocked'] as const) });
      if (kind === 'title') b = change({ title: random() < 0.3 ? b[at]?.title ?? 'x' : nastyTitle(random) || 'x' });
      if (kind === 'details') b = change({ details: nastyText(random) });
      if (kind === 'acceptance') b = change({ acceptance: random() < 0.3 ? '' : 'Other.' });
      if (kind === 'blocked') b = change({ blockedReason: random() < 0.5 ? null : 'stuck' });
      if (kind === 'add') b = [...b, task(100 + run, pick(random, ['todo', 'done'] as const))];
      if (kind === 'delete') b = b.filter((_, i) => i !== at);
      if (kind === 'reorder') b = shuffled(random, b);
      // Tasks of different sections trade places: the file shows the same text.
      if (kind === 'across') b = [...b.filter((t) => t.status === 'todo'), ...b.filter((t) => t.status !== 'todo')];
      const expected = renderBacklog(a, 'g1') === renderBacklog(b, 'g1');
      assert.equal(sameRendering(a, b), expected, `run ${run} (${kind})`);
      if (expected) same++;
      else different++;
      if (expected && a.some((t, i) => t.id !== b[i].id)) reorderedAlike++;
    }
    assert.ok(same > 50 && different > 50, `both answers were tried (${same} same, ${different} different)`);
    assert.ok(reorderedAlike > 10, `backlogs in another order that render alike were tried (${reorderedAlike})`);
  });
});
