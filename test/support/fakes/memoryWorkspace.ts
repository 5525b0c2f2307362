// A Workspace over a Map<string, string>, no disk I/O, so loop tests and benchmarks stay fast. It answers
// like the real one (NodeWorkspace) — the same path rules (no absolute paths, no `..` escapes, no NUL,
// nothing under .git/, symbolic links followed inside and refused when they lead out), the same errors,
// the same listing order and .gitignore rules — and test/unit/adapters/workspaceContract.test.ts runs one
// suite against both to keep it so. Not modelled: binary files, the byte caps of a slice, file modes.
import { WorkspaceError, type DirEntry, type FileSlice, type TextMatch, type Workspace } from '../../../src/engine/ports';
import { STATE_DIR } from '../../../src/engine/stateFiles';
import { matchText } from '../../../src/adapters/nodeWorkspace';
import { byWalkOrder, GitignoreRules } from './memoryListing';

/** Lines returned by one readFile call when no end line is given (the real one caps too). */
export const READ_LINE_CAP = 2000;
const LIST_CAP = 2000;
const SEARCH_CAP = 200;
/** Never listed or searched, at any depth, in any case (as the real walk and git file set). */
const HIDDEN = new Set(['.git', STATE_DIR]);
/** Listed but not descended into, unless asked for by name. */
const NOT_DESCENDED = 'node_modules';
const MAX_LINK_HOPS = 40;

/** Where a symbolic link points: a workspace-relative path, or somewhere outside the workspace. */
type LinkTarget = { inside: string } | { outside: string };

/** Splits text into lines the way an editor counts them (a final newline ends the last line). */
function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function gitError(shown: string): WorkspaceError {
  return new WorkspaceError(`Path ${shown} is inside .git/, which the agent may not read or change directly; use git commands through run_command instead.`);
}

function notFound(path: string): WorkspaceError {
  return new WorkspaceError(`${JSON.stringify(path)} does not exist; check the path with list_files.`);
}

/** A Workspace held in memory; `files` maps normalised relative paths to their text. */
export class MemoryWorkspace implements Workspace {
  readonly files = new Map<string, string>();
  /** Symbolic links by normalised relative path (see link / linkOut). */
  readonly links = new Map<string, LinkTarget>();
  /** Every write and delete, in order, for assertions on what the engine touched. */
  readonly writes: { op: 'write' | 'append' | 'delete'; path: string }[] = [];

  constructor(
    initial: Record<string, string> = {},
    readonly root = '/memory/workspace',
  ) {
    for (const [path, text] of Object.entries(initial)) this.files.set(this.resolve(path), text);
  }

  /** The path with `.`, `..` and separators normalised, links not followed; refuses what is never valid. */
  private lexical(path: string): string[] {
    const shown = JSON.stringify(path);
    if (path.includes('\0')) throw new WorkspaceError(`Path ${shown} contains a NUL byte; use a plain relative path.`);
    const raw = path.replace(/\\/g, '/');
    if (raw.startsWith('/') || /^[A-Za-z]:\//.test(raw)) {
      throw new WorkspaceError(`Path ${shown} is absolute; paths must be relative to the workspace root (for example "src/index.ts").`);
    }
    if (raw === '~' || raw.startsWith('~/')) {
      throw new WorkspaceError(`Path ${shown} points into the home folder; only files inside the workspace can be used.`);
    }
    const parts: string[] = [];
    for (const segment of raw.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (parts.length === 0) throw new WorkspaceError(`Path ${shown} leaves the workspace through ".."; only files inside the workspace can be used.`);
        parts.pop();
        continue;
      }
      parts.push(segment);
    }
    if (parts.some((p) => p.toLowerCase() === '.git')) throw gitError(shown);
    return parts;
  }

  /**
   * The normalised relative path ('' for the root) with every link on the way followed, or a
   * WorkspaceError the model can act on. Public so tests can assert the exact refusal rules.
   */
  resolve(path: string): string {
    let parts = this.lexical(path);
    if (this.links.size === 0) return parts.join('/');
    const shown = JSON.stringify(path);
    for (let hops = 0; ; hops++) {
      const at = parts.findIndex((_, i) => this.links.has(parts.slice(0, i + 1).join('/')));
      if (at < 0) return parts.join('/');
      if (hops >= MAX_LINK_HOPS) throw new WorkspaceError(`Path ${shown} cannot be resolved (ELOOP).`);
      const target = this.links.get(parts.slice(0, at + 1).join('/')) as LinkTarget;
      if ('outside' in target) {
        throw new WorkspaceError(`Path ${shown} leads outside the workspace through a symbolic link (to ${target.outside}); only files inside the workspace can be used.`);
      }
      parts = [...target.inside.split('/'), ...parts.slice(at + 1)].filter((p) => p !== '');
      if (parts.some((p) => p.toLowerCase() === '.git')) throw gitError(shown);
    }
  }

  /** A symbolic link at `path` to `target` inside the workspace (relative to the root). */
  link(path: string, target: string): void {
    this.links.set(this.lexical(path).join('/'), { inside: this.lexical(target).join('/') });
  }

  /** A symbolic link at `path` to `target`, a place outside the workspace. */
  linkOut(path: string, target = '/outside'): void {
    this.links.set(this.lexical(path).join('/'), { outside: target });
  }

  private isDir(rel: string): boolean {
    if (rel === '') return true;
    const prefix = `${rel}/`;
    for (const key of this.files.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  async readFile(path: string, range: { startLine?: number; endLine?: number } = {}): Promise<FileSlice> {
    const rel = this.resolve(path);
    const text = this.files.get(rel);
    if (text === undefined) {
      if (this.isDir(rel)) throw new WorkspaceError(`${JSON.stringify(path)} is a folder; use list_files to see what it contains.`);
      throw notFound(path);
    }
    const start = range.startLine ?? 1;
    const wanted = range.endLine ?? Number.POSITIVE_INFINITY;
    if (!Number.isInteger(start) || start < 1) throw new WorkspaceError(`start_line must be 1 or more (got ${start}).`);
    if (wanted < start) throw new WorkspaceError(`end_line (${wanted}) is before start_line (${start}).`);
    const lines = linesOf(text);
    const total = lines.length;
    if (total === 0 && start === 1) return { text: '', startLine: 1, endLine: 0, totalLines: 0, truncated: false };
    if (start > total) {
      throw new WorkspaceError(`start_line ${start} is past the end of ${path}, which has ${total} line${total === 1 ? '' : 's'}.`);
    }
    const lastWanted = Math.min(wanted, start + READ_LINE_CAP - 1);
    const end = Math.min(total, lastWanted);
    return {
      text: lines.slice(start - 1, end).join('\n'),
      startLine: start,
      endLine: end,
      totalLines: total,
      truncated: wanted > lastWanted && total > lastWanted,
    };
  }

  async readText(path: string): Promise<string | null> {
    const rel = this.resolve(path);
    const text = this.files.get(rel);
    if (text === undefined && this.isDir(rel)) throw new WorkspaceError(`${JSON.stringify(path)} is not a regular file.`);
    return text ?? null;
  }

  async writeFile(path: string, content: string): Promise<void> {
    const rel = this.resolve(path);
    if (rel === '') throw new WorkspaceError('The workspace root is a folder; give a file path.');
    if (this.isDir(rel)) throw new WorkspaceError(`${JSON.stringify(path)} is a folder; write_file writes files.`);
    if (this.fileParent(rel)) throw new WorkspaceError(`Cannot create the folder for ${JSON.stringify(path)}: ENOTDIR (is a parent path a file?).`);
    this.files.set(rel, content);
    this.writes.push({ op: 'write', path: rel });
  }

  /** True when a file stands where a parent folder of `rel` would have to be (the real mkdir fails). */
  private fileParent(rel: string): boolean {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) if (this.files.has(parts.slice(0, i).join('/'))) return true;
    return false;
  }

  /** Where `path` itself sits: its parent folders' links followed, its last segment not. */
  private ownPlace(path: string): string {
    const parts = this.lexical(path);
    const parent = parts.length > 1 ? this.resolve(parts.slice(0, -1).join('/')) : '';
    return [parent, parts[parts.length - 1]].filter((p) => p !== '' && p !== undefined).join('/');
  }

  async appendText(path: string, text: string): Promise<void> {
    const rel = this.resolve(path);
    if (rel === '') throw new WorkspaceError('The workspace root is a folder; give a file path.');
    // Like the real lstat: a link in the file's own place is refused (a journal is never appended through
    // a planted link), while links among its parent folders are followed.
    if (this.isDir(rel) || this.links.has(this.ownPlace(path))) throw new WorkspaceError(`${JSON.stringify(path)} is not a regular file.`);
    if (this.fileParent(rel)) throw new WorkspaceError(`Cannot append to ${JSON.stringify(path)}: ENOTDIR (is a parent path a file?).`);
    this.files.set(rel, (this.files.get(rel) ?? '') + text);
    this.writes.push({ op: 'append', path: rel });
  }

  async deleteFile(path: string): Promise<void> {
    const rel = this.resolve(path);
    const own = this.lexical(path).join('/');
    // A link inside is removed itself, as unlink does; one leading out was refused by resolve.
    if (this.links.has(own)) {
      this.links.delete(own);
      this.writes.push({ op: 'delete', path: own });
      return;
    }
    if (rel === '' || (!this.files.has(rel) && this.isDir(rel))) {
      throw new WorkspaceError(`${JSON.stringify(path)} is a folder; delete_file removes files only (remove its files one by one, or use run_command).`);
    }
    if (!this.files.has(rel)) throw notFound(path);
    this.files.delete(rel);
    this.writes.push({ op: 'delete', path: rel });
  }

  async moveFile(from: string, to: string): Promise<void> {
    const src = this.resolve(from);
    const dest = this.resolve(to);
    const text = this.files.get(src);
    if (text === undefined && !this.isDir(src)) throw notFound(from);
    const cannot = (why: string): WorkspaceError => new WorkspaceError(`Cannot move ${JSON.stringify(from)} to ${JSON.stringify(to)}: ${why}.`);
    if (dest === src || dest.startsWith(`${src}/`)) {
      if (dest !== src) throw cannot('EINVAL');
      return;
    }
    if (this.fileParent(dest)) throw cannot('ENOTDIR');
    if (text !== undefined) {
      if (this.isDir(dest)) throw cannot('EISDIR');
      this.files.delete(src);
      this.files.set(dest, text);
      this.writes.push({ op: 'delete', path: src }, { op: 'write', path: dest });
      return;
    }
    // A folder moves with everything in it (rename(2)); onto a file or a non-empty folder it fails.
    if (this.files.has(dest)) throw cannot('ENOTDIR');
    if (this.isDir(dest)) throw cannot('ENOTEMPTY');
    for (const key of [...this.files.keys()].filter((k) => k.startsWith(`${src}/`))) {
      const moved = `${dest}${key.slice(src.length)}`;
      this.files.set(moved, this.files.get(key) as string);
      this.files.delete(key);
      this.writes.push({ op: 'delete', path: key }, { op: 'write', path: moved });
    }
  }

  /**
   * What a listing under `rel` shows, in the real walk's order: folders and files (links count as files,
   * never followed), hidden folders never, ignored ones only when asked for by name, node_modules without
   * its contents unless it is (or is inside) the folder asked for.
   */
  private visibleUnder(rel: string): DirEntry[] {
    const rules = new GitignoreRules(this.files);
    const filtering = rel === '' || !rules.ignored(rel, true);
    const start = rel === '' ? 0 : rel.split('/').length;
    const seen = new Map<string, DirEntry['type']>();
    for (const key of [...this.files.keys(), ...this.links.keys()]) {
      if (rel !== '' && !key.startsWith(`${rel}/`)) continue;
      const parts = key.split('/');
      let shown = true;
      for (let i = start; i < parts.length && shown; i++) {
        const here = parts.slice(0, i + 1).join('/');
        const isDir = i < parts.length - 1;
        if (HIDDEN.has(parts[i].toLowerCase()) || (filtering && rules.ignored(here, isDir))) shown = false;
        else if (isDir) {
          seen.set(here, 'dir');
          if (parts[i] === NOT_DESCENDED) shown = false;
        } else seen.set(here, 'file');
      }
    }
    return [...seen].map(([path, type]) => ({ path, type })).sort(byWalkOrder);
  }

  async listFiles(path: string): Promise<{ entries: DirEntry[]; truncated: boolean }> {
    const rel = this.resolve(path);
    if (this.files.has(rel)) return { entries: [{ path: rel, type: 'file' }], truncated: false };
    if (!this.isDir(rel)) throw notFound(path);
    const all = this.visibleUnder(rel);
    return { entries: all.slice(0, LIST_CAP), truncated: all.length > LIST_CAP };
  }

  async searchText(query: string, path = ''): Promise<{ matches: TextMatch[]; truncated: boolean }> {
    if (query === '') throw new WorkspaceError('The search query is empty; give the literal text to find.');
    if (query.includes('\n')) throw new WorkspaceError('The search query spans lines; search for one line of text at a time.');
    const rel = this.resolve(path);
    let keys: string[];
    if (this.files.has(rel)) keys = [rel];
    else if (this.isDir(rel)) keys = this.visibleUnder(rel).filter((e) => e.type === 'file' && this.files.has(e.path)).map((e) => e.path);
    else throw notFound(path);
    const matches: TextMatch[] = [];
    for (const key of keys) {
      const lines = (this.files.get(key) ?? '').split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i].includes(query)) continue;
        if (matches.length >= SEARCH_CAP) return { matches, truncated: true };
        matches.push({ path: key, line: i + 1, text: matchText(lines[i], query) });
      }
    }
    return { matches, truncated: false };
  }

  /** Synchronous write for test setup and scripted side effects (not recorded in `writes`). */
  put(path: string, content: string): void {
    this.files.set(this.resolve(path), content);
  }

  /** Synchronous read for assertions; undefined when missing. */
  get(path: string): string | undefined {
    return this.files.get(this.resolve(path));
  }
}
