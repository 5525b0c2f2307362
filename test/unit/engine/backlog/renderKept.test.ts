// renderBacklog keeps the text of stored (frozen) tasks and of whole sections between renders; the
// result must be byte for byte what a render from scratch gives, whatever changed in between.
import * as assert from 'node:assert/strict';
import type { Task, TaskStatus } from '../../../../src/engine/goal';
import { renderBacklog, SECTION_ORDER } from '../../../../src/engine/backlog/markdown';
import { int, nastyText, nastyTitle, pick, randomBacklog, seeded, shuffled } from './randomBacklog';

/** The same tasks as new, unfrozen objects: nothing of them can be kept, so they render from scratch. */
function fresh(backlog: readonly Task[]): Task[] {
  return backlog.map((t) => ({ ...t }));
}

describe('renderBacklog with kept text', () => {
  it('renders what a render from scratch gives, through appends, moves, edits, removals and reorders', () => {
    const random = seeded(29);
    for (let run = 0; run < 20; run++) {
      let backlog = randomBacklog(random, 12).map((t) => Object.freeze(t));
      let next = 100;
      for (let step = 0; step < 40; step++) {
        const at = backlog.length === 0 ? 0 : int(random, backlog.length);
        const kind = pick(random, ['done', 'move', 'edit', 'add', 'remove', 'reorder', 'none'] as const);
        const change = (patch: Partial<Task>): Task[] => backlog.map((t, i) => (i === at ? Object.freeze({ ...t, ...patch }) : t));
        if (kind === 'done' && backlog.length > 0) backlog = change({ status: 'done' });
        if (kind === 'move' && backlog.length > 0) backlog = change({ status: pick(random, SECTION_ORDER) as TaskStatus, blockedReason: null });
        if (kind === 'edit' && backlog.length > 0) backlog = change({ title: nastyTitle(random), details: nastyText(random) });
        if (kind === 'add') {
          const added: Task = { id: `t${next++}`, title: nastyTitle(random), details: nastyText(random), acceptance: '', status: pick(random, SECTION_ORDER), source: 'planner', attempts: [], blockedReason: null, commit: null, commands: [] };
          backlog = [...backlog, Object.freeze(added)];
        }
        if (kind === 'remove') backlog = backlog.filter((_, i) => i !== at);
        if (kind === 'reorder') backlog = shuffled(random, backlog);
        assert.equal(renderBacklog(backlog, 'g1'), renderBacklog(fresh(backlog), 'g1'), `run ${run}, step ${step} (${kind})`);
      }
    }
  });

  it('a task that joins a kept DONE section renders as from scratch', () => {
    const task = (n: number, status: TaskStatus): Task => Object.freeze({
      id: `t${n}`, title: `Task ${n}`, details: '', acceptance: '', status, source: 'planner', attempts: [], blockedReason: null, commit: null, commands: [],
    });
    let backlog = [...Array.from({ length: 50 }, (_, i) => task(i + 1, 'done')), task(51, 'todo')];
    renderBacklog(backlog, 'g1');
    backlog = [...backlog.slice(0, 50), task(51, 'done')];
    const text = renderBacklog(backlog, 'g1');
    assert.equal(text, renderBacklog(fresh(backlog), 'g1'));
    assert.match(text, /## DONE \(51\)/);
    assert.match(text, /## TODO \(0\)\n\n## IN PROGRESS/);
  });
});
