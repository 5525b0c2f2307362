// Reading one goal record from disk: a snapshot file (the whole record as JSON) and, for the active
// goal, the journal of saves since that snapshot. The result is validated once with the Goal schema;
// anything unreadable is reported (StoreError 'corrupt' or 'newer-schema') and never changed here.
import { Goal, GOAL_SCHEMA_VERSION } from '../../engine/goal';
import { StoreError } from '../../engine/ports';
import { readWithStamp, type FileStamp } from './files';
import { JournalError, replayJournal, type JournalBase } from './journal';
import { describeIssues } from './saveCheck';

/** A goal record read from its files, with what a later save needs to know about them. */
export interface RecordOnDisk {
  goal: Goal;
  /** The snapshot's text as read (restoring a backup copies it verbatim). */
  raw: string;
  snapshotStamp: FileStamp;
  snapshotBytes: number;
  /** The journal's stamp as read; null when there was none. */
  journalStamp: FileStamp | null;
  /** Where the next line goes: the end of the last complete line, or 0 to start a fresh journal. */
  appendAt: number;
  /** Journal lines replayed on top of the snapshot. */
  lines: number;
}

/** Reads `snapshotFile` (and `journalFile` when given); null when the snapshot does not exist. */
export async function readRecord(snapshotFile: string, journalFile: string | null): Promise<RecordOnDisk | null> {
  const snapshot = await readWithStamp(snapshotFile);
  if (!snapshot) return null;
  const raw = snapshot.bytes.toString('utf8');
  const value = parseSnapshot(raw, snapshotFile);
  const journal = journalFile === null ? null : await readWithStamp(journalFile);
  let lines = 0;
  let appendAt = 0;
  const base = baseOf(value);
  if (journal && base) {
    try {
      const replayed = replayJournal(value, base, journal.bytes);
      lines = replayed.lines;
      appendAt = replayed.stale ? 0 : replayed.goodBytes;
    } catch (e) {
      if (!(e instanceof JournalError)) throw e;
      throw new StoreError('corrupt', `The goal journal ${journalFile} is damaged (${e.message}); its snapshot ${snapshotFile} is at revision ${base.revision}.`);
    }
  }
  const parsed = Goal.safeParse(value);
  if (!parsed.success) {
    const after = lines > 0 ? ` after the ${lines} change(s) of ${journalFile}` : '';
    throw new StoreError('corrupt', `The goal file ${snapshotFile}${after} is not a valid goal record (${describeIssues(parsed.error.issues)}).`);
  }
  return {
    goal: parsed.data,
    raw,
    snapshotStamp: snapshot.stamp,
    snapshotBytes: snapshot.bytes.length,
    journalStamp: journal?.stamp ?? null,
    appendAt,
    lines,
  };
}

function parseSnapshot(raw: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    const what = raw.trim() === '' ? 'is empty' : `is not valid JSON (${(e as Error).message})`;
    throw new StoreError('corrupt', `The goal file ${file} ${what}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreError('corrupt', `The goal file ${file} is not a valid goal record (it holds no JSON object).`);
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version === 'number' && version > GOAL_SCHEMA_VERSION) {
    throw new StoreError('newer-schema', `The goal file ${file} was written by a newer Goalpost (schema version ${version}; this version reads version ${GOAL_SCHEMA_VERSION}). Update Goalpost to continue this goal; the file was left untouched.`);
  }
  return value as Record<string, unknown>;
}

/** What a journal must continue; null when the snapshot lacks it (then validation reports the snapshot). */
function baseOf(value: Record<string, unknown>): JournalBase | null {
  const { id, createdAt, revision } = value;
  if (typeof id !== 'string' || typeof createdAt !== 'string' || typeof revision !== 'number') return null;
  return { id, createdAt, revision };
}
