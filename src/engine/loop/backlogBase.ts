// The base of BACKLOG.md's three-way merge: the backlog as the engine last wrote it to BACKLOG.md, so
// a difference between the file and the base is the user's edit (backlogSync.ts, backlog/merge.ts).
// It is kept as a journal, `.goalpost/backlog-base.journal`: a header naming the goal, then one line per
// write of BACKLOG.md holding only what that write changed (the tasks whose shown fields changed, the
// ids that left, and the whole id order when it changed other than by appending), so a write costs
// O(change) bytes, not a copy of the whole file. When the journal has grown to a few copies of the
// whole base it is rewritten as one full line (atomically). The base's text is the rendering of its
// tasks, byte for byte the BACKLOG.md the engine wrote (the render depends on nothing else).
// Anything that can write under .goalpost/ (an agent without the sandbox) can write this file, so every
// line is checked: a last line without its newline (a write a crash cut short) is dropped, and the next
// write rewrites the journal whole rather than append to the torn bytes; any other
// damage makes the base unknown, which the merge handles (the file's fields win), and the next write
// starts a fresh journal. Earlier versions kept the whole text in `.goalpost/backlog-base.md`; it is read
// when there is no journal yet and removed once the journal replaces it.
import * as z from 'zod';
import { renderBacklog, parseBacklog, SECTION_ORDER, type ShownTask } from '../backlog/markdown';
import { TaskStatus } from '../goal';
import type { Workspace } from '../ports';
import { statePath } from '../stateFiles';

export const BACKLOG_BASE_JOURNAL = statePath('backlogBase');
/** The whole-text base of earlier versions. */
export const LEGACY_BACKLOG_BASE = statePath('legacyBacklogBase');
export const BASE_JOURNAL_VERSION = 1;

/** A full rewrite once the journal would pass this many characters and… */
const MIN_JOURNAL_CHARS = 64 * 1024;
/** …this many copies of the whole base: appends then cost at most a few times what they changed. */
const COPIES_BEFORE_REWRITE = 4;

/** The base as one session holds it: the tasks in file order, their text, and the journal's size. */
export interface BacklogBase {
  goalId: string;
  items: readonly ShownTask[];
  /** renderBacklog(items, goalId): what the engine last wrote to BACKLOG.md. */
  text: string;
  /**
   * Characters in the journal; 0 when there is none yet or it ends in a line a crash cut short (the next
   * write writes it whole: an append would join the torn bytes into one unreadable line).
   */
  journalChars: number;
  /** The earlier version's whole-text file is still there (removed by the next write). */
  legacy: boolean;
  /**
   * The backlog the items were taken from, by index, where its task was frozen (undefined elsewhere, and
   * for a base read from the files): a write finds an unchanged task's item by reference.
   */
  from?: readonly (ShownTask | undefined)[];
}

const Header = z.object({ backlogBase: z.literal(BASE_JOURNAL_VERSION), goal: z.string().min(1) });
/** One task as a row: [id, title, details, acceptance, status, blockedReason]. */
const Row = z.tuple([z.string().min(1), z.string(), z.string(), z.string(), TaskStatus, z.string().nullable()]);
type Row = z.infer<typeof Row>;
const Entry = z.object({
  set: z.array(Row).optional(),
  del: z.array(z.string()).optional(),
  order: z.array(z.string()).optional(),
});
type Entry = z.infer<typeof Entry>;

function toRow(t: ShownTask): Row {
  return [t.id, t.title, t.details, t.acceptance, t.status, t.blockedReason];
}

function fromRow([id, title, details, acceptance, status, blockedReason]: Row): ShownTask {
  return Object.freeze({ id, title, details, acceptance, status, blockedReason });
}

function sameShown(a: ShownTask, b: ShownTask): boolean {
  return a === b || (a.id === b.id && a.title === b.title && a.details === b.details && a.acceptance === b.acceptance && a.status === b.status && a.blockedReason === b.blockedReason);
}

/** True when BACKLOG.md shows `a` and `b` alike (only attempts, commits or commands differ): no render needed. */
export function sameShownBacklog(a: readonly ShownTask[], b: readonly ShownTask[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  // Plain loops in this file: the store's arrays are frozen, and array builtins are slow on those.
  for (let i = 0; i < a.length; i++) if (!sameShown(a[i], b[i])) return false;
  return true;
}

/**
 * True when renderBacklog renders `a` and `b` to the same text: each section holds the same tasks, shown
 * alike, in the same order (the order of tasks in different sections does not show). Every field
 * sameShown compares shows in the file, so this is exact, at the cost of a pass over the lists instead
 * of a comparison of the whole text (a new rendering is a rope of thousands of pieces, and comparing it
 * first copies it whole).
 */
export function sameRendering(a: readonly ShownTask[], b: readonly ShownTask[]): boolean {
  if (a.length !== b.length) return false;
  for (const status of SECTION_ORDER) {
    let j = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i].status !== status) continue;
      while (j < b.length && b[j].status !== status) j++;
      if (j === b.length || !sameShown(a[i], b[j])) return false;
      j++;
    }
    while (j < b.length && b[j].status !== status) j++;
    if (j < b.length) return false;
  }
  return true;
}

function headerLine(goalId: string): string {
  return `${JSON.stringify({ backlogBase: BASE_JOURNAL_VERSION, goal: goalId })}\n`;
}

function entryLine(entry: Entry): string {
  return `${JSON.stringify(entry)}\n`;
}

/** Applies one journal entry to `items` in place; false when it does not fit them (a damaged journal). */
function applyEntry(items: ShownTask[], entry: Entry): boolean {
  for (const id of entry.del ?? []) {
    const at = items.findIndex((t) => t.id === id);
    if (at < 0) return false;
    items.splice(at, 1);
  }
  if (entry.set && entry.set.length > 0) {
    const index = new Map(items.map((t, i) => [t.id, i]));
    for (const row of entry.set) {
      const task = fromRow(row);
      const at = index.get(task.id);
      if (at === undefined) {
        index.set(task.id, items.length);
        items.push(task);
      } else {
        items[at] = task;
      }
    }
  }
  if (entry.order) {
    const byId = new Map(items.map((t) => [t.id, t]));
    if (entry.order.length !== items.length || new Set(entry.order).size !== items.length) return false;
    const ordered: ShownTask[] = [];
    for (const id of entry.order) {
      const task = byId.get(id);
      if (!task) return false;
      ordered.push(task);
    }
    items.splice(0, items.length, ...ordered);
  }
  return true;
}

function parseJson<T>(line: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The base a journal's text holds for `goalId`; null when it belongs to another goal or is damaged
 * anywhere but in a last line a crash cut short.
 */
export function replayBaseJournal(journal: string, goalId: string | null): BacklogBase | null {
  const lines = journal.split('\n');
  // The text after the last newline is a line a crash cut short (or nothing): it never counted.
  const complete = lines.slice(0, -1);
  const header = complete.length > 0 ? parseJson(complete[0], Header) : null;
  if (!header || (goalId !== null && header.goal !== goalId)) return null;
  const items: ShownTask[] = [];
  for (const line of complete.slice(1)) {
    const entry = parseJson(line, Entry);
    if (!entry || !applyEntry(items, entry)) return null;
  }
  const torn = lines[lines.length - 1] !== '';
  const journalChars = torn ? 0 : complete.reduce((sum, line) => sum + line.length + 1, 0);
  return { goalId: header.goal, items, text: renderBacklog(items, header.goal), journalChars, legacy: false };
}

/** BACKLOG.md as the engine last wrote it, from the base files' texts; null when unknown. For readers outside the engine. */
export function baseText(journal: string | null, legacy: string | null): string | null {
  if (journal !== null) return replayBaseJournal(journal, null)?.text ?? null;
  return legacy;
}

/** Reads the base of `goalId`'s BACKLOG.md: the journal, else an earlier version's whole-text file; null when unknown. */
export async function loadBase(workspace: Workspace, goalId: string): Promise<BacklogBase | null> {
  const journal = await workspace.readText(BACKLOG_BASE_JOURNAL);
  const legacyText = await workspace.readText(LEGACY_BACKLOG_BASE);
  if (journal !== null) {
    const base = replayBaseJournal(journal, goalId);
    return base && { ...base, legacy: legacyText !== null };
  }
  if (legacyText === null) return null;
  // Its own text stays the base's text (it is exactly what that version wrote); its tasks are read back.
  const items = parseBacklog(legacyText).items.flatMap((i) => (i.id === null ? [] : [Object.freeze({ ...i, id: i.id })]));
  return { goalId, items, text: legacyText, journalChars: 0, legacy: true };
}

function fullLine(items: readonly ShownTask[]): string {
  return entryLine({ set: items.map(toRow) });
}

/** The base's copy of a stored task (frozen, so it cannot change): the shown fields only, not its attempts. */
const shownOf = new WeakMap<ShownTask, ShownTask>();

function shown(t: ShownTask): ShownTask {
  const kept = shownOf.get(t);
  if (kept) return kept;
  const copy = Object.freeze({ id: t.id, title: t.title, details: t.details, acceptance: t.acceptance, status: t.status, blockedReason: t.blockedReason });
  if (Object.isFrozen(t)) shownOf.set(t, copy);
  return copy;
}

/** What turns `before` into `after`, or null when nothing BACKLOG.md shows changed. */
function changeOf(before: readonly ShownTask[], after: readonly ShownTask[]): Entry | null {
  // The usual write: the same tasks in the same places, some of them changed (no lookups needed).
  let aligned = before.length === after.length;
  for (let i = 0; aligned && i < after.length; i++) aligned = after[i].id === before[i].id;
  if (aligned) {
    const set: Row[] = [];
    for (let i = 0; i < after.length; i++) if (after[i] !== before[i] && !sameShown(before[i], after[i])) set.push(toRow(after[i]));
    return set.length > 0 ? { set } : null;
  }
  const old = new Map(before.map((t) => [t.id, t]));
  const now = new Set(after.map((t) => t.id));
  const set = after.filter((t) => { const b = old.get(t.id); return b === undefined || !sameShown(b, t); }).map(toRow);
  const del = before.filter((t) => !now.has(t.id)).map((t) => t.id);
  // The order applying set and del gives: the kept ids as they were, then the new ones appended.
  const implied = [...before.filter((t) => now.has(t.id)), ...after.filter((t) => !old.has(t.id))];
  const reordered = implied.some((t, i) => t.id !== after[i].id);
  if (set.length === 0 && del.length === 0 && !reordered) return null;
  return { ...(set.length > 0 ? { set } : {}), ...(del.length > 0 ? { del } : {}), ...(reordered ? { order: after.map((t) => t.id) } : {}) };
}

/**
 * Records that BACKLOG.md now holds `text`, rendered from `backlog`: appends the change to the journal,
 * or writes it whole (a first write, another goal's or an unknown base, or a journal grown to a few
 * whole copies). Returns the new base.
 */
export async function writeBase(workspace: Workspace, base: BacklogBase | null, goalId: string, backlog: readonly ShownTask[], text: string): Promise<BacklogBase> {
  const items: ShownTask[] = [];
  const from: (ShownTask | undefined)[] = [];
  const before = base?.from;
  for (let i = 0; i < backlog.length; i++) {
    const t = backlog[i];
    const known = base?.items[i];
    // The same frozen task as at the last write: its item is the base's (one comparison, no lookup).
    if (known !== undefined && before !== undefined && before[i] === t) {
      items.push(known);
      from.push(t);
      continue;
    }
    from.push(Object.isFrozen(t) ? t : undefined);
    if (known !== undefined && known === shownOf.get(t)) {
      items.push(known);
    } else if (known !== undefined && sameShown(known, t)) {
      // The base's copy (read back from the journal, so its strings are other objects than the task's)
      // stands for the task from now on: the next write finds it by reference, not by comparing text.
      if (Object.isFrozen(t) && Object.isFrozen(known)) shownOf.set(t, known);
      items.push(known);
    } else {
      items.push(shown(t));
    }
  }
  const fresh = { goalId, items, text, legacy: false, from };
  const writeWhole = async (): Promise<BacklogBase> => {
    const whole = headerLine(goalId) + fullLine(items);
    await workspace.writeFile(BACKLOG_BASE_JOURNAL, whole);
    if (base?.legacy) await workspace.deleteFile(LEGACY_BACKLOG_BASE).catch(() => undefined);
    return { ...fresh, journalChars: whole.length };
  };
  if (base === null || base.goalId !== goalId || base.journalChars === 0) return writeWhole();
  const entry = changeOf(base.items, items);
  // Nothing shown changed: the same ids in the same order, each shown alike, so the items can stand.
  if (entry === null) return { ...base, items, from, text };
  const line = entryLine(entry);
  // BACKLOG.md's length stands for the whole base's (one row per task, about as long as its text).
  if (base.journalChars + line.length > Math.max(MIN_JOURNAL_CHARS, COPIES_BEFORE_REWRITE * text.length)) return writeWhole();
  await workspace.appendText(BACKLOG_BASE_JOURNAL, line);
  if (base.legacy) await workspace.deleteFile(LEGACY_BACKLOG_BASE).catch(() => undefined);
  return { ...fresh, journalChars: base.journalChars + line.length };
}
