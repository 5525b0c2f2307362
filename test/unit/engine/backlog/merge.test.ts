import assert from 'node:assert/strict';
import type { Attempt, Task } from '../../../../src/engine/goal';
import type { BacklogItem } from '../../../../src/engine/backlog/markdown';
import { parseBacklog, renderBacklog } from '../../../../src/engine/backlog/markdown';
import { USER_BLOCKED_REASON, mergeBacklog } from '../../../../src/engine/backlog/merge';
import type { MergeResult } from '../../../../src/engine/backlog/merge';
import { inFileOrder, int, itemOf, nastyLine, nastyText, pick, randomBacklog, seeded, task } from './randomBacklog';

const attempt: Attempt = {
  n: 1, startedAt: '2026-01-01T00:00:00Z', endedAt: null, outcome: null, summary: null, blocker: null,
  checks: [], reviewId: null, filesChanged: [],
};

/** The backlog as last rendered (already in file order: by section). */
const rendered: Task[] = [
  task('t1', 'Add the flag', { details: 'in args.ts', acceptance: 'flag parsed' }),
  task('t2', 'Write the README', { source: 'actor' }),
  task('t3', 'Fix the flaky test', { status: 'in-progress', attempts: [attempt], commands: ['npm run flaky'] }),
  task('t5', 'Tidy imports', { status: 'done', commit: 'abc123' }),
  task('t4', 'Publish', { status: 'blocked', blockedReason: 'needs an npm token' }),
];

const baseItems = (): BacklogItem[] => parseBacklog(renderBacklog(rendered, 'g')).items;
const fileOf = (tasks: Task[]): ReturnType<typeof parseBacklog> => parseBacklog(renderBacklog(tasks, 'g'));
const fileText = (text: string): ReturnType<typeof parseBacklog> => parseBacklog(text);
const ids = (r: MergeResult): string[] => r.backlog.map((t) => t.id);
const byId = (r: MergeResult, id: string): Task => {
  const found = r.backlog.find((t) => t.id === id);
  assert.ok(found, `${id} is in the merged backlog`);
  return found;
};
const edit = (id: string, patch: Partial<Task>): Task[] => rendered.map((t) => (t.id === id ? { ...t, ...patch } : t));

describe('mergeBacklog', () => {
  it('changes nothing and reports nothing when the file is what the engine wrote', () => {
    const r = mergeBacklog({ agent: rendered, file: fileOf(rendered), base: baseItems() });
    assert.deepEqual(r.backlog, rendered);
    assert.deepEqual(r.changes, []);
  });

  it('also reports nothing on a first read (no base) of a file that matches the agent', () => {
    const r = mergeBacklog({ agent: rendered, file: fileOf(rendered), base: null });
    assert.deepEqual(r.backlog, rendered);
    assert.deepEqual(r.changes, []);
  });

  it('order: takes the file order within a section', () => {
    const [t1, t2, ...rest] = rendered;
    const r = mergeBacklog({ agent: rendered, file: fileOf([t2, t1, ...rest]), base: baseItems() });
    assert.deepEqual(ids(r), ['t2', 't1', 't3', 't5', 't4']);
    assert.deepEqual(r.changes, ['user reordered the backlog']);
  });

  it('delete: a task in base but not in the file is removed, even while in progress', () => {
    const r = mergeBacklog({ agent: rendered, file: fileOf(rendered.filter((t) => t.id !== 't3')), base: baseItems() });
    assert.deepEqual(ids(r), ['t1', 't2', 't5', 't4']);
    assert.deepEqual(r.changes, ['user deleted t3 “Fix the flaky test”']);
  });

  it('add: an item without an id becomes a user task with a fresh id at its place in the file', () => {
    const text = renderBacklog(rendered, 'g').replace(
      '- [ ] Write the README <!-- t2 -->',
      '- [ ] Brand new thing\n  do it well\n  Acceptance: it is done\n- [ ] Write the README <!-- t2 -->',
    );
    const r = mergeBacklog({ agent: rendered, file: fileText(text), base: baseItems() });
    assert.deepEqual(ids(r), ['t1', 't6', 't2', 't3', 't5', 't4']);
    assert.deepEqual(byId(r, 't6'), task('t6', 'Brand new thing', { details: 'do it well', acceptance: 'it is done', source: 'user' }));
    assert.deepEqual(r.changes, ['user added t6 “Brand new thing”']);
  });

  it('add: an item with an unknown id or no title is a new task with a fresh id, placed where it was added', () => {
    const fixed = renderBacklog(rendered.filter((t) => t.id !== 't5'), 'g').replace(
      '## DONE (0)\n',
      '## DONE (0)\n\n- [x] Typed an id <!-- t42 -->\n- [ ] <!-- t99 -->\n  First line becomes the title\n  more\n',
    );
    const r = mergeBacklog({ agent: rendered, file: fileText(fixed), base: baseItems() });
    assert.deepEqual(ids(r), ['t1', 't2', 't3', 't6', 't7', 't4']);
    assert.equal(byId(r, 't6').status, 'done');
    assert.equal(byId(r, 't6').commit, null);
    assert.equal(byId(r, 't7').title, 'First line becomes the title');
    assert.deepEqual(r.changes, [
      'user added t6 “Typed an id” to DONE',
      'user added t7 “First line becomes the title” to DONE',
      'user deleted t5 “Tidy imports”',
    ]);
  });

  it('reword: title, details and acceptance the user changed are the file’s; the rest stays the agent’s', () => {
    const agent = rendered.map((t) => (t.id === 't1' ? { ...t, details: 'agent refined the details' } : t));
    const file = fileOf(edit('t1', { title: 'Add the --json flag', acceptance: 'status --json prints JSON' }));
    const r = mergeBacklog({ agent, file, base: baseItems() });
    const t1 = byId(r, 't1');
    assert.equal(t1.title, 'Add the --json flag');
    assert.equal(t1.acceptance, 'status --json prints JSON');
    assert.equal(t1.details, 'agent refined the details');
    assert.deepEqual(r.changes, ['user renamed t1 to “Add the --json flag”', 'user edited the acceptance of t1']);
  });

  it('reword: when both changed the same field, the user wins', () => {
    const agent = rendered.map((t) => (t.id === 't2' ? { ...t, title: 'Agent title' } : t));
    const r = mergeBacklog({ agent, file: fileOf(edit('t2', { title: 'User title' })), base: baseItems() });
    assert.equal(byId(r, 't2').title, 'User title');
  });

  it('move: to DONE marks the task done without a commit', () => {
    const r = mergeBacklog({ agent: rendered, file: fileOf(edit('t1', { status: 'done' })), base: baseItems() });
    const t1 = byId(r, 't1');
    assert.equal(t1.status, 'done');
    assert.equal(t1.commit, null);
    assert.deepEqual(r.changes, ['user moved t1 to DONE']);
  });

  it('move: BLOCKED back to TODO clears the blocked reason even if the Blocked line stayed', () => {
    const r = mergeBacklog({ agent: rendered, file: fileOf(edit('t4', { status: 'todo' })), base: baseItems() });
    const t4 = byId(r, 't4');
    assert.equal(t4.status, 'todo');
    assert.equal(t4.blockedReason, null);
    assert.deepEqual(r.changes, ['user moved t4 to TODO']);
  });

  it('move: to BLOCKED takes the written reason, or says the user blocked it', () => {
    const withReason = mergeBacklog({ agent: rendered, file: fileOf(edit('t2', { status: 'blocked', blockedReason: 'wait for design' })), base: baseItems() });
    assert.equal(byId(withReason, 't2').blockedReason, 'wait for design');
    const without = mergeBacklog({ agent: rendered, file: fileOf(edit('t2', { status: 'blocked' })), base: baseItems() });
    assert.equal(byId(without, 't2').status, 'blocked');
    assert.equal(byId(without, 't2').blockedReason, USER_BLOCKED_REASON);
  });

  it('move: where the file still shows the rendered section, the agent’s newer status stands', () => {
    const agent = rendered.map((t) => (t.id === 't2' ? { ...t, status: 'blocked' as const, blockedReason: 'three failed attempts' } : t));
    const r = mergeBacklog({ agent, file: fileOf(rendered), base: baseItems() });
    assert.equal(byId(r, 't2').status, 'blocked');
    assert.equal(byId(r, 't2').blockedReason, 'three failed attempts');
    assert.deepEqual(r.changes, []);
  });

  it('keeps attempts, commit, source and commands of a task the user edited', () => {
    const file = fileOf(rendered.map((t) => ({ ...t, title: `${t.title}!` })));
    const r = mergeBacklog({ agent: rendered, file, base: baseItems() });
    for (const original of rendered) {
      const merged = byId(r, original.id);
      assert.equal(merged.title, `${original.title}!`);
      assert.deepEqual([merged.attempts, merged.commit, merged.source, merged.commands], [original.attempts, original.commit, original.source, original.commands]);
    }
  });

  it('base unknown: the file is authoritative for the ids it names, agent tasks it does not name are kept', () => {
    const agent = [...rendered, task('t6', 'Agent follow-up')];
    const file = fileOf([{ ...rendered[1], title: 'README, reworded', status: 'done' }, rendered[0]]);
    const r = mergeBacklog({ agent, file, base: null });
    assert.equal(byId(r, 't2').title, 'README, reworded');
    assert.equal(byId(r, 't2').status, 'done');
    assert.deepEqual(ids(r).sort(), ['t1', 't2', 't3', 't4', 't5', 't6']);
    assert.ok(!r.changes.some((c) => c.includes('deleted')), 'nothing is deleted without a base');
    assert.ok(ids(r).indexOf('t6') > ids(r).indexOf('t1'), 't6 follows its neighbour t1 in TODO');
  });

  it('a user reorder and add merge with the agent adding t6 and finishing t2 since the render', () => {
    // Since the render the user added a task on top of TODO and moved t2 above t1 (hand-written
    // headings); the agent finished t2 and added t6 after it.
    const text = [
      '## TODO',
      '- [ ] My own task',
      '- [ ] Write the README <!-- t2 -->',
      '- [ ] Add the flag <!-- t1 -->',
      '  in args.ts',
      '  Acceptance: flag parsed',
      '## In progress',
      '- [ ] Fix the flaky test <!-- t3 -->',
      '## Done',
      '- [x] Tidy imports <!-- t5 -->',
      '## Blocked',
      '- [ ] Publish <!-- t4 -->',
      '  Blocked: needs an npm token',
    ].join('\n');
    const agent: Task[] = [
      rendered[0],
      { ...rendered[1], status: 'done', commit: 'def456' },
      task('t6', 'Agent follow-up', { source: 'actor' }),
      ...rendered.slice(2),
    ];
    const r = mergeBacklog({ agent, file: fileText(text), base: baseItems() });
    assert.deepEqual(r.backlog.map((t) => [t.id, t.status]), [
      ['t7', 'todo'], ['t1', 'todo'], ['t6', 'todo'], ['t3', 'in-progress'], ['t2', 'done'], ['t5', 'done'], ['t4', 'blocked'],
    ]);
    assert.equal(byId(r, 't2').commit, 'def456');
    assert.equal(byId(r, 't7').source, 'user');
    assert.deepEqual(r.changes, ['user added t7 “My own task”']);
    // What the engine writes next shows all of it.
    const next = parseBacklog(renderBacklog(r.backlog, 'g')).items.map((i) => i.title);
    assert.deepEqual(next, ['My own task', 'Add the flag', 'Agent follow-up', 'Fix the flaky test', 'Write the README', 'Tidy imports', 'Publish']);
  });

  it('places an agent-added task after its previous neighbour wherever the user moved that one', () => {
    const [t1, t2, ...rest] = rendered;
    const agent = [t1, t2, task('t6', 'After t2'), ...rest];
    const r = mergeBacklog({ agent, file: fileOf([t2, t1, ...rest]), base: baseItems() });
    assert.deepEqual(ids(r), ['t2', 't6', 't1', 't3', 't5', 't4']);
  });

  it('random edits of a rendered backlog: the merge equals the edited file (seeded)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const random = seeded(seed * 7919);
      const agent = inFileOrder(randomBacklog(random, 10));
      const base = parseBacklog(renderBacklog(agent, 'g')).items;
      const edited: Task[] = agent.map((t) => ({ ...t }));
      let added = 0;
      const ops = int(random, 5);
      for (let k = 0; k < ops; k++) {
        const op = int(random, 6);
        const i = int(random, Math.max(edited.length, 1));
        if (op === 5 || edited.length === 0) {
          added++;
          edited.splice(i, 0, task(`new${added}`, `N${nastyLine(random)}`, { details: nastyText(random), status: pick(random, ['todo', 'in-progress', 'done', 'blocked'] as const) }));
        } else if (op === 0) {
          edited.splice(i, 1);
        } else if (op === 1) {
          const [moved] = edited.splice(i, 1);
          edited.splice(int(random, edited.length + 1), 0, moved);
        } else if (op === 2) {
          edited[i] = { ...edited[i], title: `R${nastyLine(random)}` };
        } else if (op === 3) {
          edited[i] = { ...edited[i], details: nastyText(random), acceptance: nastyText(random) };
        } else {
          const status = pick(random, ['todo', 'in-progress', 'done', 'blocked'] as const);
          const reason = status === 'blocked' ? (random() < 0.5 ? `why ${nastyLine(random)}` : null) : random() < 0.5 ? edited[i].blockedReason : null;
          edited[i] = { ...edited[i], status, blockedReason: reason };
        }
      }
      const text = renderBacklog(edited, 'g').replace(/ <!-- new\d+ -->/g, '');
      const file = parseBacklog(text);
      const r = mergeBacklog({ agent, file, base });
      const context = `seed ${seed}:\n${text}`;

      assert.equal(r.backlog.length, file.items.length, context);
      const known = new Set(agent.map((t) => t.id));
      const freshIds = new Set<string>();
      file.items.forEach((item, k) => {
        const merged = r.backlog[k];
        const before = item.id === null ? undefined : agent.find((t) => t.id === item.id);
        if (item.id === null) {
          assert.ok(!known.has(merged.id) && !freshIds.has(merged.id) && /^t\d+$/.test(merged.id), `${context}\nfresh id ${merged.id}`);
          freshIds.add(merged.id);
          assert.equal(merged.source, 'user', context);
        } else {
          assert.equal(merged.id, item.id, context);
          assert.deepEqual([merged.attempts, merged.commit, merged.source], [before?.attempts, before?.commit, before?.source], context);
        }
        const blockedReason = item.status !== 'blocked'
          ? null
          : (item.blockedReason ?? (before?.status === 'blocked' ? before.blockedReason : USER_BLOCKED_REASON));
        assert.deepEqual(itemOf(merged), { ...item, id: merged.id, blockedReason }, context);
      });
      // The log is silent exactly when the user's edits changed nothing in the engine's backlog.
      const unchanged = JSON.stringify(r.backlog) === JSON.stringify(agent);
      assert.equal(r.changes.length === 0, unchanged, `${context}\n${r.changes.join('\n')}`);
    }
  });
});
