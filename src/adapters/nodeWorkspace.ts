// The Workspace port on the local file system: the goal folder, confined (see workspacePaths.ts), with
// capped reads, atomic writes, and listings and searches that honour .gitignore.
import { randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { DirEntry, FileSlice, TextMatch, Workspace } from '../engine/ports';
import { WorkspaceError } from '../engine/ports';
import { DEFAULT_SLICE_LIMITS, looksBinary, readTextSlice, type SliceLimits } from './textSlice';
import { realRoot, resolveInside, toRelative } from './workspacePaths';
import { gitEntries } from './gitFileSet';
import { walkWorkspace, type WalkEntry } from './workspaceWalk';

export { resolveInside } from './workspacePaths';

/** Caps of the workspace operations; tests shrink them. */
export interface WorkspaceLimits {
  slice: SliceLimits;
  /** readText refuses files larger than this. */
  maxTextBytes: number;
  maxListEntries: number;
  maxMatches: number;
  /** searchText skips files larger than this. */
  maxSearchFileBytes: number;
  /** searchText stops after looking at this many files. */
  maxSearchFiles: number;
}

/** The defaults of PRODUCT.md F9/F10: slices of 2,000 lines / 200 KB, 2,000 entries, 200 matches. */
export const DEFAULT_WORKSPACE_LIMITS: WorkspaceLimits = {
  slice: DEFAULT_SLICE_LIMITS,
  maxTextBytes: 4 * 1024 * 1024,
  maxListEntries: 2000,
  maxMatches: 200,
  maxSearchFileBytes: 1024 * 1024,
  maxSearchFiles: 50_000,
};

const MATCH_TEXT_CHARS = 300;

/** A Workspace rooted at a folder on disk. */
export class NodeWorkspace implements Workspace {
  private readonly limits: WorkspaceLimits;

  constructor(
    readonly root: string,
    limits: Partial<WorkspaceLimits> = {},
  ) {
    this.limits = { ...DEFAULT_WORKSPACE_LIMITS, ...limits };
  }

  async readFile(p: string, range: { startLine?: number; endLine?: number } = {}): Promise<FileSlice> {
    const abs = await resolveInside(this.root, p);
    const stat = await statOrNull(abs, p);
    if (!stat) throw notFound(p);
    if (stat.isDirectory()) throw new WorkspaceError(`${JSON.stringify(p)} is a folder; use list_files to see what it contains.`);
    if (!stat.isFile()) throw new WorkspaceError(`${JSON.stringify(p)} is not a regular file.`);
    return readTextSlice(abs, p, range, this.limits.slice);
  }

  async readText(p: string): Promise<string | null> {
    const abs = await resolveInside(this.root, p);
    const stat = await statOrNull(abs, p);
    if (!stat) return null;
    if (!stat.isFile()) throw new WorkspaceError(`${JSON.stringify(p)} is not a regular file.`);
    if (stat.size > this.limits.maxTextBytes) {
      throw new WorkspaceError(`${JSON.stringify(p)} is ${formatBytes(stat.size)}, more than the ${formatBytes(this.limits.maxTextBytes)} that can be read whole; read it in line ranges instead.`);
    }
    return fs.readFile(abs, 'utf8');
  }

  async writeFile(p: string, content: string): Promise<void> {
    const abs = await resolveInside(this.root, p);
    if (abs === (await realRoot(this.root))) throw new WorkspaceError('The workspace root is a folder; give a file path.');
    // Writing through a symlink that stays inside writes its target, as an editor would.
    let dest = abs;
    let mode: number | null = null;
    const existing = await lstatOrNull(abs);
    if (existing?.isSymbolicLink()) dest = await fs.realpath(abs).catch(() => abs);
    const target = await statOrNull(dest, p);
    if (target?.isDirectory()) throw new WorkspaceError(`${JSON.stringify(p)} is a folder; write_file writes files.`);
    if (target) mode = target.mode & 0o7777;
    try {
      await fs.mkdir(path.dirname(dest), { recursive: true });
    } catch (err) {
      throw new WorkspaceError(`Cannot create the folder for ${JSON.stringify(p)}: ${describe(err)} (is a parent path a file?).`);
    }
    const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.goalpost-${randomBytes(6).toString('hex')}.tmp`);
    try {
      const fh = await fs.open(tmp, 'wx');
      try {
        await fh.writeFile(content, 'utf8');
        if (mode !== null) await fh.chmod(mode);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, dest);
    } catch (err) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw new WorkspaceError(`Cannot write ${JSON.stringify(p)}: ${describe(err)}.`);
    }
  }

  async appendText(p: string, text: string): Promise<void> {
    const abs = await resolveInside(this.root, p);
    if (abs === (await realRoot(this.root))) throw new WorkspaceError('The workspace root is a folder; give a file path.');
    const existing = await lstatOrNull(abs);
    // A journal is Goalpost's own file: never appended through a link someone planted in its place.
    if (existing && !existing.isFile()) throw new WorkspaceError(`${JSON.stringify(p)} is not a regular file.`);
    try {
      await fs.mkdir(path.dirname(abs), { recursive: true });
      const fh = await fs.open(abs, 'a');
      try {
        await fh.appendFile(text, 'utf8');
        await fh.datasync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      throw new WorkspaceError(`Cannot append to ${JSON.stringify(p)}: ${describe(err)}.`);
    }
  }

  async deleteFile(p: string): Promise<void> {
    const abs = await resolveInside(this.root, p);
    const stat = await lstatOrNull(abs);
    if (!stat) throw notFound(p);
    if (stat.isDirectory()) {
      throw new WorkspaceError(`${JSON.stringify(p)} is a folder; delete_file removes files only (remove its files one by one, or use run_command).`);
    }
    try {
      await fs.unlink(abs);
    } catch (err) {
      throw new WorkspaceError(`Cannot delete ${JSON.stringify(p)}: ${describe(err)}.`);
    }
  }

  async moveFile(from: string, to: string): Promise<void> {
    const src = await resolveInside(this.root, from);
    const dest = await resolveInside(this.root, to);
    const stat = await lstatOrNull(src);
    if (!stat) throw notFound(from);
    try {
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await fs.rename(src, dest);
    } catch (err) {
      throw new WorkspaceError(`Cannot move ${JSON.stringify(from)} to ${JSON.stringify(to)}: ${describe(err)}.`);
    }
  }

  async listFiles(p: string): Promise<{ entries: DirEntry[]; truncated: boolean }> {
    const abs = await resolveInside(this.root, p);
    const rootReal = await realRoot(this.root);
    const stat = await statOrNull(abs, p);
    if (!stat) throw notFound(p);
    const rel = toRelative(rootReal, abs);
    if (!stat.isDirectory()) return { entries: [{ path: rel, type: 'file' }], truncated: false };
    const entries: DirEntry[] = [];
    for await (const e of entriesUnder(rootReal, rel)) {
      if (entries.length >= this.limits.maxListEntries) return { entries, truncated: true };
      entries.push({ path: e.rel, type: e.type });
    }
    return { entries, truncated: false };
  }

  async searchText(query: string, p = ''): Promise<{ matches: TextMatch[]; truncated: boolean }> {
    if (query === '') throw new WorkspaceError('The search query is empty; give the literal text to find.');
    if (query.includes('\n')) throw new WorkspaceError('The search query spans lines; search for one line of text at a time.');
    const abs = await resolveInside(this.root, p);
    const rootReal = await realRoot(this.root);
    const stat = await statOrNull(abs, p);
    if (!stat) throw notFound(p);
    const rel = toRelative(rootReal, abs);
    const matches: TextMatch[] = [];
    const files = stat.isDirectory() ? this.filesUnder(rootReal, rel) : single(rel, abs);
    let looked = 0;
    for await (const file of files) {
      if (++looked > this.limits.maxSearchFiles) return { matches, truncated: true };
      const full = await this.searchFile(file.abs, file.rel, query, matches);
      if (full) return { matches, truncated: true };
    }
    return { matches, truncated: false };
  }

  private async *filesUnder(rootReal: string, rel: string): AsyncGenerator<{ rel: string; abs: string }> {
    for await (const e of entriesUnder(rootReal, rel)) {
      if (e.type === 'file' && !e.symlink) yield e; // a link could point anywhere; its target is listed where it lives
    }
  }

  /** Appends the matches of one file; returns true when the match cap was reached. */
  private async searchFile(abs: string, rel: string, query: string, matches: TextMatch[]): Promise<boolean> {
    let buf: Buffer;
    try {
      const stat = await fs.stat(abs);
      if (!stat.isFile() || stat.size > this.limits.maxSearchFileBytes) return false;
      buf = await fs.readFile(abs);
    } catch {
      return false;
    }
    if (looksBinary(buf) || !buf.includes(query)) return false;
    const lines = buf.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const at = lines[i].indexOf(query);
      if (at < 0) continue;
      if (matches.length >= this.limits.maxMatches) return true;
      matches.push({ path: rel, line: i + 1, text: matchText(lines[i], query) });
    }
    return false;
  }
}

/** The file set from git in a repository (every .gitignore up to its root counts), else the walk's. */
async function* entriesUnder(rootReal: string, rel: string): AsyncGenerator<WalkEntry> {
  const fromGit = await gitEntries(rootReal, rel);
  if (fromGit) yield* fromGit;
  else yield* walkWorkspace(rootReal, rel);
}

async function* single(rel: string, abs: string): AsyncGenerator<{ rel: string; abs: string }> {
  yield { rel, abs };
}

/** The matching line, trimmed, cut to ~300 characters around the match (the test fake shows the same). */
export function matchText(line: string, query: string): string {
  const text = line.replace(/\r$/, '').trim();
  if (text.length <= MATCH_TEXT_CHARS) return text;
  const at = Math.max(0, text.indexOf(query));
  const from = Math.max(0, Math.min(at - 100, text.length - MATCH_TEXT_CHARS));
  const cut = text.slice(from, from + MATCH_TEXT_CHARS);
  return `${from > 0 ? '…' : ''}${cut}${from + MATCH_TEXT_CHARS < text.length ? '…' : ''}`;
}

function notFound(p: string): WorkspaceError {
  return new WorkspaceError(`${JSON.stringify(p)} does not exist; check the path with list_files.`);
}

async function statOrNull(abs: string, p: string): Promise<Stats | null> {
  try {
    return await fs.stat(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new WorkspaceError(`Cannot read ${JSON.stringify(p)}: ${describe(err)}.`);
  }
}

async function lstatOrNull(abs: string): Promise<Stats | null> {
  try {
    return await fs.lstat(abs);
  } catch {
    return null;
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}` : String(err);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}
