// What the in-memory workspace needs to list like the real one: the walk's order (depth first, by
// name) and git's .gitignore rules (every .gitignore from the root down, the deepest rule winning).
import ignore from 'ignore';
import { isIgnored, type Matcher } from '../../../src/adapters/workspaceWalk';

const ignoreCase = process.platform === 'darwin' || process.platform === 'win32';

/** The real walk's order: segment by segment, by code unit, a folder before what it holds. */
export function byWalkOrder(a: { path: string }, b: { path: string }): number {
  const x = a.path.split('/');
  const y = b.path.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

/** The .gitignore files among `files` (relative path → text), as git applies them. */
export class GitignoreRules {
  private readonly matchers: Matcher[] = [];

  constructor(files: ReadonlyMap<string, string>) {
    for (const [key, text] of files) {
      if (key !== '.gitignore' && !key.endsWith('/.gitignore')) continue;
      if (text.trim() === '') continue;
      this.matchers.push({ base: key.slice(0, -'.gitignore'.length).replace(/\/$/, ''), ig: ignore({ ignorecase: ignoreCase }).add(text) });
    }
    // Shallow rules first, so a deeper one can re-include or ignore again.
    this.matchers.sort((a, b) => (a.base === '' ? 0 : a.base.split('/').length) - (b.base === '' ? 0 : b.base.split('/').length));
  }

  /** True when `rel` (a folder when `isDir`) is ignored: the real walk's own precedence rule. */
  ignored(rel: string, isDir: boolean): boolean {
    return isIgnored(this.matchers, rel, isDir);
  }
}
