// The git reads and writes of commit review, with simple-git: the agent's commits (by their trailers),
// a commit's changed files and per-file diff, file versions from git objects, and a revert as a new
// commit. Paths are relative to the workspace folder, which may be a subfolder of the repository.
import type { SimpleGit } from 'simple-git';
import { reviewOrder } from './fileOrder';
import { FALLBACK_IDENTITY } from '../../adapters/gitRepo';
import { hardenedGit, safeGitEnv } from '../../adapters/safeGit';
import { TASK_TRAILER, parseGoalpostTrailers } from '../../engine/commitMessage';
import type { ReviewFile } from './notePlacement';
import { parseHunks } from './diffHunks';

/** A commit that carries the Goalpost trailers, as git has it. */
export interface TrailerCommit {
  sha: string;
  /** First parent, or null for a root commit. */
  parent: string | null;
  subject: string;
  /** Author date, ISO 8601. */
  at: string;
  goalId: string;
  taskId: string;
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/**
 * A simple-git client in `root` that never prompts and never runs what the agent could have planted
 * (hooks, fsmonitor, the repository's own filters and merge drivers: see safeGit.ts).
 */
export function gitIn(root: string): Promise<SimpleGit> {
  return hardenedGit(root, safeGitEnv(process.env));
}

/** Every commit reachable from any ref whose message has both Goalpost trailers, newest first. */
export async function trailerCommits(root: string): Promise<TrailerCommit[]> {
  const git = await gitIn(root);
  let out: string;
  try {
    out = await git.raw(['log', '--all', '--date-order', `--grep=^${TASK_TRAILER}: `, `--format=%H${FIELD}%P${FIELD}%aI${FIELD}%s${FIELD}%B${RECORD}`]);
  } catch {
    return []; // not a repository, or no commits yet
  }
  const commits: TrailerCommit[] = [];
  for (const record of out.split(RECORD)) {
    const [sha, parents, at, subject, body] = record.replace(/^\n+/, '').split(FIELD);
    if (!sha || body === undefined) continue;
    const trailers = parseGoalpostTrailers(body);
    if (!trailers.goalId || !trailers.taskId) continue;
    commits.push({ sha: sha.trim(), parent: parents.trim().split(' ')[0] || null, subject, at, goalId: trailers.goalId, taskId: trailers.taskId });
  }
  return commits.sort((a, b) => b.at.localeCompare(a.at));
}

/** sha → the sha of the commit that reverted it ("This reverts commit <sha>."), for every revert in the repository. */
export async function revertsOf(root: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  try {
    const out = await (await gitIn(root)).raw(['log', '--all', '--grep=This reverts commit ', `--format=%H${FIELD}%B${RECORD}`]);
    for (const record of out.split(RECORD)) {
      const [sha, body] = record.replace(/^\n+/, '').split(FIELD);
      if (!sha || body === undefined) continue;
      for (const m of body.matchAll(/This reverts commit ([0-9a-f]{7,64})/g)) if (!map.has(m[1])) map.set(m[1], sha.trim());
    }
  } catch {
    // no history: nothing reverted
  }
  return map;
}

/** The files a commit changed (against its first parent, or the empty tree), relative to `root`. */
export async function changedFiles(root: string, sha: string): Promise<Pick<ReviewFile, 'path' | 'status'>[]> {
  const out = await (await gitIn(root)).raw(['diff-tree', '-r', '--root', '--no-commit-id', '--no-renames', '--relative', '--name-status', '-z', '-m', '--first-parent', sha]);
  const parts = out.split('\0').filter((p) => p !== '');
  const files: Pick<ReviewFile, 'path' | 'status'>[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const letter = parts[i].trim()[0];
    const status = letter === 'A' || letter === 'D' || letter === 'T' ? letter : 'M';
    if (!files.some((f) => f.path === parts[i + 1])) files.push({ path: parts[i + 1], status });
  }
  return files;
}

/** The commit's changed files with their hunks (three lines of context, as a reviewer sees a diff). */
export async function reviewFiles(root: string, sha: string): Promise<ReviewFile[]> {
  const git = await gitIn(root);
  const files = reviewOrder(await changedFiles(root, sha), (f) => f.path);
  return Promise.all(files.map(async (f) => {
    // `git show` diffs against the first parent, or against nothing for a root commit.
    const diff = await git.raw(['show', '--format=', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--relative', '-U3', sha, '--', `:(literal)${f.path}`]);
    return { ...f, hunks: parseHunks(diff) };
  }));
}

/** The text of `path` (relative to `root`) at `ref`: git's object, no file written anywhere. */
export async function showFile(root: string, ref: string, path: string): Promise<string> {
  return (await gitIn(root)).raw(['show', `${ref}:./${path}`]);
}

/** Paths with uncommitted changes in `root`, relative to it (Goalpost's excluded files do not count). */
export async function dirtyPaths(root: string): Promise<string[]> {
  const git = await gitIn(root);
  const out = await git.raw(['status', '--porcelain', '-z', '--untracked-files=all', '--', '.']);
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
  // Entries are "XY path" (a rename adds its source as the next entry, which is skipped).
  const parts = out.split('\0').filter((p) => p !== '');
  const paths: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i];
    const p = entry.slice(3);
    paths.push(prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p);
    if (entry[0] === 'R' || entry[0] === 'C') i++;
  }
  return paths;
}

/** `-c user.name=… -c user.email=…` when the user has none configured (their config is never changed). */
export async function identityArgs(root: string): Promise<string[]> {
  const git = await gitIn(root);
  const get = async (key: string): Promise<string> => (await git.raw(['config', '--get', key]).catch(() => '')).trim();
  const args: string[] = [];
  if (!(await get('user.name'))) args.push('-c', `user.name=${FALLBACK_IDENTITY.name}`);
  if (!(await get('user.email'))) args.push('-c', `user.email=${FALLBACK_IDENTITY.email}`);
  return args;
}
