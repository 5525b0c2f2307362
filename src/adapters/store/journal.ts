// The journal beside a snapshot: `.goalpost/goal.journal`, one JSON line per save since the snapshot.
// The first line names the snapshot it continues (goal id, creation time, revision), so a journal left
// behind by a crash between writing a new snapshot and removing the old journal, or by another goal, is
// recognised as stale and ignored, never replayed onto the wrong record. Every line after it is
// `{"r": revision, "ops": [...]}` (recordDiff.ts); revisions follow each other without gaps. A last line
// without its newline is a write cut short by a crash: it is dropped (that save never returned).
// A line marked `"l": 1` is lazy: appended without its own fdatasync (usage counters, phase, the save
// time), made durable by the next durable line's fdatasync, which flushes every byte before it. So after
// a power loss only a run of lazy lines at the end can be damaged or missing: damage followed by nothing
// but lazy (or unreadable) lines is dropped like a torn line; damage followed by a durable line is real.
import * as z from 'zod';
import { applyOps, ReplayError, type RecordOp } from './recordDiff';

export const JOURNAL_VERSION = 1;

/** What a journal continues: the snapshot's goal and revision. */
export interface JournalBase {
  id: string;
  createdAt: string;
  revision: number;
}

const Header = z.object({ journal: z.literal(JOURNAL_VERSION), id: z.string(), createdAt: z.string(), base: z.number().int().nonnegative() });
const PathKey = z.union([z.string(), z.number().int().nonnegative()]);
const Op = z.union([
  z.tuple([z.literal('s'), z.array(PathKey), z.unknown()]),
  z.tuple([z.literal('d'), z.array(PathKey)]),
  z.tuple([z.literal('t'), z.array(PathKey), z.number().int().nonnegative()]),
]);
const Entry = z.object({ r: z.number().int().positive(), ops: z.array(Op), l: z.literal(1).optional() });

/** The header line of a new journal continuing `base`. */
export function journalHeader(base: JournalBase): string {
  return `${JSON.stringify({ journal: JOURNAL_VERSION, id: base.id, createdAt: base.createdAt, base: base.revision })}\n`;
}

/** The line recording the save that produced `revision`; `lazy` marks one appended without its own fdatasync. */
export function journalLine(revision: number, ops: readonly RecordOp[], lazy = false): string {
  return `${JSON.stringify(lazy ? { r: revision, ops, l: 1 } : { r: revision, ops })}\n`;
}

/** A journal read back and applied. */
export interface Replayed {
  /** The record with every complete line applied (the snapshot object itself, changed in place). */
  value: Record<string, unknown>;
  /** The revision the last applied line produced (the snapshot's when none applied). */
  revision: number;
  /** Lines applied. */
  lines: number;
  /** Bytes of the journal up to the end of its last complete line (0 when stale or absent). */
  goodBytes: number;
  /** Bytes after `goodBytes`: a line cut short by a crash, dropped. */
  tornBytes: number;
  /** The journal continues another snapshot (or another goal) and was ignored. */
  stale: boolean;
}

/** Why a journal cannot be replayed: a damaged line in the middle, a gap, an operation that does not fit. */
export class JournalError extends Error {}

/**
 * Applies `journal` (the file's bytes, or null when there is none) to `snapshot`, a freshly parsed
 * record whose id, createdAt and revision are `base`. Throws JournalError for damage that is not a torn
 * last line.
 */
export function replayJournal(snapshot: Record<string, unknown>, base: JournalBase, journal: Buffer | null): Replayed {
  const result: Replayed = { value: snapshot, revision: base.revision, lines: 0, goodBytes: 0, tornBytes: 0, stale: false };
  if (journal === null || journal.length === 0) return result;
  let start = 0;
  let lineNo = 0;
  let expected = base.revision + 1;
  while (start < journal.length) {
    const end = journal.indexOf(0x0a, start);
    if (end < 0) {
      result.tornBytes = journal.length - start;
      break;
    }
    lineNo++;
    const text = journal.toString('utf8', start, end);
    if (lineNo === 1) {
      const header = parseLine(text, Header, lineNo);
      if (header.id !== base.id || header.createdAt !== base.createdAt || header.base !== base.revision) {
        return { ...result, stale: true };
      }
    } else {
      let entry: z.infer<typeof Entry>;
      try {
        entry = parseLine(text, Entry, lineNo);
        if (entry.r !== expected) throw new JournalError(`line ${lineNo} records revision ${entry.r} where revision ${expected} was expected`);
      } catch (e) {
        // Lazy lines a power loss left half on disk: drop them like a torn line, when nothing durable follows.
        if (e instanceof JournalError && onlyLazyAfter(journal, start)) {
          result.tornBytes = journal.length - start;
          break;
        }
        throw e;
      }
      try {
        applyOps(snapshot, entry.ops as RecordOp[]);
      } catch (e) {
        if (e instanceof ReplayError) throw new JournalError(`line ${lineNo} does not fit the record: ${e.message}`);
        throw e;
      }
      snapshot.revision = entry.r;
      result.revision = entry.r;
      result.lines++;
      expected++;
    }
    start = end + 1;
    result.goodBytes = start;
  }
  return result;
}

/** True when every line from byte `from` on (the damaged one included) is unreadable or lazy: no durable save is among them. */
function onlyLazyAfter(journal: Buffer, from: number): boolean {
  for (const text of journal.toString('utf8', from).split('\n')) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    const parsed = Entry.safeParse(value);
    if (parsed.success && parsed.data.l !== 1) return false;
  }
  return true;
}

function parseLine<T>(text: string, schema: z.ZodType<T>, lineNo: number): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new JournalError(`line ${lineNo} is not valid JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new JournalError(`line ${lineNo} is not a journal ${lineNo === 1 ? 'header' : 'entry'} (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}
