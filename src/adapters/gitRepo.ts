// The Git port with simple-git (PRODUCT.md F5). Never pushes, never rewrites history, never changes the
// user's git config. Diffs of the working tree are taken through a temporary copy of the index, so the
// user's staging area is never touched by a review. Paths are relative to the workspace root, which may
// be a subfolder of the repository (everything is limited to it).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SimpleGit } from 'simple-git';
import type { CommitFile, Git, PendingRevert, TrailerCommit, UserGit } from '../engine/ports';
import { TASK_TRAILER, parseGoalpostTrailers } from '../engine/commitMessage';
import { readRepoDriverOverrides, safeGitEnv, safeSimpleGit } from './safeGit';
import * as userGit from './userGit';

/** The identity used when the user has none configured (their config is never changed). */
export const FALLBACK_IDENTITY = { name: 'Goalpost', email: 'goalpost@localhost' };

/** Options of a GitRepo. */
export interface GitRepoOptions {
  /** Base environment (default process.env); stripped of secrets like a command's. */
  env?: NodeJS.ProcessEnv;
  /**
   * Values that must never reach git or anything it runs (the API key from SecretStorage, …); a function is
   * asked again before each git process, so a key set after the goal started is stripped from reads and writes.
   */
  extraSecrets?: readonly string[] | (() => readonly string[]);
}

/** A git repository seen from the workspace root: the engine's Git and the editor's UserGit, one client. */
export class GitRepo implements Git, UserGit {
  private readonly baseEnv: NodeJS.ProcessEnv;
  private readonly secrets: () => readonly string[];
  /** git's environment as last built (see distrustRepoConfig). */
  private env: Record<string, string>;
  /** The secrets `env` was built without (as JSON), to know when it must be built again. */
  private secretsKey: string;
  /** Settings that empty the repository's own filters and merge drivers, as last read (see safeGit.ts). */
  private driverOverrides: string[] = [];
  private git: SimpleGit;
  private emptyTree: string | null = null;

  constructor(
    readonly root: string,
    options: GitRepoOptions = {},
  ) {
    this.baseEnv = options.env ?? process.env;
    const extra = options.extraSecrets;
    this.secrets = typeof extra === 'function' ? extra : () => extra ?? [];
    this.secretsKey = '';
    this.env = {};
    this.git = this.rebuild(this.secrets());
  }

  /** Builds git's environment without `secrets`, and the client on it (with the overrides as last read). */
  private rebuild(secrets: readonly string[]): SimpleGit {
    this.secretsKey = JSON.stringify(secrets);
    this.env = safeGitEnv(this.baseEnv, secrets);
    this.git = this.client(this.env);
    return this.git;
  }

  /**
   * git's environment now: rebuilt when the secrets changed since it was built, so a key set after the goal started
   * is stripped by value from every git process, not only from those a write starts.
   */
  private envNow(): Record<string, string> {
    const secrets = this.secrets();
    if (JSON.stringify(secrets) !== this.secretsKey) this.rebuild(secrets);
    return this.env;
  }

  /** The client for a plain read, on git's environment now (envNow). */
  private get current(): SimpleGit {
    this.envNow();
    return this.git;
  }

  private client(env: Record<string, string>): SimpleGit {
    return safeSimpleGit(this.root, env, this.driverOverrides);
  }

  /**
   * Re-reads the repository's config before git may run a filter (add, status, checkout): a command the
   * agent ran since the last call may have defined one.
   */
  private async distrustRepoConfig(): Promise<void> {
    // The client is rebuilt on the new environment before the wait, so a read that runs meanwhile (the review
    // shares this object with the running goal) never gets the one built before a key was known.
    this.rebuild(this.secrets());
    this.driverOverrides = await readRepoDriverOverrides(this.root, this.env);
    this.git = this.client(this.env);
  }

  /** The client as last configured, for reads of git objects, which run no filter or driver (userGit.ts). */
  reader(): SimpleGit {
    return this.current;
  }

  /** The client after re-reading the repository's config (userGit.ts runs its changes with it). */
  async distrusting(): Promise<SimpleGit> {
    await this.distrustRepoConfig();
    return this.git;
  }

  async isRepo(): Promise<boolean> {
    try {
      return (await this.current.raw(['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
    } catch {
      return false;
    }
  }

  async init(): Promise<void> {
    await this.current.raw(['init', '-q']);
  }

  async isDirty(ignore: readonly string[] = []): Promise<boolean> {
    await this.distrustRepoConfig();
    // Literal pathspecs: a configured backlog path is a file name, never a glob.
    const excluded = ignore.map((p) => `:(exclude,literal)${p}`);
    const out = await this.current.raw(['status', '--porcelain', '--untracked-files=all', '--', '.', ...excluded]);
    return out.trim() !== '';
  }

  async headSha(): Promise<string | null> {
    try {
      const out = (await this.current.raw(['rev-parse', '--verify', '-q', 'HEAD^{commit}'])).trim();
      return out || null;
    } catch {
      return null;
    }
  }

  async currentBranch(): Promise<string | null> {
    try {
      return (await this.current.raw(['symbolic-ref', '--short', '-q', 'HEAD'])).trim() || null;
    } catch {
      return null; // detached HEAD
    }
  }

  /**
   * Checks out `name`, creating it from HEAD when missing. In a repository without commits the unborn
   * branch is simply renamed (no commit is invented); the first task commit then starts it.
   */
  async checkoutBranch(name: string): Promise<void> {
    try {
      await this.current.raw(['check-ref-format', '--branch', name]);
    } catch {
      throw new Error(`"${name}" is not a valid git branch name.`);
    }
    if ((await this.currentBranch()) === name) return;
    await this.distrustRepoConfig();
    const exists = (await this.current.raw(['rev-parse', '--verify', '-q', `refs/heads/${name}`])).trim() !== '';
    if (exists) await this.current.raw(['checkout', '-q', name]);
    else if ((await this.headSha()) === null) await this.current.raw(['symbolic-ref', 'HEAD', `refs/heads/${name}`]);
    else await this.current.raw(['checkout', '-q', '-b', name]);
  }

  async snapshot(message: string): Promise<string> {
    const sha = await this.commit(message);
    if (sha) return sha;
    const head = await this.headSha();
    if (head) return head;
    await this.current.raw([...(await this.identityArgs()), 'commit', '-q', '--allow-empty', '-m', message]);
    return (await this.headSha()) as string;
  }

  async ensureExcluded(paths: string[]): Promise<void> {
    const rel = (await this.current.raw(['rev-parse', '--git-path', 'info/exclude'])).trim();
    const file = path.resolve(this.root, rel);
    // info/exclude is read from the repository's top: a subfolder goal's paths are rebased onto it. Only the
    // newline is cut: a folder's name may begin or end with a space.
    const prefix = (await this.current.raw(['rev-parse', '--show-prefix'])).replace(/\r?\n$/, '');
    let current = '';
    try {
      current = await fs.readFile(file, 'utf8');
    } catch {
      // no exclude file yet
    }
    const present = new Set(current.split(/\r?\n/));
    const missing = [...new Set(paths.map((p) => excludePattern(p, prefix)))].filter((p) => p && !present.has(p));
    if (missing.length === 0) return;
    await fs.mkdir(path.dirname(file), { recursive: true });
    const lead = current === '' || current.endsWith('\n') ? '' : '\n';
    await fs.appendFile(file, `${lead}${missing.join('\n')}\n`);
  }

  async changedFiles(): Promise<string[]> {
    await this.distrustRepoConfig();
    return this.withScratchIndex(async (git) => {
      const base = (await this.headSha()) ?? (await this.emptyTreeSha());
      const out = await git.raw(['diff', '--cached', '--relative', '--name-only', '--no-renames', '-z', base]);
      return out.split('\0').filter(Boolean);
    });
  }

  async diff(base?: string): Promise<string> {
    await this.distrustRepoConfig();
    const against = await this.resolveBase(base);
    return this.withScratchIndex((git) => git.raw(['diff', '--cached', '--relative', '--no-color', '--no-ext-diff', '--no-textconv', against]));
  }

  async commit(message: string): Promise<string | null> {
    await this.waitForIndexLock();
    await this.distrustRepoConfig();
    await this.current.raw(['add', '-A', '--', '.']);
    const base = (await this.headSha()) ?? (await this.emptyTreeSha());
    const staged = await this.current.raw(['diff', '--cached', '--name-only', '-z', base]);
    if (staged.replace(/\0/g, '').trim() === '') return null;
    await this.current.raw([...(await this.identityArgs()), 'commit', '-q', '--cleanup=whitespace', '-m', message]);
    return this.headSha();
  }

  async findCommitByTrailers(goalId: string, taskId: string): Promise<string | null> {
    // A `git commit` a killed Goalpost left running may be about to add the very commit looked for.
    await this.waitForIndexLock();
    if ((await this.headSha()) === null) return null;
    const out = await this.current.raw(['log', '--fixed-strings', `--grep=${TASK_TRAILER}: ${taskId}`, '--format=%H%x00%B%x00', 'HEAD']);
    const parts = out.split('\0');
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const sha = parts[i].trim();
      const trailers = parseGoalpostTrailers(parts[i + 1]);
      if (sha && trailers.goalId === goalId && trailers.taskId === taskId) return sha;
    }
    return null;
  }

  async restoreFromHead(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    // `git restore` runs smudge filters: the agent may have planted one in the repository's config.
    await this.distrustRepoConfig();
    // Literal pathspecs: a file named `*` or `:(glob)x` is that file, not a pattern.
    const literal = ['--literal-pathspecs'];
    const head = await this.headSha();
    const inHead = head === null ? [] : (await this.current.raw([...literal, 'ls-tree', '-r', '-z', '--name-only', head, '--', ...paths])).split('\0').filter(Boolean);
    const known = new Set(inHead);
    if (inHead.length > 0) await this.current.raw([...literal, 'restore', `--source=${head}`, '--staged', '--worktree', '--', ...inHead]);
    const added = paths.filter((p) => !known.has(p));
    if (added.length === 0) return;
    await this.current.raw([...literal, 'rm', '-q', '--cached', '--ignore-unmatch', '--', ...added]);
    for (const p of added) await fs.rm(path.join(this.root, p), { force: true, recursive: true });
  }

  agentCommits(): Promise<TrailerCommit[]> {
    return userGit.agentCommits(this);
  }

  revertsOf(): Promise<Map<string, string>> {
    return userGit.revertsOf(this);
  }

  commitFiles(sha: string): Promise<CommitFile[]> {
    return userGit.commitFiles(this, sha);
  }

  commitDiff(sha: string, file: string): Promise<string> {
    return userGit.commitDiff(this, sha, file);
  }

  showFile(ref: string, file: string): Promise<string | null> {
    return userGit.showFile(this, ref, file);
  }

  async beginRevert(sha: string, keep: readonly string[]): Promise<PendingRevert> {
    await this.waitForIndexLock();
    return userGit.beginRevert(this, sha, keep);
  }

  async stash(message: string): Promise<boolean> {
    await this.waitForIndexLock();
    return userGit.stash(this, message);
  }

  /**
   * Waits (up to `timeoutMs`) while another git process holds the index lock: after a kill -9, the dead
   * run's `git commit` child may still be finishing. A lock older than that is left for git to report.
   */
  private async waitForIndexLock(timeoutMs = 5000): Promise<void> {
    const lock = path.resolve(this.root, (await this.current.raw(['rev-parse', '--git-path', 'index.lock'])).trim());
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (await fs.stat(lock).then(() => true, () => false))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** `-c user.name=… -c user.email=…` for whichever part of the identity the user has not configured. */
  async identityArgs(): Promise<string[]> {
    const get = async (key: string): Promise<string> => {
      try {
        return (await this.current.raw(['config', '--get', key])).trim();
      } catch {
        return '';
      }
    };
    const name = (await get('user.name')) || this.env.GIT_AUTHOR_NAME || '';
    const email = (await get('user.email')) || this.env.GIT_AUTHOR_EMAIL || this.env.EMAIL || '';
    const args: string[] = [];
    if (!name) args.push('-c', `user.name=${FALLBACK_IDENTITY.name}`);
    if (!email) args.push('-c', `user.email=${FALLBACK_IDENTITY.email}`);
    return args;
  }

  private async resolveBase(base: string | undefined): Promise<string> {
    if (base === undefined || base === 'HEAD') return (await this.headSha()) ?? (await this.emptyTreeSha());
    const sha = (await this.current.raw(['rev-parse', '--verify', '-q', `${base}^{tree}`]).catch(() => '')).trim();
    if (!sha) throw new Error(`Cannot diff against "${base}": no such commit in this repository.`);
    return base;
  }

  /** The empty tree of this repository's hash algorithm, written from an empty scratch index. */
  private async emptyTreeSha(): Promise<string> {
    if (this.emptyTree) return this.emptyTree;
    const indexFile = path.join(os.tmpdir(), `goalpost-empty-index-${randomBytes(6).toString('hex')}`);
    try {
      this.emptyTree = (await this.client({ ...this.envNow(), GIT_INDEX_FILE: indexFile }).raw(['write-tree'])).trim();
      return this.emptyTree;
    } finally {
      await fs.rm(indexFile, { force: true });
    }
  }

  /** Runs `fn` with a copy of the index that has the whole working tree (untracked included) added. */
  private async withScratchIndex<T>(fn: (git: SimpleGit) => Promise<T>): Promise<T> {
    const realIndex = path.resolve(this.root, (await this.current.raw(['rev-parse', '--git-path', 'index'])).trim());
    const scratch = path.join(os.tmpdir(), `goalpost-index-${randomBytes(6).toString('hex')}`);
    try {
      await fs.copyFile(realIndex, scratch).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err; // no index yet: start from an empty one
      });
      const git = this.client({ ...this.envNow(), GIT_INDEX_FILE: scratch });
      await git.raw(['add', '-A', '--', '.']);
      return await fn(git);
    } finally {
      await fs.rm(scratch, { force: true });
    }
  }
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The info/exclude line that keeps `relPath` (relative to the goal folder, `/` at the end for a folder) out of
 * git: anchored at the goal folder (`prefix`, git's --show-prefix, is where it lies in the repository), so a
 * subfolder goal's line names its own file and no other folder's file of the same name. The path is literal: glob
 * characters and trailing spaces are escaped. '' for a path no line can name safely (empty, `..`, or a control
 * character, which would add a line of its own).
 */
export function excludePattern(relPath: string, prefix: string): string {
  if (CONTROL.test(relPath) || CONTROL.test(prefix)) return '';
  const parts = relPath.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) return '';
  const segments = [...prefix.split('/').filter((p) => p !== ''), ...parts].map((p) => p.replace(/[\\*?[]/g, (c) => `\\${c}`));
  const line = `/${segments.join('/')}${relPath.endsWith('/') ? '/' : ''}`;
  // git drops a line's unescaped trailing spaces.
  return line.replace(/ +$/, (spaces) => '\\ '.repeat(spaces.length));
}
