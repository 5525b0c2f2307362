// Three-way merge of BACKLOG.md edits into the engine's backlog (PRODUCT.md F2: the user wins).
// `base` is what the engine last wrote, so a difference between the file and base is the user's doing
// and wins; where the file still says what base said, the agent's newer copy stands.
import type { Task, TaskStatus } from '../goal';
import type { BacklogItem, ParsedBacklog } from './markdown';
import { SECTION_ORDER, SECTION_TITLES } from './markdown';
import { idAllocator } from './tasks';

/** The three versions of the backlog to merge. */
export interface MergeInput {
  /** The engine's current copy. */
  agent: readonly Task[];
  /** BACKLOG.md as it is on disk now. */
  file: ParsedBacklog;
  /** BACKLOG.md as the engine last wrote it, parsed; null when unknown (first read, or lost). */
  base: readonly BacklogItem[] | null;
  /** Ids never to hand out again although no task carries them (for example the goal's commits' task ids). */
  reservedIds?: Iterable<string>;
}

/** The merged backlog and one human-readable line per user edit, for goal_status.log. */
export interface MergeResult {
  backlog: Task[];
  changes: string[];
}

/** The reason a task gets when the user moves it to BLOCKED without writing one. */
export const USER_BLOCKED_REASON = 'moved to BLOCKED in BACKLOG.md';

function quoted(title: string): string {
  return `“${title}”`;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const one = line.trim();
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}

function newUserTask(item: BacklogItem, id: string): Task {
  const title = item.title.trim() !== '' ? item.title : firstLine(item.details) || 'Untitled task';
  return {
    id,
    title,
    details: item.details,
    acceptance: item.acceptance,
    status: item.status,
    source: 'user',
    attempts: [],
    blockedReason: item.status === 'blocked' ? (item.blockedReason ?? USER_BLOCKED_REASON) : null,
    commit: null,
    commands: [],
  };
}

interface MergedItem {
  task: Task;
  notes: string[];
  movedByUser: boolean;
}

/** One task named by the file: each field is the file's when the user changed it (or base is unknown). */
function mergeItem(agent: Task, item: BacklogItem, base: BacklogItem | null): MergedItem {
  const userChanged = (key: 'title' | 'details' | 'acceptance' | 'status' | 'blockedReason'): boolean =>
    base === null || item[key] !== base[key];
  // An emptied title line is more likely a slip than a wish for a nameless task.
  const title = item.title.trim() !== '' && userChanged('title') ? item.title : agent.title;
  const details = userChanged('details') ? item.details : agent.details;
  const acceptance = userChanged('acceptance') ? item.acceptance : agent.acceptance;
  const movedByUser = userChanged('status') && item.status !== agent.status;
  const status: TaskStatus = movedByUser ? item.status : agent.status;
  let blockedReason: string | null = null;
  if (status === 'blocked') {
    if (movedByUser) blockedReason = item.blockedReason ?? USER_BLOCKED_REASON;
    else if (item.blockedReason !== null && item.status === 'blocked' && userChanged('blockedReason')) blockedReason = item.blockedReason;
    else blockedReason = agent.blockedReason;
  }
  const id = agent.id;
  const notes: string[] = [];
  if (movedByUser) notes.push(`user moved ${id} to ${SECTION_TITLES[status]}`);
  if (title !== agent.title) notes.push(`user renamed ${id} to ${quoted(title)}`);
  if (details !== agent.details) notes.push(`user edited the details of ${id}`);
  if (acceptance !== agent.acceptance) notes.push(`user edited the acceptance of ${id}`);
  if (!movedByUser && status === 'blocked' && blockedReason !== agent.blockedReason) notes.push(`user changed why ${id} is blocked`);
  // Attempts, commit, source and commands are the engine's own record and always kept.
  return { task: { ...agent, title, details, acceptance, status, blockedReason }, notes, movedByUser };
}

function bySection(tasks: readonly Task[]): string[] {
  return SECTION_ORDER.flatMap((s) => tasks.filter((t) => t.status === s).map((t) => t.id));
}

/**
 * Places tasks the file does not order (added by the agent since the last render, or moved by the
 * agent to another section): after their nearest earlier neighbour in the agent's order that ended up
 * in the same section, else before the nearest later one, else at the end (the end of their section).
 */
function placeFloating(result: Task[], agent: readonly Task[], floating: Map<string, Task>): void {
  const statusOf = (id: string): TaskStatus | undefined => result.find((t) => t.id === id)?.status;
  agent.forEach((candidate, index) => {
    const task = floating.get(candidate.id);
    if (!task) return;
    let at = -1;
    for (let j = index - 1; j >= 0 && at < 0; j--) {
      if (statusOf(agent[j].id) === task.status) at = result.findIndex((t) => t.id === agent[j].id) + 1;
    }
    for (let j = index + 1; j < agent.length && at < 0; j++) {
      if (!floating.has(agent[j].id) && statusOf(agent[j].id) === task.status) at = result.findIndex((t) => t.id === agent[j].id);
    }
    if (at < 0) result.push(task);
    else result.splice(at, 0, task);
  });
}

/** Merges BACKLOG.md (file) into the engine's backlog (agent) against what the engine last wrote (base). */
export function mergeBacklog(input: MergeInput): MergeResult {
  const { agent, file, base } = input;
  const agentById = new Map(agent.map((t) => [t.id, t]));
  const baseById = base === null ? null : new Map(base.flatMap((i) => (i.id === null ? [] : [[i.id, i] as const])));
  const freshId = idAllocator(agent, input.reservedIds ?? []);

  const result: Task[] = [];
  const changes: string[] = [];
  const seen = new Set<string>();
  const floating = new Map<string, Task>();
  const stable = new Set<string>();
  for (const item of file.items) {
    const known = item.id !== null && !seen.has(item.id) ? agentById.get(item.id) : undefined;
    if (!known) {
      const task = newUserTask(item, freshId());
      result.push(task);
      changes.push(`user added ${task.id} ${quoted(task.title)}${task.status === 'todo' ? '' : ` to ${SECTION_TITLES[task.status]}`}`);
      continue;
    }
    seen.add(known.id);
    const merged = mergeItem(known, item, baseById?.get(known.id) ?? null);
    changes.push(...merged.notes);
    if (merged.task.status === item.status) result.push(merged.task);
    else floating.set(known.id, merged.task); // the agent moved it since the render: it goes with its new section
    if (!merged.movedByUser) stable.add(known.id);
  }

  for (const task of agent) {
    if (seen.has(task.id)) continue;
    if (baseById?.has(task.id)) changes.push(`user deleted ${task.id} ${quoted(task.title)}`);
    else floating.set(task.id, task);
  }
  placeFloating(result, agent, floating);

  const before = bySection(agent.filter((t) => stable.has(t.id) && !floating.has(t.id)));
  const after = bySection(result.filter((t) => stable.has(t.id) && !floating.has(t.id)));
  if (before.join(' ') !== after.join(' ')) changes.push('user reordered the backlog');
  return { backlog: result, changes };
}
