// The goal record on disk, under <folder>/.goalpost/: goal.json (the active goal), goal.json.bak (the
// previous good copy) and history/<id>.json (ended goals). Every write is atomic (temp file in the same
// folder, fsync, rename, fsync the folder), so a crash at any instant leaves a readable goal. A file that
// cannot be read is reported and left exactly as it is: nothing here overwrites or deletes it silently.
//
// A save is on the engine's hot path (a dozen per iteration, on a record of hundreds of KB), so it does
// the least that keeps those guarantees: the previous copy becomes goal.json.bak by a hard link (no second
// write, no second fsync); goal.json is re-read only when it is not the file this store last wrote or
// read (another process — the CLI and the editor share it — may have replaced it); and the new record is
// checked for cheap invariants only, since the engine's types guarantee its shape and load() validates.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, type BigIntStats } from 'node:fs';
import { Goal, GOAL_SCHEMA_VERSION } from '../engine/goal';
import { StoreError, type GoalStore } from '../engine/ports';

/** The folder of Goalpost's own state inside a workspace folder (same name as the engine's STATE_DIR). */
export const GOALPOST_DIR = '.goalpost';

/** History goals that could be read, newest first, and one warning per history file that could not. */
export interface GoalHistory {
  goals: Goal[];
  warnings: string[];
}

/** Test seams: the clock names quarantined files. */
export interface FileGoalStoreOptions {
  now?: () => Date;
}

interface StoredGoal {
  goal: Goal;
  raw: string;
  /** The identity of the file the goal was read from, taken from the open handle. */
  stamp: FileStamp;
}

/** What identifies one version of a file: a replaced or rewritten file differs in at least one. */
interface FileStamp {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** What this store knows goal.json holds, valid while the file still has `stamp`. */
interface KnownActive {
  stamp: FileStamp;
  id: string;
  revision: number;
  /** Written by this store (a fresh file, so no other name can be linked to it unnoticed), not just read. */
  written: boolean;
}

/** The fields a save checks on the new record: cheap scalars that would make the file unloadable or unsafe. */
const SaveGuard = Goal.pick({
  schemaVersion: true,
  revision: true,
  id: true,
  folder: true,
  status: true,
  phase: true,
  iteration: true,
  createdAt: true,
  updatedAt: true,
  endedAt: true,
});

// Errors of link() on file systems without hard links (FAT, some network shares): copy instead.
const NO_HARD_LINKS = new Set(['EPERM', 'EXDEV', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

const TEMP_FILE = /\.tmp-(\d+)-[0-9a-f]+$/;
// A temp file of a live process is left alone unless it is this old (its pid may have been reused).
const STALE_TEMP_MS = 60 * 60 * 1000;
// Temp files being written right now by any store of this process (two stores may share a folder).
const inFlight = new Set<string>();

/** A GoalStore over `<folder>/.goalpost/`. */
export class FileGoalStore implements GoalStore {
  readonly dir: string;
  readonly goalPath: string;
  readonly backupPath: string;
  readonly historyDir: string;
  private readonly now: () => Date;
  // goal.json as this store last wrote or read it; null when unknown (then a save reads the file).
  private known: KnownActive | null = null;
  // Set after link() failed once with an error meaning this file system has no hard links.
  private copyBackups = false;
  // One operation at a time per store, so a revision check and its write cannot interleave with another.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly folder: string,
    options: FileGoalStoreOptions = {},
  ) {
    this.dir = path.join(folder, GOALPOST_DIR);
    this.goalPath = path.join(this.dir, 'goal.json');
    this.backupPath = path.join(this.dir, 'goal.json.bak');
    this.historyDir = path.join(this.dir, 'history');
    this.now = options.now ?? ((): Date => new Date());
  }

  /** The active goal, or null. Throws StoreError 'corrupt' or 'newer-schema' and leaves the file alone. */
  load(): Promise<Goal | null> {
    return this.exclusive(async () => {
      await this.cleanTempFiles();
      const stored = await this.readActive();
      return stored?.goal ?? null;
    });
  }

  /**
   * Writes `goal` when the stored revision equals `goal.revision` and returns it with revision + 1.
   * The copy it replaces becomes goal.json.bak. Refuses (StoreError) over a corrupt or newer file.
   */
  save(goal: Goal): Promise<Goal> {
    return this.exclusive(async () => {
      const stored = await this.currentActive();
      if (stored) {
        if (stored.id !== goal.id) {
          throw new StoreError('conflict', `${this.goalPath} holds another goal (${stored.id}), not ${goal.id}. Reload the active goal before changing it.`);
        }
        if (stored.revision !== goal.revision) {
          throw new StoreError('conflict', `The goal changed elsewhere: ${this.goalPath} is at revision ${stored.revision}, this copy is at ${goal.revision}. Reload the goal and try again.`);
        }
      } else if (goal.revision > 0 && (await this.findArchived(goal)) !== null) {
        throw new StoreError('conflict', `Goal ${goal.id} was already archived (it ended or was cleared), so it is not saved again. Set a new goal to continue.`);
      }
      const next: Goal = { ...goal, revision: goal.revision + 1 };
      const checked = SaveGuard.safeParse(next);
      if (!checked.success) {
        throw new StoreError('io', `Refusing to save an invalid goal record (${describeIssues(checked.error.issues)}); ${this.goalPath} is unchanged. This is a bug in Goalpost.`);
      }
      if (stored) await this.linkBackup(!stored.ownWrite);
      else await mkdirs(this.dir);
      const stamp = await this.writeAtomic(this.goalPath, serialize(next));
      this.known = stamp ? { stamp, id: next.id, revision: next.revision, written: true } : null;
      return next;
    });
  }

  /** Writes the goal into history/ and removes goal.json (and its backup) when it holds this goal. */
  archive(goal: Goal): Promise<void> {
    return this.exclusive(async () => {
      await mkdirs(this.historyDir);
      const target = (await this.findArchived(goal)) ?? (await this.freeHistoryPath(goal.id));
      await this.writeAtomic(target, serialize(goal));
      let active: StoredGoal | null;
      try {
        active = await this.readActive();
      } catch {
        // An unreadable goal.json is not this goal's to delete: it stays for the user to inspect.
        return;
      }
      if (active && active.goal.id === goal.id) {
        this.known = null;
        await removeFile(this.goalPath);
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
          const stored = await this.readGoalFile(file);
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
   * Moves goal.json aside to goal.json.corrupt-<timestamp> so a new goal (or a save) can proceed, keeping
   * the unreadable file for inspection. Returns its new path, or null when there was no goal.json.
   */
  quarantine(): Promise<string | null> {
    return this.exclusive(() => this.quarantineActive());
  }

  /**
   * Makes goal.json.bak the active goal again. A corrupt goal.json is quarantined first; a readable one
   * is never replaced (StoreError 'conflict'). Returns the restored goal.
   */
  restoreBackup(): Promise<Goal> {
    return this.exclusive(async () => {
      const backup = await this.readGoalFile(this.backupPath);
      if (!backup) throw new StoreError('io', `There is no backup to restore: ${this.backupPath} does not exist.`);
      let active: StoredGoal | null;
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
      const stamp = await this.writeAtomic(this.goalPath, backup.raw);
      this.known = stamp ? { stamp, id: backup.goal.id, revision: backup.goal.revision, written: true } : null;
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
          const stale = pid === process.pid || !processAlive(pid) || this.now().getTime() - (await fs.stat(file)).mtimeMs > STALE_TEMP_MS;
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

  /** The id and revision goal.json holds now: from memory when it is the file this store last saw, else read. */
  private async currentActive(): Promise<{ id: string; revision: number; ownWrite: boolean } | null> {
    let stat: BigIntStats;
    try {
      stat = await fs.stat(this.goalPath, { bigint: true });
    } catch (e) {
      if (errno(e) !== 'ENOENT') throw ioError(e, this.goalPath);
      this.known = null;
      return null;
    }
    if (this.known && sameStamp(this.known.stamp, stampOf(stat))) return { id: this.known.id, revision: this.known.revision, ownWrite: this.known.written };
    const stored = await this.readActive();
    return stored ? { id: stored.goal.id, revision: stored.goal.revision, ownWrite: false } : null;
  }

  private async readActive(): Promise<StoredGoal | null> {
    this.known = null;
    try {
      const stored = await this.readGoalFile(this.goalPath);
      if (stored && trustworthy(stored.stamp)) this.known = { stamp: stored.stamp, id: stored.goal.id, revision: stored.goal.revision, written: false };
      return stored;
    } catch (e) {
      if (e instanceof StoreError && e.kind === 'corrupt') {
        throw new StoreError('corrupt', `${e.message} The file was left untouched. ${await this.recoveryHint()}`);
      }
      throw e;
    }
  }

  /** Reads and validates one goal file; null when it does not exist. */
  private async readGoalFile(file: string): Promise<StoredGoal | null> {
    let raw: string;
    let stamp: FileStamp;
    try {
      // Stat and read through one handle, so the stamp belongs to the very file whose text is parsed.
      const handle = await fs.open(file, 'r');
      try {
        stamp = stampOf(await handle.stat({ bigint: true }));
        raw = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (e) {
      if (errno(e) === 'ENOENT') return null;
      throw ioError(e, file);
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      const what = raw.trim() === '' ? 'is empty' : `is not valid JSON (${(e as Error).message})`;
      throw new StoreError('corrupt', `The goal file ${file} ${what}.`);
    }
    const version = typeof value === 'object' && value !== null ? (value as { schemaVersion?: unknown }).schemaVersion : undefined;
    if (typeof version === 'number' && version > GOAL_SCHEMA_VERSION) {
      throw new StoreError('newer-schema', `The goal file ${file} was written by a newer Goalpost (schema version ${version}; this version reads version ${GOAL_SCHEMA_VERSION}). Update Goalpost to continue this goal; the file was left untouched.`);
    }
    const parsed = Goal.safeParse(value);
    if (!parsed.success) {
      throw new StoreError('corrupt', `The goal file ${file} is not a valid goal record (${describeIssues(parsed.error.issues)}).`);
    }
    return { goal: parsed.data, raw, stamp };
  }

  /** What the user can do about a corrupt goal.json, depending on whether a good backup exists. */
  private async recoveryHint(): Promise<string> {
    let backup: StoredGoal | null = null;
    try {
      backup = await this.readGoalFile(this.backupPath);
    } catch {
      return `The backup ${this.backupPath} exists but cannot be read either. Move goal.json aside (it is kept for inspection) to start a new goal.`;
    }
    if (!backup) return `No backup (${this.backupPath}) exists. Move goal.json aside (it is kept for inspection) to start a new goal.`;
    return `A backup of the previous good state exists: ${this.backupPath} (goal ${backup.goal.id}, revision ${backup.goal.revision}, saved ${backup.goal.updatedAt}). Restore the backup (copy it over goal.json) to continue from there, or move goal.json aside to start a new goal.`;
  }

  private async quarantineActive(): Promise<string | null> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    let target = `${this.goalPath}.corrupt-${stamp}`;
    for (let n = 2; await exists(target); n++) target = `${this.goalPath}.corrupt-${stamp}-${n}`;
    this.known = null;
    try {
      await fs.rename(this.goalPath, target);
    } catch (e) {
      if (errno(e) === 'ENOENT') return null;
      throw ioError(e, this.goalPath);
    }
    await fsyncDir(this.dir);
    return target;
  }

  /** The history file already holding this goal (same id and creation time), or null. */
  private async findArchived(goal: Goal): Promise<string | null> {
    for (let n = 1; ; n++) {
      const file = historyFile(this.historyDir, goal.id, n);
      if (!(await exists(file))) return null;
      try {
        const stored = await this.readGoalFile(file);
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

  /**
   * Makes the current goal.json also goal.json.bak, by a hard link to a temp name renamed over the old
   * backup: the bytes are neither copied nor synced again (they were synced when goal.json was written).
   * goal.json itself is untouched, so at every instant it still holds the previous good goal. The save's
   * folder fsync makes the new name durable. Copies (with an fsync) where hard links are not supported.
   * `mayShareFile`: goal.json may already be goal.json.bak too (a save cut short between its two renames);
   * false when goal.json is unchanged since this store wrote it as a fresh file, as a link made to it since
   * would have changed its ctime.
   */
  private async linkBackup(mayShareFile: boolean): Promise<void> {
    const temp = tempName(this.backupPath);
    inFlight.add(temp);
    try {
      if (this.copyBackups) {
        await copyDurably(this.goalPath, temp);
      } else {
        try {
          await fs.link(this.goalPath, temp);
        } catch (e) {
          if (!NO_HARD_LINKS.has(errno(e) ?? '')) throw e;
          this.copyBackups = true;
          await copyDurably(this.goalPath, temp);
        }
      }
      await renameWithRetry(temp, this.backupPath);
      // rename() between two links of one file succeeds without removing the temp name.
      if (mayShareFile) await fs.rm(temp, { force: true });
    } catch (e) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      // goal.json vanished since it was checked (another process archived it): there is nothing to keep.
      if (errno(e) === 'ENOENT') return;
      throw e instanceof StoreError ? e : ioError(e, this.backupPath);
    } finally {
      inFlight.delete(temp);
    }
  }

  /**
   * Writes `data` to `target` atomically. Returns the written file's stamp (taken after the rename, which
   * changes ctime), or null when the file system cannot tell files apart by it.
   */
  private async writeAtomic(target: string, data: string): Promise<FileStamp | null> {
    const temp = tempName(target);
    let stamp: FileStamp | null = null;
    inFlight.add(temp);
    try {
      const handle = await fs.open(temp, 'wx');
      let open = true;
      try {
        await handle.writeFile(data, 'utf8');
        await handle.sync();
        if (process.platform === 'win32') {
          // Windows may refuse to rename a file that is open; its stamp is then taken before the rename.
          stamp = stampOf(await handle.stat({ bigint: true }));
          await handle.close();
          open = false;
        }
        await renameWithRetry(temp, target);
        // Through the handle, so the stamp is of this file even if another process replaces goal.json now.
        if (open) stamp = stampOf(await handle.stat({ bigint: true }));
      } finally {
        if (open) await handle.close();
      }
    } catch (e) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw e instanceof StoreError ? e : ioError(e, target);
    } finally {
      inFlight.delete(temp);
    }
    // The rename is only durable once the folder's entry is on disk too.
    await fsyncDir(path.dirname(target));
    return stamp && trustworthy(stamp) ? stamp : null;
  }
}

function historyFile(dir: string, id: string, n: number): string {
  return path.join(dir, n === 1 ? `${id}.json` : `${id}.${n}.json`);
}

function tempName(target: string): string {
  return `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

function stampOf(stat: BigIntStats): FileStamp {
  return { ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs };
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** Without inode numbers (some network and FAT file systems report 0) a replaced file may look the same. */
function trustworthy(stamp: FileStamp): boolean {
  return stamp.ino !== 0n;
}

/** Copies `from` to a new file `to` and syncs it: the backup where hard links are not available. */
async function copyDurably(from: string, to: string): Promise<void> {
  await fs.copyFile(from, to, fsConstants.COPYFILE_EXCL);
  const handle = await fs.open(to, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function serialize(goal: Goal): string {
  return `${JSON.stringify(goal, null, 2)}\n`;
}

function endTime(goal: Goal): string {
  return goal.endedAt ?? goal.updatedAt;
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return issues.length > 3 ? `${shown.join('; ')}; and ${issues.length - 3} more` : shown.join('; ');
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

function ioError(e: unknown, file: string): StoreError {
  return new StoreError('io', `Could not access ${file}: ${(e as Error).message}`);
}

async function mkdirs(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw ioError(e, dir);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function removeFile(file: string): Promise<void> {
  try {
    await fs.rm(file, { force: true });
  } catch (e) {
    throw ioError(e, file);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return errno(e) === 'EPERM';
  }
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  // Windows refuses a rename while another process (an editor, a virus scanner) has the target open.
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (e) {
      const code = errno(e);
      if (process.platform !== 'win32' || attempt >= 5 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw e;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function fsyncDir(dir: string): Promise<void> {
  // Directories cannot be opened for fsync on Windows; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse to fsync a directory; the rename has still happened.
  }
}
