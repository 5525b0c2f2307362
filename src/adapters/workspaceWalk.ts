// A sorted, depth-first walk of the workspace that honours .gitignore files the way git does: the root
// .gitignore and .git/info/exclude, then each nested .gitignore, deeper rules winning. `.git/` and
// `.goalpost/` are never entered; node_modules is listed but not descended into unless asked for.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { STATE_DIR } from '../engine/stateFiles';

/** One entry of the walk: its workspace-relative path (forward slashes) and kind. */
export interface WalkEntry {
  rel: string;
  abs: string;
  type: 'file' | 'dir';
  /** A symbolic link (never followed). */
  symlink: boolean;
}

/** The rules of one .gitignore. */
export interface Matcher {
  /** Folder the rules belong to, relative to the root ('' for the root). */
  base: string;
  ig: Ignore;
}

const NEVER_ENTER = new Set(['.git', STATE_DIR]);
const NOT_DESCENDED = new Set(['node_modules']);
const ignoreCase = process.platform === 'darwin' || process.platform === 'win32';

/** Walks `startRel` (relative to `rootReal`, '' for the root) depth first, entries sorted by name. */
export async function* walkWorkspace(rootReal: string, startRel: string): AsyncGenerator<WalkEntry> {
  const matchers: Matcher[] = [];
  const rootMatcher = await loadMatcher('', [path.join(rootReal, '.git', 'info', 'exclude'), path.join(rootReal, '.gitignore')]);
  if (rootMatcher) matchers.push(rootMatcher);
  const parts = startRel === '' ? [] : startRel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const base = parts.slice(0, i).join('/');
    const m = await loadMatcher(base, [path.join(rootReal, base, '.gitignore')]);
    if (m) matchers.push(m);
  }
  // Listing an ignored folder by name is an explicit request: show it, without the ignore rules.
  const filtering = startRel === '' || !isIgnored(matchers, startRel, true);
  yield* walkDir(rootReal, startRel, matchers, filtering);
}

async function* walkDir(rootReal: string, dirRel: string, matchers: Matcher[], filtering: boolean): AsyncGenerator<WalkEntry> {
  const dirAbs = path.join(rootReal, dirRel);
  let dirents;
  try {
    dirents = await fs.readdir(dirAbs, { withFileTypes: true });
  } catch {
    return; // unreadable folders are skipped, not fatal
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of dirents) {
    if (NEVER_ENTER.has(d.name.toLowerCase())) continue;
    const rel = dirRel === '' ? d.name : `${dirRel}/${d.name}`;
    const abs = path.join(dirAbs, d.name);
    const isDir = d.isDirectory();
    if (filtering && isIgnored(matchers, rel, isDir)) continue;
    yield { rel, abs, type: isDir ? 'dir' : 'file', symlink: d.isSymbolicLink() };
    if (!isDir || NOT_DESCENDED.has(d.name)) continue;
    const child = filtering ? await loadMatcher(rel, [path.join(abs, '.gitignore')]) : null;
    if (child) matchers.push(child);
    yield* walkDir(rootReal, rel, matchers, filtering);
    if (child) matchers.pop();
  }
}

async function loadMatcher(base: string, files: string[]): Promise<Matcher | null> {
  let rules = '';
  for (const file of files) {
    try {
      rules += `${await fs.readFile(file, 'utf8')}\n`;
    } catch {
      // no such file: nothing to add
    }
  }
  if (rules.trim() === '') return null;
  return { base, ig: ignore({ ignorecase: ignoreCase }).add(rules) };
}

/** Git's precedence: every level from the root down may ignore or re-include; the deepest wins. */
export function isIgnored(matchers: Matcher[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const m of matchers) {
    let sub: string;
    if (m.base === '') sub = rel;
    else if (rel.startsWith(`${m.base}/`)) sub = rel.slice(m.base.length + 1);
    else continue;
    const result = m.ig.test(isDir ? `${sub}/` : sub);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}
