// The UserGit port's git commands (the commit review's reads, a revert, Set Goal's stash), run by GitRepo
// with its one hardened client (safeGit.ts): nothing the agent planted in the repository runs, and every
// path is relative to the workspace root, which may be a subfolder of the repository.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { TASK_TRAILER, parseGoalpostTrailers } from '../engine/commitMessage';
import { RevertConflict, RevertRefused, type CommitFile, type PendingRevert, type TrailerCommit } from '../engine/ports';

/** What these commands need of the GitRepo that runs them. */
export interface RepoAccess {
  readonly root: string;
  /** The client for reads of git objects (log, trees, blobs, diffs without textconv): no filter or driver runs. */
  reader(): SimpleGit;
  /** The client after the repository's config was read again (for a call that may run a filter or a driver). */
  distrusting(): Promise<SimpleGit>;
  restoreFromHead(paths: string[]): Promise<void>;
  /** `-c user.name=… -c user.email=…` for what the user has not configured (a stash is a commit too). */
  identityArgs(): Promise<string[]>;
  /** Stages everything in the folder and commits with the engine's identity rules; null when nothing changed. */
  commit(message: string): Promise<string | null>;
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/** Every commit from any ref with both trailers that touched the folder, newest first. */
export async function agentCommits(repo: RepoAccess): Promise<TrailerCommit[]> {
  let out: string;
  try {
    out = await repo.reader().raw(['log', '--all', '--date-order', `--grep=^${TASK_TRAILER}: `, `--format=%H${FIELD}%P${FIELD}%aI${FIELD}%s${FIELD}%B${RECORD}`, '--', '.']);
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

/** sha → the sha of the commit that reverted it, for every revert in the repository. */
export async function revertsOf(repo: RepoAccess): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  try {
    const out = await repo.reader().raw(['log', '--all', '--grep=This reverts commit ', `--format=%H${FIELD}%B${RECORD}`]);
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

/** The files a commit changed (against its first parent, or the empty tree), relative to the folder. */
export async function commitFiles(repo: RepoAccess, sha: string): Promise<CommitFile[]> {
  const out = await repo.reader().raw(['diff-tree', '-r', '--root', '--no-commit-id', '--no-renames', '--relative', '--name-status', '-z', '-m', '--first-parent', sha]);
  const parts = out.split('\0').filter((p) => p !== '');
  const files: CommitFile[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const letter = parts[i].trim()[0];
    const status = letter === 'A' || letter === 'D' || letter === 'T' ? letter : 'M';
    if (!files.some((f) => f.path === parts[i + 1])) files.push({ path: parts[i + 1], status });
  }
  return files;
}

/** One file's diff in a commit: `git show` diffs against the first parent, or nothing for a root commit. */
export async function commitDiff(repo: RepoAccess, sha: string, file: string): Promise<string> {
  return repo.reader().raw(['show', '--format=', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--relative', '-U3', sha, '--', `:(literal)${file}`]);
}

/**
 * A ref a caller may name: an object id (4–64 hex digits), or HEAD or a branch/tag-like name, with `~n` / `^n`
 * steps. The ref can come from a URI anyone can craft, so nothing starting with `-` (git would read an option,
 * e.g. `--output=…`), no `..` range and no `@{…}` or `:path` syntax.
 */
const SAFE_REF = /^(?:[0-9a-fA-F]{4,64}|[A-Za-z0-9_][A-Za-z0-9_./-]*)(?:[~^][0-9]*)*$/;

function checkedRef(ref: string): string {
  if (!SAFE_REF.test(ref) || ref.includes('..') || ref.includes('//') || ref.endsWith('/') || ref.endsWith('.lock')) {
    throw new Error(`${JSON.stringify(ref)} is not a commit id or a ref name; nothing was read.`);
  }
  return ref;
}

/** The text of `file` at `ref` from git's objects (no file written anywhere), or null when ref has none. */
export async function showFile(repo: RepoAccess, ref: string, file: string): Promise<string | null> {
  checkedRef(ref);
  const git = repo.reader();
  try {
    return await git.raw(['show', '--no-textconv', '--end-of-options', `${ref}:./${file}`]);
  } catch (e) {
    const known = await git.raw(['rev-parse', '--verify', '-q', `${ref}^{commit}`]).then((s) => s.trim() !== '', () => false);
    if (!known) throw new Error(`${ref} is not a commit of this repository (${e instanceof Error ? e.message.trim() : String(e)}).`);
    return null;
  }
}

/** `git stash push --include-untracked` limited to the folder; false when it had nothing to stash. */
export async function stash(repo: RepoAccess, message: string): Promise<boolean> {
  const git = await repo.distrusting();
  const status = await git.raw(['status', '--porcelain', '--untracked-files=all', '--', '.']);
  if (status.trim() === '') return false;
  await git.raw([...(await repo.identityArgs()), 'stash', 'push', '--include-untracked', '-m', message, '--', '.']);
  return true;
}

/** The files in `keep` as they are now (null: absent), to be written back after git changed them. */
async function readKept(root: string, keep: readonly string[]): Promise<Map<string, Buffer | null>> {
  const saved = new Map<string, Buffer | null>();
  for (const rel of keep) saved.set(rel, await fs.readFile(path.join(root, rel)).catch(() => null));
  return saved;
}

async function writeKept(root: string, saved: ReadonlyMap<string, Buffer | null>): Promise<void> {
  for (const [rel, data] of saved) {
    const file = path.join(root, rel);
    if (data === null) {
      await fs.rm(file, { force: true });
      continue;
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, data);
  }
}

/** The paths a commit changed, relative to the folder, or (`everywhere`) to the repository's top. */
async function touchedPaths(git: SimpleGit, sha: string, everywhere: boolean): Promise<string[]> {
  const scope = everywhere ? [] : ['--relative'];
  const out = await git.raw(['diff-tree', '-r', '--root', '--no-commit-id', '--no-renames', ...scope, '--name-only', '-z', '-m', '--first-parent', sha]);
  return [...new Set(out.split('\0').filter(Boolean))];
}

/** UserGit.beginRevert: `git revert --no-commit`, with the `keep` paths as they were before it. */
export async function beginRevert(repo: RepoAccess, sha: string, keep: readonly string[]): Promise<PendingRevert> {
  const short = sha.slice(0, 8);
  const here = await touchedPaths(repo.reader(), sha, false);
  const everywhere = await touchedPaths(repo.reader(), sha, true);
  // Undoing it would change files beside the folder, whose uncommitted changes were never checked.
  if (everywhere.length > here.length) {
    throw new RevertRefused('outside-folder', `Commit ${short} also changed files outside this folder. Revert it by hand with \`git revert ${short}\` in the repository's top folder.`);
  }
  const saved = await readKept(repo.root, keep);
  const kept = new Set(keep);
  // The kept files as HEAD has them first, so git sees a clean tree and their changes never mix in.
  await repo.restoreFromHead([...keep]);
  const git = await repo.distrusting();
  // Only the paths the revert touched go back to HEAD (the folder was clean there), then the kept files.
  const putBack = async (): Promise<void> => {
    await git.raw(['revert', '--quit']).catch(() => undefined);
    await repo.restoreFromHead(here);
    await writeKept(repo.root, saved);
  };
  try {
    await git.raw(['revert', '--no-commit', sha]);
  } catch (e) {
    // A conflict in a kept file is expected (every task commit changed BACKLOG.md) and settled below.
    const conflicted = (await git.raw(['diff', '--name-only', '--diff-filter=U', '--relative', '-z']).catch(() => '')).split('\0').filter(Boolean);
    const others = conflicted.filter((p) => !kept.has(p));
    if (conflicted.length === 0 || others.length > 0) {
      await putBack();
      if (others.length > 0) throw new RevertConflict(others, `Commit ${short} cannot be reverted cleanly: later changes conflict in ${others.join(', ')}.`);
      const detail = e instanceof Error ? e.message.trim() : String(e);
      throw new RevertRefused('failed', `git revert ${short} failed: ${detail}`, detail);
    }
  }
  // The revert's own changes to the kept files (and their conflicts) are dropped: they stay as they were.
  await repo.restoreFromHead([...keep]);
  await writeKept(repo.root, saved);
  let settled = false;
  return {
    async commit(message: string): Promise<string> {
      if (settled) throw new Error('This revert was already committed or aborted.');
      const made = await repo.commit(message);
      if (made === null) throw new RevertRefused('unchanged', `Reverting ${short} changes nothing: its changes are already undone.`);
      settled = true;
      return made;
    },
    async abort(): Promise<void> {
      if (settled) return;
      settled = true;
      await putBack();
    },
  };
}
