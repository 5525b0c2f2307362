// Pure operations on the backlog (`Task[]`). Array order IS priority: the loop always takes the first
// IN PROGRESS task, else the first TODO one. Every operation returns a new array and never mutates.
import * as z from 'zod';
import { EngineError } from '../errors';
import type { Task, TaskStatus } from '../goal';

/** Where a task came from (planner, actor, user, audit, review). */
export type TaskSource = Task['source'];

/** A task as proposed by a role or a person, before it gets an id and a status. */
export const TaskDraftInput = z.object({
  // Titles are one line: a model that wraps its title must not break BACKLOG.md's one-line items.
  title: z
    .string()
    .transform((s) => s.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ').trim())
    .pipe(z.string().min(1, 'a task needs a non-empty title')),
  details: z.string().transform((s) => s.replace(/\r\n?/g, '\n').trim()),
  acceptance: z.string().transform((s) => s.replace(/\r\n?/g, '\n').trim()),
  commands: z.array(z.string().trim().min(1)).optional(),
});
/** The input shape of a task draft (what addTasks accepts). */
export type TaskDraftInput = z.input<typeof TaskDraftInput>;

/** Task counts per status, for the panel and the forecast. */
export interface BacklogCounts {
  todo: number;
  inProgress: number;
  done: number;
  blocked: number;
}

/** Fields of a task that updateTask may change (the id never changes). */
export type TaskPatch = Partial<Omit<Task, 'id'>>;

const TASK_ID = /^t(\d+)$/;

/** The highest `tN` number among `ids` (0 when none). */
function highestNumber(ids: Iterable<string>): number {
  let max = 0;
  for (const id of ids) {
    const m = TASK_ID.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/**
 * Hands out `t1`, `t2`, … above every number already taken. `reserved` names ids that must not be
 * reused although no task carries them any more (for example the task ids of the goal's commits: a
 * new task reusing a committed id would be mistaken for that commit's task by the idempotent commit).
 */
export function idAllocator(backlog: readonly Task[], reserved: Iterable<string> = []): () => string {
  let n = Math.max(highestNumber(backlog.map((t) => t.id)), highestNumber(reserved));
  return () => `t${++n}`;
}

/**
 * Appends new TODO tasks at the end of the backlog, in the drafts' order. Throws EngineError
 * `bad-input` naming the draft when one is invalid (for example an empty title), adding none.
 */
export function addTasks(
  backlog: readonly Task[],
  drafts: readonly TaskDraftInput[],
  source: TaskSource,
  reserved: Iterable<string> = [],
): Task[] {
  const parsed = drafts.map((draft, i) => {
    const result = TaskDraftInput.safeParse(draft);
    if (!result.success) {
      const why = result.error.issues.map((issue) => `${issue.path.join('.') || 'task'}: ${issue.message}`).join('; ');
      throw new EngineError('bad-input', `Task ${i + 1} of ${drafts.length} is invalid (${why}). Give every task a one-line title.`);
    }
    return result.data;
  });
  const next = idAllocator(backlog, reserved);
  const added: Task[] = parsed.map((d) => ({
    id: next(),
    title: d.title,
    details: d.details,
    acceptance: d.acceptance,
    status: 'todo',
    source,
    attempts: [],
    blockedReason: null,
    commit: null,
    commands: d.commands ?? [],
  }));
  return [...backlog, ...added];
}

/** The task to work on: the first IN PROGRESS task, else the first TODO task, else null. */
export function nextTodo(backlog: readonly Task[]): Task | null {
  let todo: Task | null = null;
  for (let i = 0; i < backlog.length; i++) {
    const t = backlog[i];
    if (t.status === 'in-progress') return t;
    if (todo === null && t.status === 'todo') todo = t;
  }
  return todo;
}

// The backlog is scanned with plain loops by index here, not find/map/filter or for…of: a stored backlog
// is frozen, and V8's array builtins and its array iterator take their slow path on frozen arrays
// (several times slower on thousands of tasks).

/** The task with `id`, or undefined. */
export function findTask(backlog: readonly Task[], id: string): Task | undefined {
  for (let i = 0; i < backlog.length; i++) if (backlog[i].id === id) return backlog[i];
  return undefined;
}

/** A copy of `backlog` with the task `id` replaced by `change(task)` (an unknown id: an unchanged copy). */
export function replaceTask(backlog: readonly Task[], id: string, change: (task: Task) => Task): Task[] {
  // Spread, not slice(): slice takes its slow path on a frozen array.
  const out = [...backlog];
  for (let i = 0; i < out.length; i++) {
    if (out[i].id === id) {
      out[i] = change(out[i]);
      return out;
    }
  }
  return out;
}

/**
 * Sets a task's status. `blockedReason` is kept only on BLOCKED tasks (a reason given, else the one
 * it had); any other status clears it. An unknown id leaves the backlog unchanged, because the user
 * may have deleted the task from BACKLOG.md while the engine still held it.
 */
export function setStatus(backlog: readonly Task[], id: string, status: TaskStatus, blockedReason?: string): Task[] {
  return replaceTask(backlog, id, (t) => ({ ...t, status, blockedReason: status === 'blocked' ? (blockedReason ?? t.blockedReason) : null }));
}

/** Shallow-merges `patch` into the task with `id`; an unknown id leaves the backlog unchanged. */
export function updateTask(backlog: readonly Task[], id: string, patch: TaskPatch): Task[] {
  return replaceTask(backlog, id, (t) => ({ ...t, ...patch, id: t.id }));
}

/** How many tasks are in each section. */
export function counts(backlog: readonly Task[]): BacklogCounts {
  const c: BacklogCounts = { todo: 0, inProgress: 0, done: 0, blocked: 0 };
  for (let i = 0; i < backlog.length; i++) {
    const t = backlog[i];
    if (t.status === 'todo') c.todo++;
    else if (t.status === 'in-progress') c.inProgress++;
    else if (t.status === 'done') c.done++;
    else c.blocked++;
  }
  return c;
}

/** Tasks still to finish (TODO and IN PROGRESS); BLOCKED ones are not counted as work left. */
export function tasksLeft(backlog: readonly Task[]): number {
  const c = counts(backlog);
  return c.todo + c.inProgress;
}
