// The files list_files and search_text see, taken from git itself when the workspace is in a repository
// (PRODUCT.md F10): `git ls-files --cached --others --exclude-standard` run in the workspace honours every
// .gitignore up to the repository root, .git/info/exclude and the user's excludes file, which a walk of
// the workspace alone cannot (a goal folder below the repository root misses the root's rules). Entries
// come in the walk's order (depth first, by name), with the folders that hold files.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { safeGitEnv, safeSimpleGit } from './safeGit';
import type { WalkEntry } from './workspaceWalk';
import { STATE_DIR } from '../engine/stateFiles';

const NEVER_SHOWN = new Set(['.git', STATE_DIR]);
const NOT_DESCENDED = 'node_modules';

/**
 * The entries under `startRel` of the workspace at `rootReal` as git sees them, or null when the
 * workspace is not in a repository, git fails, or `startRel` is itself ignored (then the caller's walk
 * shows it: listing an ignored folder by name is an explicit request).
 */
export async function gitEntries(rootReal: string, startRel: string): Promise<WalkEntry[] | null> {
  const git = safeSimpleGit(rootReal, safeGitEnv(process.env));
  let out: string;
  try {
    if (startRel !== '') {
      const ignored = await git.raw(['check-ignore', '-q', '--', `${startRel}/`]).then(() => true, () => false);
      if (ignored) return null;
    }
    out = await git.raw(['-c', 'core.quotePath=false', 'ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', startRel === '' ? '.' : `:(literal)${startRel}`]);
  } catch {
    return null;
  }
  const files = [...new Set(out.split('\0').filter((p) => p !== ''))]
    .map((p) => p.split('/'))
    .filter((segs) => !segs.some((s) => NEVER_SHOWN.has(s.toLowerCase())))
    .sort(compareSegments);
  const entries: WalkEntry[] = [];
  const shownDirs = new Set<string>();
  const skipPrefix = startRel === '' ? 0 : startRel.split('/').length;
  for (const segs of files) {
    // node_modules is listed, never entered (as in the walk).
    const nm = segs.indexOf(NOT_DESCENDED, skipPrefix);
    const visible = nm >= 0 ? segs.slice(0, nm + 1) : segs;
    for (let i = skipPrefix + 1; i < visible.length; i++) {
      const dir = visible.slice(0, i).join('/');
      if (shownDirs.has(dir)) continue;
      shownDirs.add(dir);
      entries.push({ rel: dir, abs: path.join(rootReal, dir), type: 'dir', symlink: false });
    }
    const rel = visible.join('/');
    if (nm >= 0) {
      if (!shownDirs.has(rel)) {
        shownDirs.add(rel);
        entries.push({ rel, abs: path.join(rootReal, rel), type: 'dir', symlink: false });
      }
      continue;
    }
    const abs = path.join(rootReal, rel);
    const stat = await fs.lstat(abs).catch(() => null);
    if (!stat) continue; // tracked but deleted in the working tree
    entries.push({ rel, abs, type: stat.isDirectory() ? 'dir' : 'file', symlink: stat.isSymbolicLink() });
  }
  return entries;
}

/** Segment by segment, by name: `a/b` sorts before `a.txt` as the walk has it. */
function compareSegments(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}
