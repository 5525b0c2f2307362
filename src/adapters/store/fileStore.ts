// The goal record on disk, under <folder>/.goalpost/: goal.json (a snapshot of the whole record),
// goal.journal (one line per save since that snapshot, journal.ts), goal.json.bak (the previous
// snapshot) and history/<id>.json (ended goals, whole). A save costs what changed: it diffs the new
// record against the one it last stored by reference (recordDiff.ts), checks the changed parts with
// their schemas (saveCheck.ts) and appends one fdatasync'ed line. Every so often (the journal as large
// as the snapshot, or MAX_LINES lines, or a change of status) it writes a new snapshot instead:
// temp file, fsync, rename, fsync the folder, then the old journal goes. At any instant a crash leaves
// a loadable goal: a line cut short is dropped, and a journal that does not continue the snapshot on
// disk is ignored. A file that cannot be read is reported and left exactly as it is.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Goal } from '../../engine/goal';
import { StoreError, type GoalStore, type SaveOptions } from '../../engine/ports';
import { appendDurably, errno, exists, fsyncDir, inFlight, ioError, mkdirs, removeFile, sameStamp, statStampSync, TEMP_FILE, trustworthy, writeAtomic, type FileStamp } from './files';
import { linkBackup } from './backup';
import { isAlive } from '../processTree';
import { journalHeader, journalLine } from './journal';
import { diffRecord, freezeNew } from './recordDiff';
import { readRecord, type RecordOnDisk } from './recordFile';
import { changeIssues, describeIssues } from './saveCheck';
import { STATE_DIR, STATE_FILES } from '../../engine/stateFiles';


/** History goals that could be read, newest first, and one warning per history file that could not. */
export interface GoalHistory {
  goals: Goal[];
  warnings: string[];
}

/** Test seams: the clock names quarantined files. */
export interface FileGoalStoreOptions {
  now?: () => Date;
}

/** Bytes and writes of this store, for the benchmarks. */
export interface StoreWrites {
  snapshots: number;
  snapshotBytes: number;
  appends: number;
  /** Appends made without their own fdatasync (LAZY_KEYS). */
  lazyAppends: number;
  journalBytes: number;
}

/** A new snapshot once the journal holds this many lines (bounds the replay at load)… */
const MAX_LINES = 2_000;
/** …or would grow past the snapshot's size (and at least this): snapshots cost at most what the lines did. */
const MIN_JOURNAL_BYTES = 256 * 1024;
// A temp file of a live process is left alone unless it is this old (its pid may have been reused).
const STALE_TEMP_MS = 60 * 60 * 1000;
/** The revision is the journal line's own `r`. */
const NOT_DIFFED = new Set(['revision']);

/**
 * Durability, decided per save: one the engine marks `lazy` (its own progress inside an iteration, which
 * it can redo: SaveOptions), or one that changes only these (token usage and the 80 % counters, the
 * phase, the save time), is appended without its own fdatasync: a crash of the process (kill -9) loses
 * nothing, since the bytes are in the kernel; a power loss can lose only such saves made since the last
 * durable one, which the next durable save (the end of an iteration, every state transition, the user's
 * changes, backlog edits, snapshots) flushes with its own fdatasync.
 */
const LAZY_KEYS: ReadonlySet<string> = new Set(['usage', 'phase', 'updatedAt']);

/** What this store knows the files hold, valid while both still have their stamps. */
interface Known extends Omit<RecordOnDisk, 'raw'> {
  /** The snapshot was written by this store (a fresh file, so no other name can be linked to it unnoticed). */
  written: boolean;
}

/** A GoalStore over `<folder>/.goalpost/`. */
export class FileGoalStore implements GoalStore {
  readonly dir: string;
  readonly goalPath: string;
  readonly journalPath: string;
  readonly backupPath: string;
  readonly historyDir: string;
  /** What the saves of this store wrote so far. */
  readonly writes: StoreWrites = { snapshots: 0, snapshotBytes: 0, appends: 0, lazyAppends: 0, journalBytes: 0 };
  /** Whether the last successful save wrote a snapshot (the editor mirrors only those). */
  lastSaveWroteSnapshot = false;
  private readonly now: () => Date;
  // The files as this store last wrote or read them; null when unknown (then a save reads them).
  private known: Known | null = null;
  private readonly backups = { copy: false };
  // One operation at a time per store, so a revision check and its write cannot interleave with another.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly folder: string,
    options: FileGoalStoreOptions = {},
  ) {
    this.dir = path.join(folder, STATE_DIR);
    this.goalPath = path.join(this.dir, STATE_FILES.goal);
    this.journalPath = path.join(this.dir, STATE_FILES.journal);
    this.backupPath = path.join(this.dir, STATE_FILES.goalBackup);
    this.historyDir = path.join(this.dir, STATE_FILES.history);
    this.now = options.now ?? ((): Date => new Date());
  }

  /** The active goal, or null. Throws StoreError 'corrupt' or 'newer-schema' and leaves the files alone. */
  load(): Promise<Goal | null> {
    return this.exclusive(async () => {
      await this.cleanTempFiles();
      return (await this.readActive())?.goal ?? null;
    });
  }

  /**
   * Stores `goal` when the stored revision equals `goal.revision` and returns it with revision + 1
   * (frozen: a saved record is never changed in place). Refuses (StoreError) over corrupt or newer files.
   */
  save(goal: Goal, options: SaveOptions = {}): Promise<Goal> {
    return this.exclusive(async () => {
      const stored = await this.currentActive();
      if (stored) {
        if (stored.goal.id !== goal.id) {
          throw new StoreError('conflict', `${this.goalPath} holds another goal (${stored.goal.id}), not ${goal.id}. Reload the active goal before changing it.`);
        }
        if (stored.goal.revision !== goal.revision) {
          throw new StoreError('conflict', `The goal changed elsewhere: ${this.goalPath} is at revision ${stored.goal.revision}, this copy is at ${goal.revision}. Reload the goal and try again.`);
        }
      } else if (goal.revision > 0 && (await this.findArchived(goal)) !== null) {
        throw new StoreError('conflict', `Goal ${goal.id} was already archived (it ended or was cleared), so it is not saved again. Set a new goal to continue.`);
      }
      const next: Goal = { ...goal, revision: goal.revision + 1 };
      const base = stored && stored.goal.createdAt === next.createdAt ? stored.goal : null;
      const issues = changeIssues(base, next);
      if (issues.length > 0) {
        throw new StoreError('io', `Refusing to save an invalid goal record (${describeIssues(issues)}); ${this.goalPath} is unchanged. This is a bug in Goalpost.`);
      }
      this.lastSaveWroteSnapshot = false;
      if (!stored || !base || base.status !== next.status) {
        await this.writeSnapshot(next, stored);
        return next;
      }
      const ops = diffRecord(base, next, NOT_DIFFED);
      const header = stored.appendAt === 0 ? journalHeader({ id: base.id, createdAt: base.createdAt, revision: base.revision }) : '';
      const lazy = header === '' && (options.lazy === true || ops.every((op) => LAZY_KEYS.has(String(op[1][0]))));
      const text = header + journalLine(next.revision, ops, lazy);
      const bytes = Buffer.byteLength(text);
      if (stored.lines + 1 > MAX_LINES || stored.appendAt + bytes > Math.max(MIN_JOURNAL_BYTES, stored.snapshotBytes)) {
        await this.writeSnapshot(next, stored);
        return next;
      }
      this.known = null;
      const stamp = await appendDurably(this.journalPath, stored.appendAt, text, !lazy);
      this.writes.appends++;
      if (lazy) this.writes.lazyAppends++;
      this.writes.journalBytes += bytes;
      if (stamp) this.known = { ...stored, goal: freezeNew(next, base), journalStamp: stamp, appendAt: stored.appendAt + bytes, lines: stored.lines + 1 };
      return next;
    });
  }

  /** Writes the goal into history/ and removes the active files when they hold this goal. */
  archive(goal: Goal): Promise<void> {
    return this.exclusive(async () => {
      await mkdirs(this.historyDir);
      const target = (await this.findArchived(goal)) ?? (await this.freeHistoryPath(goal.id));
      await writeAtomic(target, serialize(goal));
      let active: RecordOnDisk | null;
      try {
        active = await this.readActive();
      } catch {
        // An unreadable goal.json is not this goal's to delete: it stays for the user to inspect.
        return;
      }
      if (active && active.goal.id === goal.id) {
        this.known = null;
        // goal.json first: a journal without its snapshot is never replayed.
        await removeFile(this.goalPath);
        await removeFile(this.journalPath);
        await removeFile(this.backupPath);
        await fsyncDir(this.dir);
      }
    });
  }

  async history(): Promise<Goal[]> {
    return (await this.historyWithWarnings()).goals;
  }

  /** History newest first, with a warning for each history file that is corrupt or from a newer version. */
  historyWithWarnings(): Promise<GoalHistory> {
    return this.exclusive(async () => {
      let names: string[];
      try {
        names = await fs.readdir(this.historyDir);
      } catch (e) {
        if (errno(e) === 'ENOENT') return { goals: [], warnings: [] };
        throw ioError(e, this.historyDir);
      }
      const goals: Goal[] = [];
      const warnings: string[] = [];
      for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
        const file = path.join(this.historyDir, name);
        try {
          const stored = await readRecord(file, null);
          if (stored) goals.push(stored.goal);
        } catch (e) {
          warnings.push(`Skipped ${file}: ${(e as Error).message}`);
        }
      }
      goals.sort((a, b) => endTime(b).localeCompare(endTime(a)) || b.createdAt.localeCompare(a.createdAt));
      return { goals, warnings };
    });
  }

  /**
   * Moves goal.json (and its journal) aside to goal.json.corrupt-<timestamp> (goal.journal.corrupt-…)
   * so a new goal (or a save) can proceed, keeping the unreadable files for inspection. Returns the
   * snapshot's new path, or null when there was no goal.json.
   */
  quarantine(): Promise<string | null> {
    return this.exclusive(() => this.quarantineActive());
  }

  /**
   * Makes goal.json.bak (the previous snapshot) the active goal again. A corrupt goal.json or journal is
   * quarantined first; a readable one is never replaced (StoreError 'conflict'). Returns the restored goal.
   */
  restoreBackup(): Promise<Goal> {
    return this.exclusive(async () => {
      const backup = await readRecord(this.backupPath, null);
      if (!backup) throw new StoreError('io', `There is no backup to restore: ${this.backupPath} does not exist.`);
      let active: RecordOnDisk | null;
      try {
        active = await this.readActive();
      } catch (e) {
        if (!(e instanceof StoreError) || e.kind !== 'corrupt') throw e;
        await this.quarantineActive();
        active = null;
      }
      if (active) {
        throw new StoreError('conflict', `${this.goalPath} is readable (revision ${active.goal.revision}), so the backup was not restored over it.`);
      }
      await removeFile(this.journalPath);
      const stamp = await writeAtomic(this.goalPath, backup.raw);
      this.known = stamp ? { ...backup, goal: freezeNew(backup.goal), snapshotStamp: stamp, journalStamp: null, appendAt: 0, lines: 0, written: true } : null;
      return backup.goal;
    });
  }

  /** Removes temp files left by writers that died mid-write (they are never read). Best effort. */
  async cleanTempFiles(): Promise<void> {
    for (const dir of [this.dir, this.historyDir]) {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        const m = TEMP_FILE.exec(name);
        if (!m) continue;
        const file = path.join(dir, name);
        if (inFlight.has(file)) continue;
        const pid = Number(m[1]);
        try {
          const stale = pid === process.pid || !isAlive(pid) || this.now().getTime() - (await fs.stat(file)).mtimeMs > STALE_TEMP_MS;
          if (stale) await fs.rm(file, { force: true });
        } catch {
          // Another process may be cleaning the same file; it is harmless to leave it.
        }
      }
    }
  }

  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const result = this.queue.then(op, op);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Writes `next` as the new snapshot; the old one becomes goal.json.bak and the old journal goes. */
  private async writeSnapshot(next: Goal, stored: Known | null): Promise<void> {
    this.known = null;
    if (stored) {
      await linkBackup(this.goalPath, this.backupPath, !stored.written, this.backups);
    } else {
      await mkdirs(this.dir);
      // A journal without a snapshot (left by a crash or a removed goal.json) must not continue the new one.
      await removeFile(this.journalPath);
    }
    const text = serialize(next, false);
    const stamp = await writeAtomic(this.goalPath, text);
    // A crash before this leaves a journal whose header names the old snapshot: ignored, then replaced.
    if (stored) await removeFile(this.journalPath);
    const bytes = Buffer.byteLength(text);
    this.writes.snapshots++;
    this.writes.snapshotBytes += bytes;
    this.lastSaveWroteSnapshot = true;
    if (stamp) this.known = { goal: freezeNew(next), snapshotStamp: stamp, snapshotBytes: bytes, journalStamp: null, appendAt: 0, lines: 0, written: true };
  }

  /** The active record: from memory when both files are as this store last saw them, else read. */
  private async currentActive(): Promise<Known | null> {
    const snapshot = statStampSync(this.goalPath);
    if (!snapshot) {
      this.known = null;
      return null;
    }
    if (this.known && sameStamp(this.known.snapshotStamp, snapshot) && sameStamp(this.known.journalStamp, statStampSync(this.journalPath))) return this.known;
    await this.readActive();
    return this.known;
  }

  private async readActive(): Promise<RecordOnDisk | null> {
    this.known = null;
    try {
      const stored = await readRecord(this.goalPath, this.journalPath);
      if (!stored) return null;
      const goal = freezeNew(stored.goal);
      const trusted = trustworthy(stored.snapshotStamp) && (stored.journalStamp === null || trustworthy(stored.journalStamp));
      if (trusted) this.known = { ...stored, goal, written: false };
      else this.known = null;
      return { ...stored, goal };
    } catch (e) {
      if (e instanceof StoreError && e.kind === 'corrupt') {
        throw new StoreError('corrupt', `${e.message} The file was left untouched. ${await this.recoveryHint()}`);
      }
      throw e;
    }
  }

  /** What the user can do about a corrupt goal.json, depending on whether a good backup exists. */
  private async recoveryHint(): Promise<string> {
    let backup: RecordOnDisk | null = null;
    try {
      backup = await readRecord(this.backupPath, null);
    } catch {
      return `The backup ${this.backupPath} exists but cannot be read either. Move goal.json aside (it is kept for inspection) to start a new goal.`;
    }
    if (!backup) return `No backup (${this.backupPath}) exists. Move goal.json aside (it is kept for inspection) to start a new goal.`;
    return `A backup of an earlier good state exists: ${this.backupPath} (goal ${backup.goal.id}, revision ${backup.goal.revision}, saved ${backup.goal.updatedAt}). Restore the backup (copy it over goal.json and remove goal.journal) to continue from there, or move goal.json aside to start a new goal.`;
  }

  private async quarantineActive(): Promise<string | null> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    let suffix = `.corrupt-${stamp}`;
    for (let n = 2; (await exists(this.goalPath + suffix)) || (await exists(this.journalPath + suffix)); n++) suffix = `.corrupt-${stamp}-${n}`;
    this.known = null;
    try {
      await fs.rename(this.journalPath, this.journalPath + suffix);
    } catch (e) {
      if (errno(e) !== 'ENOENT') throw ioError(e, this.journalPath);
    }
    try {
      await fs.rename(this.goalPath, this.goalPath + suffix);
    } catch (e) {
      if (errno(e) === 'ENOENT') return null;
      throw ioError(e, this.goalPath);
    }
    await fsyncDir(this.dir);
    return this.goalPath + suffix;
  }

  /** The history file already holding this goal (same id and creation time), or null. */
  private async findArchived(goal: Goal): Promise<string | null> {
    for (let n = 1; ; n++) {
      const file = historyFile(this.historyDir, goal.id, n);
      if (!(await exists(file))) return null;
      try {
        const stored = await readRecord(file, null);
        if (stored && stored.goal.id === goal.id && stored.goal.createdAt === goal.createdAt) return file;
      } catch {
        // An unreadable history file is someone else's; keep looking.
      }
    }
  }

  /** history/<id>.json, or <id>.<n>.json when an earlier goal with the same id is already there. */
  private async freeHistoryPath(id: string): Promise<string> {
    for (let n = 1; ; n++) {
      const file = historyFile(this.historyDir, id, n);
      if (!(await exists(file))) return file;
    }
  }
}

function historyFile(dir: string, id: string, n: number): string {
  return path.join(dir, n === 1 ? `${id}.json` : `${id}.${n}.json`);
}

/** History files are read by people too, so they are indented; the hot snapshot is compact. */
function serialize(goal: Goal, indent = true): string {
  return `${indent ? JSON.stringify(goal, null, 2) : JSON.stringify(goal)}\n`;
}

function endTime(goal: Goal): string {
  return goal.endedAt ?? goal.updatedAt;
}

export type { FileStamp };
