// What the in-memory workspace needs to list like the real one: the walk's order (depth first, by
// name) and git's .gitignore rules (every .gitignore from the root down, the deepest rule winning).
import ignore, { type Ignore } from 'ignore';

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
  private readonly matchers: { base: string; ig: Ignore }[] = [];

  constructor(files: ReadonlyMap<string, string>) {
    for (const [key, text] of files) {
      if (key !== '.gitignore' && !key.endsWith('/.gitignore')) continue;
      if (text.trim() === '') continue;
      this.matchers.push({ base: key.slice(0, -'.gitignore'.length).replace(/\/$/, ''), ig: ignore({ ignorecase: ignoreCase }).add(text) });
    }
    // Shallow rules first, so a deeper one can re-include or ignore again.
    this.matchers.sort((a, b) => (a.base === '' ? 0 : a.base.split('/').length) - (b.base === '' ? 0 : b.base.split('/').length));
  }

  /** True when `rel` (a folder when `isDir`) is ignored. */
  ignored(rel: string, isDir: boolean): boolean {
    let ignored = false;
    for (const m of this.matchers) {
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
}
