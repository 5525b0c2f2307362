// The file operations the goal store is built from: atomic replacement (temp file, fsync, rename,
// fsync the folder), durable appends, file identities (stamps) and the error wording. Kept apart from
// the store's logic so each stays small.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as fsSync from 'node:fs';
import { constants as fsConstants, type BigIntStats } from 'node:fs';
import { StoreError } from '../../engine/ports';

/** What identifies one version of a file: a replaced or rewritten file differs in at least one. */
export interface FileStamp {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

export const TEMP_FILE = /\.tmp-(\d+)-[0-9a-f]+$/;
/** Temp files being written right now by any store of this process (two stores may share a folder). */
export const inFlight = new Set<string>();

export function tempName(target: string): string {
  return `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function stampOf(stat: BigIntStats): FileStamp {
  return { ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs };
}

export function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  if (a === null || b === null) return a === b;
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** Without inode numbers (some network and FAT file systems report 0) a replaced file may look the same. */
export function trustworthy(stamp: FileStamp): boolean {
  return stamp.ino !== 0n;
}

/**
 * The file's stamp, or null when it does not exist. Synchronous: a save checks two stamps, and an
 * asynchronous stat costs a round trip through libuv's thread pool (about 0.1 ms, more on a loaded
 * machine) where the call itself takes microseconds.
 */
export function statStampSync(file: string): FileStamp | null {
  try {
    return stampOf(fsSync.statSync(file, { bigint: true }));
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw ioError(e, file);
  }
}

/** A file's bytes and the stamp of the very file read (one handle), or null when it does not exist. */
export async function readWithStamp(file: string): Promise<{ bytes: Buffer; stamp: FileStamp } | null> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      const stamp = stampOf(await handle.stat({ bigint: true }));
      return { bytes: await handle.readFile(), stamp };
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw ioError(e, file);
  }
}

/**
 * Writes `data` to `target` atomically. Returns the written file's stamp (taken after the rename, which
 * changes ctime), or null when the file system cannot tell files apart by it.
 */
export async function writeAtomic(target: string, data: string): Promise<FileStamp | null> {
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
      // Through the handle, so the stamp is of this file even if another process replaces it now.
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

/**
 * Appends `data` to `file` at byte `at` (cutting off whatever follows: a line a crash left half
 * written) and makes it durable with one fdatasync (unless `sync` is false: see journal.ts on lazy lines). Returns the file's new stamp (null when not
 * trustworthy). A new file's folder entry is synced too.
 */
export async function appendDurably(file: string, at: number, data: string, sync = true): Promise<FileStamp | null> {
  let created = false;
  let stamp: FileStamp;
  try {
    if (sync) {
      const handle = await fs.open(file, 'a');
      try {
        const before = await handle.stat({ bigint: true });
        created = before.size === 0n && at === 0;
        if (before.size !== BigInt(at)) await handle.truncate(at);
        await handle.appendFile(data, 'utf8');
        await handle.datasync();
        stamp = stampOf(await handle.stat({ bigint: true }));
      } finally {
        await handle.close();
      }
    } else {
      ({ created, stamp } = appendNow(file, at, data));
    }
  } catch (e) {
    throw ioError(e, file);
  }
  if (created) await fsyncDir(path.dirname(file));
  return trustworthy(stamp) ? stamp : null;
}

/**
 * A lazy append (no fdatasync: the next durable append flushes the whole file) without the thread
 * pool: open, stat, write and close of a journal line take microseconds each, where every asynchronous
 * call is a round trip through libuv's pool (about 0.1 ms, more on a loaded machine), and an iteration
 * makes ten such saves.
 */
function appendNow(file: string, at: number, data: string): { created: boolean; stamp: FileStamp } {
  const fd = fsSync.openSync(file, 'a');
  try {
    const before = fsSync.fstatSync(fd, { bigint: true });
    if (before.size !== BigInt(at)) fsSync.ftruncateSync(fd, at);
    const bytes = Buffer.from(data, 'utf8');
    for (let done = 0; done < bytes.length; ) done += fsSync.writeSync(fd, bytes, done, bytes.length - done);
    return { created: before.size === 0n && at === 0, stamp: stampOf(fsSync.fstatSync(fd, { bigint: true })) };
  } finally {
    fsSync.closeSync(fd);
  }
}

/** Copies `from` to a new file `to` and syncs it: the backup where hard links are not available. */
export async function copyDurably(from: string, to: string): Promise<void> {
  await fs.copyFile(from, to, fsConstants.COPYFILE_EXCL);
  const handle = await fs.open(to, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

export function ioError(e: unknown, file: string): StoreError {
  return new StoreError('io', `Could not access ${file}: ${(e as Error).message}`);
}

export async function mkdirs(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw ioError(e, dir);
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

export async function removeFile(file: string): Promise<void> {
  try {
    await fs.rm(file, { force: true });
  } catch (e) {
    throw ioError(e, file);
  }
}


export async function renameWithRetry(from: string, to: string): Promise<void> {
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

export async function fsyncDir(dir: string): Promise<void> {
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
