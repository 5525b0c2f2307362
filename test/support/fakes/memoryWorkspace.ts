// A Workspace over a Map<string, string>: the same path rules as the real one (no absolute paths, no
// `..` escapes, nothing under .git/), no disk I/O, so loop tests and benchmarks stay fast.
import { WorkspaceError, type DirEntry, type FileSlice, type TextMatch, type Workspace } from '../../../src/engine/ports';

/** Lines returned by one readFile call when no end line is given (the real one caps too). */
export const READ_LINE_CAP = 2000;
const LIST_CAP = 2000;
const SEARCH_CAP = 200;
const HIDDEN_DIRS = ['.git', '.goalpost'];

/** Splits text into lines the way an editor counts them (a final newline ends the last line). */
function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A Workspace held in memory; `files` maps normalised relative paths to their text. */
export class MemoryWorkspace implements Workspace {
  readonly files = new Map<string, string>();
  /** Every write and delete, in order, for assertions on what the engine touched. */
  readonly writes: { op: 'write' | 'append' | 'delete'; path: string }[] = [];

  constructor(
    initial: Record<string, string> = {},
    readonly root = '/memory/workspace',
  ) {
    for (const [path, text] of Object.entries(initial)) this.files.set(this.resolve(path), text);
  }

  /**
   * The normalised relative path ('' for the root), or a WorkspaceError the model can act on.
   * Public so tests can assert the exact refusal rules.
   */
  resolve(path: string): string {
    const raw = path.replace(/\\/g, '/');
    if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw) || raw.startsWith('~')) {
      throw new WorkspaceError(`${path} is an absolute path. Use a path relative to the workspace root.`);
    }
    const parts: string[] = [];
    for (const segment of raw.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (parts.length === 0) throw new WorkspaceError(`${path} leads outside the workspace. Use a path inside it.`);
        parts.pop();
        continue;
      }
      parts.push(segment);
    }
    if (parts.some((p) => p.toLowerCase() === '.git')) {
      throw new WorkspaceError(`${path} is inside .git/, which is off limits. Git is handled by the engine.`);
    }
    return parts.join('/');
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
      if (this.isDir(rel)) throw new WorkspaceError(`${path} is a folder. Use list_files to see what it holds.`);
      throw new WorkspaceError(`${path} does not exist.`);
    }
    const lines = linesOf(text);
    const total = lines.length;
    const start = Math.max(1, range.startLine ?? 1);
    const wanted = range.endLine ?? start + READ_LINE_CAP - 1;
    const capped = Math.min(wanted, start + READ_LINE_CAP - 1);
    const end = Math.min(total, capped);
    return {
      text: start > total ? '' : lines.slice(start - 1, end).join('\n'),
      startLine: start,
      endLine: Math.max(end, start - 1),
      totalLines: total,
      truncated: capped < wanted && end < total,
    };
  }

  async readText(path: string): Promise<string | null> {
    return this.files.get(this.resolve(path)) ?? null;
  }

  async writeFile(path: string, content: string): Promise<void> {
    const rel = this.resolve(path);
    if (rel === '' || this.isDir(rel)) throw new WorkspaceError(`${path} is a folder; give a file path.`);
    this.files.set(rel, content);
    this.writes.push({ op: 'write', path: rel });
  }

  async appendText(path: string, text: string): Promise<void> {
    const rel = this.resolve(path);
    if (rel === '' || this.isDir(rel)) throw new WorkspaceError(`${path} is a folder; give a file path.`);
    this.files.set(rel, (this.files.get(rel) ?? '') + text);
    this.writes.push({ op: 'append', path: rel });
  }

  async deleteFile(path: string): Promise<void> {
    const rel = this.resolve(path);
    if (!this.files.has(rel)) throw new WorkspaceError(`${path} does not exist.`);
    this.files.delete(rel);
    this.writes.push({ op: 'delete', path: rel });
  }

  async moveFile(from: string, to: string): Promise<void> {
    const src = this.resolve(from);
    const text = this.files.get(src);
    if (text === undefined) throw new WorkspaceError(`${from} does not exist.`);
    const dest = this.resolve(to);
    this.files.delete(src);
    this.files.set(dest, text);
    this.writes.push({ op: 'delete', path: src }, { op: 'write', path: dest });
  }

  async listFiles(path: string): Promise<{ entries: DirEntry[]; truncated: boolean }> {
    const rel = this.resolve(path);
    if (!this.isDir(rel)) {
      if (this.files.has(rel)) return { entries: [{ path: rel, type: 'file' }], truncated: false };
      throw new WorkspaceError(`${path} does not exist.`);
    }
    const prefix = rel === '' ? '' : `${rel}/`;
    const dirs = new Set<string>();
    const files: string[] = [];
    for (const key of this.files.keys()) {
      if (!key.startsWith(prefix) || HIDDEN_DIRS.includes(key.split('/')[0])) continue;
      files.push(key);
      const parts = key.split('/');
      for (let i = prefix.split('/').length; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    }
    const all: DirEntry[] = [
      ...[...dirs].map((p): DirEntry => ({ path: p, type: 'dir' })),
      ...files.map((p): DirEntry => ({ path: p, type: 'file' })),
    ].sort((a, b) => a.path.localeCompare(b.path));
    return { entries: all.slice(0, LIST_CAP), truncated: all.length > LIST_CAP };
  }

  async searchText(query: string, path?: string): Promise<{ matches: TextMatch[]; truncated: boolean }> {
    const rel = path === undefined ? '' : this.resolve(path);
    const matches: TextMatch[] = [];
    let truncated = false;
    const keys = [...this.files.keys()].sort();
    for (const key of keys) {
      if (HIDDEN_DIRS.includes(key.split('/')[0])) continue;
      if (rel !== '' && key !== rel && !key.startsWith(`${rel}/`)) continue;
      const lines = linesOf(this.files.get(key) ?? '');
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i].includes(query)) continue;
        if (matches.length >= SEARCH_CAP) {
          truncated = true;
          break;
        }
        matches.push({ path: key, line: i + 1, text: lines[i] });
      }
    }
    return { matches, truncated };
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
