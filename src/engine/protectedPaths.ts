// Protected paths (PRODUCT.md F10): globs from the goal file's `Protected paths` section, `--protect` and
// the setting `goalpost.protectedPaths`. File tools refuse to write them, and after every attempt any
// change under them (made by any means: a command, a script) is undone and fails the attempt.
//
// Patterns read like .gitignore lines, relative to the goal's folder: `test.js` or `*.snap` (no slash)
// match that name in any folder; `test/unit/**` or `/package.json` (a slash) are anchored at the folder;
// `*` and `?` stay inside one path segment, `**` crosses them; a pattern that names a folder protects
// everything under it.

/** The regular expression of one pattern (null for a blank pattern). */
export function globRegExp(pattern: string): RegExp | null {
  let p = pattern.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (p === '' || p === '/') return null;
  p = p.replace(/\/+$/, '');
  const anchored = p.includes('/');
  p = p.replace(/^\/+/, '');
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*' && p[i + 1] === '*') {
      // `**/` is zero or more folders; a trailing or inner `**` is anything.
      if (p[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${out}(?:/.*)?$`);
}

/** The first of `patterns` that protects `path` (relative to the goal's folder), or null. */
export function protectingPattern(path: string, patterns: readonly string[]): string | null {
  const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
  for (const pattern of patterns) {
    if (globRegExp(pattern)?.test(p)) return pattern.trim();
  }
  return null;
}

/**
 * The editor's settings of the folder (Goalpost's, and every other extension's): the file tools never write it.
 * (The sandbox also mounts .vscode/ read-only; the sandbox settings themselves are not read from it at all.)
 */
export const EDITOR_SETTINGS_FILE = '.vscode/settings.json';

/** The goal's patterns and the settings' together, blanks and repeats dropped. */
export function protectedPatterns(fromGoal: readonly string[] | undefined, fromSettings: readonly string[]): string[] {
  return [...new Set([...(fromGoal ?? []), ...fromSettings].map((p) => p.trim()).filter((p) => p !== ''))];
}
