import assert from 'node:assert/strict';
import { EngineError } from '../../../../src/engine/errors';
import { Task } from '../../../../src/engine/goal';
import { addTasks, counts, idAllocator, nextTodo, setStatus, tasksLeft, updateTask } from '../../../../src/engine/backlog/tasks';
import { task } from './randomBacklog';

describe('backlog tasks', () => {
  describe('idAllocator', () => {
    const nextTaskId = (backlog: Task[], reserved: string[] = []): string => idAllocator(backlog, reserved)();

    it('starts at t1 and goes one above the highest number present, never filling gaps', () => {
      assert.equal(nextTaskId([]), 't1');
      assert.equal(nextTaskId([task('t1', 'a'), task('t3', 'b')]), 't4');
      assert.equal(nextTaskId([task('t12', 'a'), task('t2', 'b')]), 't13');
    });

    it('ignores ids that are not tN and respects reserved ids', () => {
      assert.equal(nextTaskId([task('x7', 'a'), task('t2x', 'b')]), 't1');
      assert.equal(nextTaskId([task('t2', 'a')], ['t9', 'nope']), 't10');
    });

    it('hands out one id after another without repeating', () => {
      const next = idAllocator([task('t4', 'a')], ['t2']);
      assert.deepEqual([next(), next(), next()], ['t5', 't6', 't7']);
    });
  });

  describe('addTasks', () => {
    it('appends TODO tasks with fresh ids, the source, and empty records, without touching the input', () => {
      const before = [task('t1', 'first', { status: 'done' }), task('t2', 'second')];
      const frozen = JSON.stringify(before);
      const after = addTasks(before, [
        { title: 'Add flag', details: 'in cli.ts', acceptance: 'flag parsed' },
        { title: 'Write docs', details: '', acceptance: '', commands: ['npm run docs'] },
      ], 'actor');
      assert.equal(JSON.stringify(before), frozen);
      assert.deepEqual(after.map((t) => t.id), ['t1', 't2', 't3', 't4']);
      const added = after[2];
      assert.deepEqual(added, {
        id: 't3', title: 'Add flag', details: 'in cli.ts', acceptance: 'flag parsed', status: 'todo', source: 'actor',
        attempts: [], blockedReason: null, commit: null, commands: [],
      });
      assert.deepEqual(after[3].commands, ['npm run docs']);
      assert.equal(Task.safeParse(added).success, true);
    });

    it('trims titles and folds their line breaks into single spaces', () => {
      const [t] = addTasks([], [{ title: '  Fix the\r\n   parser \n and lexer  ', details: ' d \n', acceptance: '\n a ' }], 'planner');
      assert.equal(t.title, 'Fix the parser and lexer');
      assert.equal(t.details, 'd');
      assert.equal(t.acceptance, 'a');
    });

    it('refuses an empty or whitespace-only title with a bad-input EngineError and adds nothing', () => {
      const backlog = [task('t1', 'a')];
      for (const title of ['', '   ', '\n\t\n']) {
        assert.throws(
          () => addTasks(backlog, [{ title: 'ok', details: '', acceptance: '' }, { title, details: '', acceptance: '' }], 'planner'),
          (e: unknown) => e instanceof EngineError && e.code === 'bad-input' && /Task 2 of 2/.test(e.message),
        );
      }
      assert.equal(backlog.length, 1);
    });

    it('does not reuse a reserved id', () => {
      const after = addTasks([task('t1', 'a')], [{ title: 'b', details: '', acceptance: '' }], 'audit', ['t5']);
      assert.equal(after[1].id, 't6');
      assert.equal(after[1].source, 'audit');
    });
  });

  describe('nextTodo', () => {
    it('takes the first IN PROGRESS task wherever it is, else the first TODO in array order', () => {
      const backlog = [
        task('t1', 'a', { status: 'done' }),
        task('t2', 'b'),
        task('t3', 'c', { status: 'in-progress' }),
        task('t4', 'd'),
      ];
      assert.equal(nextTodo(backlog)?.id, 't3');
      assert.equal(nextTodo(setStatus(backlog, 't3', 'done'))?.id, 't2');
      assert.equal(nextTodo([task('t9', 'z'), task('t1', 'a')])?.id, 't9');
    });

    it('returns null when only DONE and BLOCKED tasks are left', () => {
      assert.equal(nextTodo([]), null);
      assert.equal(nextTodo([task('t1', 'a', { status: 'done' }), task('t2', 'b', { status: 'blocked', blockedReason: 'x' })]), null);
    });
  });

  describe('setStatus', () => {
    it('keeps a blocked reason only on BLOCKED tasks', () => {
      const backlog = [task('t1', 'a'), task('t2', 'b')];
      const blocked = setStatus(backlog, 't1', 'blocked', 'no API key');
      assert.equal(blocked[0].status, 'blocked');
      assert.equal(blocked[0].blockedReason, 'no API key');
      assert.equal(backlog[0].status, 'todo', 'the input is not mutated');
      const again = setStatus(blocked, 't1', 'blocked');
      assert.equal(again[0].blockedReason, 'no API key', 'a re-block without a reason keeps the old one');
      const reopened = setStatus(blocked, 't1', 'todo');
      assert.equal(reopened[0].status, 'todo');
      assert.equal(reopened[0].blockedReason, null);
      assert.deepEqual(reopened[1], backlog[1]);
    });

    it('leaves the backlog unchanged for an unknown id (the user may have deleted the task)', () => {
      const backlog = [task('t1', 'a')];
      assert.deepEqual(setStatus(backlog, 't7', 'done'), backlog);
    });
  });

  describe('updateTask', () => {
    it('patches one task and never its id', () => {
      const backlog = [task('t1', 'a'), task('t2', 'b')];
      const patched = updateTask(backlog, 't2', { commit: 'abc', title: 'B' });
      assert.equal(patched[1].commit, 'abc');
      assert.equal(patched[1].title, 'B');
      assert.equal(patched[1].id, 't2');
      assert.equal(backlog[1].commit, null);
      const sneaky = updateTask(backlog, 't1', { id: 't99' } as Partial<Task>);
      assert.equal(sneaky[0].id, 't1');
    });
  });

  describe('counts and tasksLeft', () => {
    it('counts each section, and the work left is TODO plus IN PROGRESS', () => {
      const backlog = [
        task('t1', 'a'), task('t2', 'b'), task('t3', 'c', { status: 'in-progress' }),
        task('t4', 'd', { status: 'done' }), task('t5', 'e', { status: 'blocked', blockedReason: 'x' }),
        task('t6', 'f', { status: 'done' }),
      ];
      assert.deepEqual(counts(backlog), { todo: 2, inProgress: 1, done: 2, blocked: 1 });
      assert.equal(tasksLeft(backlog), 3);
      assert.deepEqual(counts([]), { todo: 0, inProgress: 0, done: 0, blocked: 0 });
      assert.equal(tasksLeft([]), 0);
    });
  });
});
