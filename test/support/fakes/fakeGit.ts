// A Git (and UserGit) over a MemoryWorkspace: commits are snapshots of the workspace map, changed files and
// diffs are computed against the last commit, and trailers are parsed from commit messages like git does, so
// the engine's idempotent commit step and the review's reads and revert can be tested without a repository
// on disk. It runs the git contract suite beside the real GitRepo (test/unit/adapters/node/gitContract.test.ts).
import { RevertConflict, RevertRefused, type CommitFile, type Git, type PendingRevert, type TrailerCommit, type UserGit } from '../../../src/engine/ports';
import type { MemoryWorkspace } from './memoryWorkspace';

/** One commit the fake holds: its message and the tracked files it recorded. */
export interface FakeCommit {
  sha: string;
  parent: string | null;
  message: string;
  files: ReadonlyMap<string, string>;
  /** Author date, ISO 8601: one second per commit from a fixed start, so the order is stable. */
  at: string;
}

const FAKE_EPOCH = Date.parse('2026-01-01T00:00:00.000Z');

/** Options of a FakeGit; by default the folder is a repository with one initial commit of its files. */
export interface FakeGitOptions {
  isRepo?: boolean;
  initialCommit?: boolean;
  branch?: string;
}

/** Deterministic 40-hex sha from a seed, so test output is stable across runs. */
function fakeSha(seed: string): string {
  let out = '';
  let h = 2166136261;
  for (let round = 0; out.length < 40; round++) {
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}

/** The trailers of a message: `Key: value` lines of its last paragraph. */
export function parseTrailers(message: string): Map<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const last = paragraphs[paragraphs.length - 1] ?? '';
  const out = new Map<string, string>();
  if (paragraphs.length < 2) return out;
  for (const line of last.split('\n')) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*):\s*(.*)$/.exec(line.trim());
    if (m) out.set(m[1].toLowerCase(), m[2].trim());
  }
  return out;
}

export class FakeGit implements Git, UserGit {
  private repo: boolean;
  private readonly objects = new Map<string, FakeCommit>();
  private readonly branches = new Map<string, string | null>();
  private branch: string;
  private counter = 0;
  /** Paths passed to ensureExcluded, relative to the goal folder (GitRepo anchors them there in .git/info/exclude). */
  readonly excluded: string[] = [];
  /** Every commit made through commit() or snapshot(), oldest first, whatever the branch. */
  readonly made: FakeCommit[] = [];
  /** What stash() put aside, newest last: the changed paths' texts (undefined: the path did not exist). */
  readonly stashes: { message: string; files: Map<string, string | undefined> }[] = [];

  constructor(
    private readonly workspace: MemoryWorkspace,
    options: FakeGitOptions = {},
  ) {
    this.repo = options.isRepo ?? true;
    this.branch = options.branch ?? 'main';
    this.branches.set(this.branch, null);
    if (this.repo && (options.initialCommit ?? true)) this.record('Initial commit');
  }

  private isExcluded(path: string): boolean {
    if (path.startsWith('.git/')) return true;
    return this.excluded.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p || path.startsWith(`${p}/`)));
  }

  /** The tracked view of the working tree: every file not excluded. */
  private tree(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [path, text] of this.workspace.files) if (!this.isExcluded(path)) out.set(path, text);
    return out;
  }

  private headFiles(): ReadonlyMap<string, string> {
    const sha = this.branches.get(this.branch) ?? null;
    return sha === null ? new Map() : (this.objects.get(sha)?.files ?? new Map());
  }

  private record(message: string): string {
    this.counter++;
    const parent = this.branches.get(this.branch) ?? null;
    const sha = fakeSha(`${this.counter}\n${parent ?? ''}\n${message}`);
    const commit: FakeCommit = { sha, parent, message, files: this.tree(), at: new Date(FAKE_EPOCH + this.counter * 1000).toISOString() };
    this.objects.set(sha, commit);
    this.branches.set(this.branch, sha);
    this.made.push(commit);
    return sha;
  }

  private requireRepo(): void {
    if (!this.repo) throw new Error('fatal: not a git repository');
  }

  async isRepo(): Promise<boolean> {
    return this.repo;
  }

  async init(): Promise<void> {
    this.repo = true;
  }

  async isDirty(ignore: readonly string[] = []): Promise<boolean> {
    return (await this.changedFiles()).some((f) => !ignore.includes(f));
  }

  async headSha(): Promise<string | null> {
    this.requireRepo();
    return this.branches.get(this.branch) ?? null;
  }

  async currentBranch(): Promise<string | null> {
    this.requireRepo();
    return this.branch;
  }

  async checkoutBranch(name: string): Promise<void> {
    this.requireRepo();
    // git's check-ref-format --branch, in the parts a goal's branch name could get wrong.
    if (!/^[^\s~^:?*[\\]+$/.test(name) || name.startsWith('-') || name.includes('..') || name.endsWith('/') || name.endsWith('.lock') || name.includes('@{')) {
      throw new Error(`"${name}" is not a valid git branch name.`);
    }
    if (!this.branches.has(name)) this.branches.set(name, this.branches.get(this.branch) ?? null);
    // Like git, files the user has not changed follow the branch; changed ones stay as they are.
    const from = this.headFiles();
    this.branch = name;
    const to = this.headFiles();
    for (const p of new Set([...from.keys(), ...to.keys()])) {
      if (this.workspace.files.get(p) !== from.get(p)) continue;
      const text = to.get(p);
      if (text === undefined) this.workspace.files.delete(p);
      else this.workspace.files.set(p, text);
    }
  }

  async snapshot(message: string): Promise<string> {
    this.requireRepo();
    return this.record(message);
  }

  async ensureExcluded(patterns: string[]): Promise<void> {
    for (const p of patterns) if (!this.excluded.includes(p)) this.excluded.push(p);
  }

  async changedFiles(): Promise<string[]> {
    this.requireRepo();
    return changedBetween(this.headFiles(), this.tree());
  }

  async diff(base?: string): Promise<string> {
    this.requireRepo();
    let from = this.headFiles();
    if (base !== undefined) {
      const commit = this.objects.get(base);
      if (!commit) throw new Error(`fatal: bad revision '${base}'`);
      from = commit.files;
    }
    const to = this.tree();
    return changedBetween(from, to).map((p) => fileDiff(p, from.get(p), to.get(p))).join('');
  }

  async commit(message: string): Promise<string | null> {
    this.requireRepo();
    if ((await this.changedFiles()).length === 0) return null;
    return this.record(message);
  }

  async findCommitByTrailers(goalId: string, taskId: string): Promise<string | null> {
    this.requireRepo();
    for (const commit of this.log()) {
      const t = parseTrailers(commit.message);
      if (t.get('goalpost-goal') === goalId && t.get('goalpost-task') === taskId) return commit.sha;
    }
    return null;
  }

  async restoreFromHead(paths: string[]): Promise<void> {
    this.requireRepo();
    const head = this.log()[0]?.files ?? new Map<string, string>();
    for (const p of paths) {
      const text = head.get(p);
      if (text === undefined) this.workspace.files.delete(p);
      else this.workspace.files.set(p, text);
    }
  }

  // ------------------------------------------------------------ UserGit

  /** Every commit reachable from a branch, each once. */
  private reachable(): FakeCommit[] {
    const seen = new Map<string, FakeCommit>();
    for (const head of this.branches.values()) {
      let sha = head;
      while (sha !== null && !seen.has(sha)) {
        const commit = this.objects.get(sha);
        if (!commit) break;
        seen.set(sha, commit);
        sha = commit.parent;
      }
    }
    return [...seen.values()];
  }

  private parentFiles(commit: FakeCommit): ReadonlyMap<string, string> {
    return commit.parent === null ? new Map() : (this.objects.get(commit.parent)?.files ?? new Map());
  }

  /** A commit by HEAD, branch name, sha or unique sha prefix (of at least 4), like git's rev-parse. */
  private resolveRef(ref: string): FakeCommit {
    const sha = ref === 'HEAD' ? this.branches.get(this.branch) : this.branches.has(ref) ? this.branches.get(ref) : undefined;
    const direct = sha ? this.objects.get(sha) : undefined;
    if (direct) return direct;
    const matches = ref.length >= 4 ? [...this.objects.values()].filter((c) => c.sha.startsWith(ref)) : [];
    if (matches.length !== 1) throw new Error(`fatal: bad revision '${ref}'`);
    return matches[0];
  }

  async agentCommits(): Promise<TrailerCommit[]> {
    if (!this.repo) return [];
    const out: TrailerCommit[] = [];
    for (const c of this.reachable()) {
      const t = parseTrailers(c.message);
      const goalId = t.get('goalpost-goal');
      const taskId = t.get('goalpost-task');
      if (!goalId || !taskId || changedBetween(this.parentFiles(c), c.files).length === 0) continue;
      out.push({ sha: c.sha, parent: c.parent, subject: c.message.split('\n', 1)[0], at: c.at, goalId, taskId });
    }
    return out.sort((a, b) => b.at.localeCompare(a.at));
  }

  async revertsOf(): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    if (!this.repo) return map;
    for (const c of this.reachable().sort((a, b) => b.at.localeCompare(a.at))) {
      for (const m of c.message.matchAll(/This reverts commit ([0-9a-f]{7,64})/g)) if (!map.has(m[1])) map.set(m[1], c.sha);
    }
    return map;
  }

  async commitFiles(sha: string): Promise<CommitFile[]> {
    this.requireRepo();
    const commit = this.resolveRef(sha);
    const before = this.parentFiles(commit);
    return changedBetween(before, commit.files).map((path) => ({
      path,
      status: !before.has(path) ? 'A' : !commit.files.has(path) ? 'D' : 'M',
    }));
  }

  async commitDiff(sha: string, path: string): Promise<string> {
    this.requireRepo();
    const commit = this.resolveRef(sha);
    const before = this.parentFiles(commit);
    if (before.get(path) === commit.files.get(path)) return '';
    return fileDiff(path, before.get(path), commit.files.get(path));
  }

  async showFile(ref: string, path: string): Promise<string | null> {
    this.requireRepo();
    return this.resolveRef(ref).files.get(path) ?? null;
  }

  /**
   * Like git revert --no-commit, at whole-file granularity: a file changed again since the commit is a
   * conflict (real git may merge changes to other lines of it; the contract suite only uses cases where
   * both agree).
   */
  async beginRevert(sha: string, keep: readonly string[]): Promise<PendingRevert> {
    this.requireRepo();
    const commit = this.resolveRef(sha);
    const before = this.parentFiles(commit);
    const head = this.headFiles();
    const changed = changedBetween(before, commit.files).filter((p) => !keep.includes(p));
    const conflicts = changed.filter((p) => head.get(p) !== commit.files.get(p));
    if (conflicts.length > 0) throw new RevertConflict(conflicts, `Commit ${commit.sha.slice(0, 8)} cannot be reverted cleanly: later changes conflict in ${conflicts.join(', ')}.`);
    const saved = new Map(changed.map((p) => [p, this.workspace.files.get(p)] as const));
    for (const p of changed) {
      const text = before.get(p);
      if (text === undefined) this.workspace.files.delete(p);
      else this.workspace.files.set(p, text);
    }
    let settled = false;
    return {
      commit: async (message: string): Promise<string> => {
        if (settled) throw new Error('This revert was already committed or aborted.');
        const made = await this.commit(message);
        if (made === null) throw new RevertRefused('unchanged', `Reverting ${commit.sha.slice(0, 8)} changes nothing: its changes are already undone.`);
        settled = true;
        return made;
      },
      abort: async (): Promise<void> => {
        if (settled) return;
        settled = true;
        for (const [p, text] of saved) {
          if (text === undefined) this.workspace.files.delete(p);
          else this.workspace.files.set(p, text);
        }
      },
    };
  }

  async stash(message: string): Promise<boolean> {
    const changed = await this.changedFiles();
    if (changed.length === 0) return false;
    const head = this.headFiles();
    this.stashes.push({ message, files: new Map(changed.map((p) => [p, this.workspace.files.get(p)] as const)) });
    for (const p of changed) {
      const text = head.get(p);
      if (text === undefined) this.workspace.files.delete(p);
      else this.workspace.files.set(p, text);
    }
    return true;
  }

  /** The current branch's commits, newest first. */
  log(): FakeCommit[] {
    const out: FakeCommit[] = [];
    let sha = this.branches.get(this.branch) ?? null;
    while (sha !== null) {
      const commit = this.objects.get(sha);
      if (!commit) break;
      out.push(commit);
      sha = commit.parent;
    }
    return out;
  }

  /** Test setup: commits the working tree as it is with `message` (empty commits allowed). */
  commitNow(message: string): string {
    return this.record(message);
  }
}

function changedBetween(from: ReadonlyMap<string, string>, to: ReadonlyMap<string, string>): string[] {
  const paths = new Set<string>();
  for (const [p, text] of to) if (from.get(p) !== text) paths.add(p);
  for (const p of from.keys()) if (!to.has(p)) paths.add(p);
  return [...paths].sort();
}

/** A whole-file unified diff of one path (one hunk; enough for reviewers and progress checks). */
function fileDiff(path: string, before: string | undefined, after: string | undefined): string {
  const old = before === undefined || before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const neu = after === undefined || after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const header = [
    `diff --git a/${path} b/${path}`,
    before === undefined ? 'new file mode 100644' : after === undefined ? 'deleted file mode 100644' : null,
    `--- ${before === undefined ? '/dev/null' : `a/${path}`}`,
    `+++ ${after === undefined ? '/dev/null' : `b/${path}`}`,
    `@@ -${old.length === 0 ? 0 : 1},${old.length} +${neu.length === 0 ? 0 : 1},${neu.length} @@`,
  ].filter((l): l is string => l !== null);
  return `${[...header, ...old.map((l) => `-${l}`), ...neu.map((l) => `+${l}`)].join('\n')}\n`;
}
