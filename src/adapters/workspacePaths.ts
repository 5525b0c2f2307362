// Workspace confinement (PRODUCT.md F10): every path the model names is resolved inside the goal's
// folder or refused with a message it can act on. Lexical checks catch absolute paths, `..` and `.git`;
// the real-path check catches symbolic links that lead out, including for files that do not exist yet
// (the deepest existing ancestor is resolved, so a new file under a symlinked folder is caught too).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { WorkspaceError } from '../engine/ports';

/** True when a relative path (native separators) names `.git` or anything under it, in any case. */
export function isGitPath(rel: string): boolean {
  return rel.split(/[\\/]/).some((segment) => segment.toLowerCase() === '.git');
}

function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}

/** The real path of `root`, cached per root string (roots do not move while a goal runs). */
const realRoots = new Map<string, Promise<string>>();

/** The real path of the workspace root. */
export function realRoot(root: string): Promise<string> {
  let cached = realRoots.get(root);
  if (!cached) {
    cached = fs.realpath(root);
    realRoots.set(root, cached);
    cached.catch(() => realRoots.delete(root));
  }
  return cached;
}

/**
 * Resolves `p` (relative to `root`) to an absolute path inside the root's real path, or throws a
 * WorkspaceError naming the path and the rule. '' and '.' mean the root itself.
 */
export async function resolveInside(root: string, p: string): Promise<string> {
  const shown = JSON.stringify(p);
  if (p.includes('\0')) throw new WorkspaceError(`Path ${shown} contains a NUL byte; use a plain relative path.`);
  const rel0 = p === '' ? '.' : p;
  if (path.isAbsolute(rel0) || /^[A-Za-z]:[\\/]/.test(rel0) || rel0.startsWith('\\\\')) {
    throw new WorkspaceError(`Path ${shown} is absolute; paths must be relative to the workspace root (for example "src/index.ts").`);
  }
  if (rel0 === '~' || rel0.startsWith('~/')) {
    throw new WorkspaceError(`Path ${shown} points into the home folder; only files inside the workspace can be used.`);
  }
  const rootReal = await realRoot(root);
  const lexical = path.resolve(rootReal, rel0);
  const rel = path.relative(rootReal, lexical);
  if (isOutside(rel)) {
    throw new WorkspaceError(`Path ${shown} leaves the workspace through ".."; only files inside the workspace can be used.`);
  }
  if (isGitPath(rel)) throw gitError(shown);
  const real = await realPathOfDeepestExisting(lexical, rootReal, shown);
  const realRel = path.relative(rootReal, real);
  if (isOutside(realRel)) {
    throw new WorkspaceError(`Path ${shown} leads outside the workspace through a symbolic link (to ${real}); only files inside the workspace can be used.`);
  }
  if (isGitPath(realRel)) throw gitError(shown);
  return lexical;
}

function gitError(shown: string): WorkspaceError {
  return new WorkspaceError(`Path ${shown} is inside .git/, which the agent may not read or change directly; use git commands through run_command instead.`);
}

/** The real path of `target`: its deepest existing ancestor resolved, the rest appended. */
async function realPathOfDeepestExisting(target: string, rootReal: string, shown: string): Promise<string> {
  const rest: string[] = [];
  let current = target;
  for (;;) {
    try {
      const real = await fs.realpath(current);
      return rest.length > 0 ? path.join(real, ...rest.reverse()) : real;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new WorkspaceError(`Path ${shown} cannot be resolved (${code ?? String(err)}).`);
      }
    }
    await refuseDanglingLinkOut(current, rootReal, shown);
    const parent = path.dirname(current);
    if (parent === current) return target;
    rest.push(path.basename(current));
    current = parent;
  }
}

/** A dangling symbolic link whose target lies outside would let a later mkdir or write escape. */
async function refuseDanglingLinkOut(candidate: string, rootReal: string, shown: string): Promise<void> {
  let link: string;
  try {
    const stat = await fs.lstat(candidate);
    if (!stat.isSymbolicLink()) return;
    link = await fs.readlink(candidate);
  } catch {
    return;
  }
  const pointsTo = path.resolve(path.dirname(candidate), link);
  if (isOutside(path.relative(rootReal, pointsTo))) {
    throw new WorkspaceError(`Path ${shown} goes through a symbolic link that points outside the workspace (to ${pointsTo}); only files inside the workspace can be used.`);
  }
}

/** A workspace-relative path with forward slashes, for messages and results. */
export function toRelative(rootReal: string, abs: string): string {
  return path.relative(rootReal, abs).split(path.sep).join('/');
}
