// User edits of BACKLOG.md between iterations (F2 step 1): reorder, add, delete and move between sections
// are read back before the next iteration and win over the agent's copy.
import * as assert from 'node:assert/strict';
import { GoalController } from '../../../../src/engine/loop/controller';
import { BACKLOG_BASE_JOURNAL } from '../../../../src/engine/loop/backlogBase';
import { approve, firstUserMessage, plan, startGoal, taskById, writeAndFinish, type Started } from './loopKit';

/** The lines of one task item: its bullet line and the indented lines under it. */
function itemBlock(lines: string[], id: string): { start: number; end: number } {
  const start = lines.findIndex((l) => l.includes(`<!-- ${id} -->`));
  if (start < 0) throw new Error(`no item ${id} in BACKLOG.md`);
  let end = start + 1;
  while (end < lines.length && /^\s+\S/.test(lines[end])) end++;
  return { start, end };
}

function sectionStart(lines: string[], heading: 'TODO' | 'IN PROGRESS' | 'DONE' | 'BLOCKED'): number {
  const i = lines.findIndex((l) => l.startsWith(`## ${heading}`));
  if (i < 0) throw new Error(`no ${heading} section`);
  return i + 1;
}

/** Removes a task's item, as a user deleting it would. */
function deleteItem(text: string, id: string): string {
  const lines = text.split('\n');
  const { start, end } = itemBlock(lines, id);
  lines.splice(start, end - start);
  return lines.join('\n');
}

/** Moves a task's item to the top of a section, ticking the box for DONE. */
function moveItem(text: string, id: string, to: 'TODO' | 'IN PROGRESS' | 'DONE' | 'BLOCKED'): string {
  const lines = text.split('\n');
  const { start, end } = itemBlock(lines, id);
  const block = lines.splice(start, end - start);
  block[0] = block[0].replace(/\[[ xX]\]/, to === 'DONE' ? '[x]' : '[ ]');
  lines.splice(sectionStart(lines, to), 0, ...block);
  return lines.join('\n');
}

/** Adds an indented line at the end of a task's item (a field such as `Blocked: …`). */
function appendToItem(text: string, id: string, line: string): string {
  const lines = text.split('\n');
  const { end } = itemBlock(lines, id);
  lines.splice(end, 0, line);
  return lines.join('\n');
}

/** Adds a new item (no id) at the top of a section. */
function addItem(text: string, to: 'TODO' | 'DONE', line: string): string {
  const lines = text.split('\n');
  lines.splice(sectionStart(lines, to), 0, line);
  return lines.join('\n');
}

/**
 * Plans A, B, C; applies `edit` to BACKLOG.md between the first and the second iteration (the loop's
 * first sleep, after t1 is done); the actor finishes every task it is given.
 */
async function runWithEdit(edit: (text: string) => string, actorSteps: number): Promise<Started & { worked: string[] }> {
  const started = await startGoal();
  const { rig, controller } = started;
  rig.model.script('planner', plan(['A', 'B', 'C']));
  for (let i = 1; i <= actorSteps; i++) rig.model.script('actor', ...writeAndFinish(`f${i}.txt`, `${i}\n`));
  rig.model.otherwise('reviewer', approve());
  rig.clock.onSleep = (count) => {
    if (count !== 1) return;
    const text = rig.workspace.get('BACKLOG.md');
    if (text === undefined) throw new Error('BACKLOG.md was not written');
    rig.workspace.put('BACKLOG.md', edit(text));
  };
  await controller.run();
  const worked = rig.model.requestsFor('actor')
    .filter((r) => r.messages.length === 2)
    .map((r) => /<untrusted_task>\n\[(t\d+)\]/.exec(firstUserMessage(r))?.[1] ?? '?');
  return { ...started, worked };
}

describe('loop: user edits of BACKLOG.md', () => {
  it('follows a reorder: the task moved to the top is worked on first', async () => {
    const { controller, worked, rig } = await runWithEdit((t) => moveItem(t, 't3', 'TODO'), 3);
    assert.deepEqual(worked, ['t1', 't3', 't2']);
    assert.equal(controller.goal?.status, 'achieved');
    assert.ok(rig.statusLog.has('user reordered the backlog'));
  });

  it('follows an added task: it gets the next id, source user, and is worked on in its place', async () => {
    const { controller, worked, rig } = await runWithEdit((t) => addItem(t, 'TODO', '- [ ] Write a changelog entry\n  Mention greet().'), 4);
    const goal = controller.goal;
    assert.ok(goal);
    assert.deepEqual(worked, ['t1', 't4', 't2', 't3']);
    const added = taskById(goal, 't4');
    assert.equal(added.title, 'Write a changelog entry');
    assert.equal(added.details, 'Mention greet().');
    assert.equal(added.source, 'user');
    assert.equal(added.status, 'done');
    assert.ok(rig.statusLog.has('user added t4 “Write a changelog entry”'));
    assert.equal(goal.status, 'achieved');
  });

  it('follows a deletion: the deleted task is never worked on', async () => {
    const { controller, worked, rig } = await runWithEdit((t) => deleteItem(t, 't2'), 2);
    const goal = controller.goal;
    assert.ok(goal);
    assert.deepEqual(worked, ['t1', 't3']);
    assert.deepEqual(goal.backlog.map((t) => t.id).sort(), ['t1', 't3']);
    assert.ok(rig.statusLog.has('user deleted t2 “B”'));
    assert.equal(goal.status, 'achieved');
    assert.ok(!(rig.workspace.get('BACKLOG.md') ?? '').includes('<!-- t2 -->'), 'the engine\'s next render keeps it deleted');
  });

  it('follows a move to DONE: the task is done without an attempt or a commit', async () => {
    const { controller, worked, rig } = await runWithEdit((t) => moveItem(t, 't2', 'DONE'), 2);
    const goal = controller.goal;
    assert.ok(goal);
    assert.deepEqual(worked, ['t1', 't3']);
    const t2 = taskById(goal, 't2');
    assert.equal(t2.status, 'done');
    assert.deepEqual(t2.attempts, []);
    assert.equal(t2.commit, null);
    assert.deepEqual(goal.commits.map((c) => c.taskId), ['t1', 't3']);
    assert.ok(rig.statusLog.has('user moved t2 to DONE'));
    assert.equal(goal.status, 'achieved');
  });

  it('follows a move to BLOCKED with the user\'s reason', async () => {
    const { controller, worked } = await runWithEdit((t) => appendToItem(moveItem(t, 't2', 'BLOCKED'), 't2', '  Blocked: waiting for the design review'), 2);
    const goal = controller.goal;
    assert.ok(goal);
    assert.deepEqual(worked, ['t1', 't3']);
    assert.equal(taskById(goal, 't2').blockedReason, 'waiting for the design review');
    assert.equal(goal.status, 'unmet', 'a blocked task left means the goal is not achieved');
    assert.match(goal.reason ?? '', /t2 “B” \(waiting for the design review\)/);
  });

  it('writes BACKLOG.md again when the user deletes the file', async () => {
    const { rig } = await runWithEdit((t) => t, 3);
    assert.ok((rig.workspace.get('BACKLOG.md') ?? '').includes('## DONE (3)'));
    const started = await startGoal();
    started.rig.model.script('planner', plan(['A']));
    started.rig.model.script('actor', ...writeAndFinish('a.txt', 'a\n'));
    started.rig.model.otherwise('reviewer', approve());
    started.rig.clock.onSleep = (count) => {
      if (count === 1) started.rig.workspace.files.delete('BACKLOG.md');
    };
    const goal = await started.controller.run();
    assert.equal(goal.status, 'achieved');
    assert.equal(goal.backlog.length, 1, 'the engine\'s copy stands');
    assert.ok((started.rig.workspace.get('BACKLOG.md') ?? '').includes('<!-- t1 -->'));
  });

  it('follows edits made while Goalpost was stopped: the next run reads the merge base back from .goalpost/', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['A', 'B', 'C']));
    rig.model.script('actor', ...writeAndFinish('f1.txt', '1\n'));
    rig.model.otherwise('reviewer', approve());
    rig.clock.onSleep = (count) => {
      // Not awaited: the pause ends the run this sleep belongs to.
      if (count === 1) void controller.pause();
    };
    assert.equal((await controller.run()).status, 'paused');
    assert.ok((rig.workspace.get(BACKLOG_BASE_JOURNAL) ?? '').startsWith('{"backlogBase":1,"goal":"g1"}\n'));
    rig.clock.onSleep = null;
    // The user deletes t2 and renames t3 while nothing runs; a new process (a new controller) resumes.
    const text = deleteItem(rig.workspace.get('BACKLOG.md') ?? '', 't2').replace('- [ ] C <!-- t3 -->', '- [ ] C, renamed <!-- t3 -->');
    rig.workspace.put('BACKLOG.md', text);
    rig.model.script('actor', ...writeAndFinish('f3.txt', '3\n'));
    const later = new GoalController(rig.deps);
    await later.load();
    const goal = await later.resume();
    assert.equal(goal.status, 'achieved');
    assert.deepEqual(goal.backlog.map((t) => t.id).sort(), ['t1', 't3'], 'the deletion is the user\'s, not a task the agent added since');
    assert.equal(taskById(goal, 't3').title, 'C, renamed');
    assert.ok(rig.statusLog.has('user deleted t2 “B”'));
  });

  it('renders BACKLOG.md from every backlog change, whoever made it (one writer: the session\'s save)', async () => {
    const { rig, controller } = await startGoal();
    const task = await controller.addUserTask({ title: 'Written by the user', details: '', acceptance: '' });
    assert.ok((rig.workspace.get('BACKLOG.md') ?? '').includes(`<!-- ${task.id} -->`), 'an added task reaches BACKLOG.md without its own write call');
    const before = rig.workspace.get('BACKLOG.md');
    await controller.editObjective('A new objective that does not touch the backlog');
    assert.equal(rig.workspace.get('BACKLOG.md'), before, 'a save that leaves the backlog alone does not render it');
  });
});
