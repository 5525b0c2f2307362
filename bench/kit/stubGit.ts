// A Git that costs nothing: a repository with a clean tree whose commits are only recorded messages.
// The overhead benchmark uses it so git's own cost (a real `git commit` is tens of milliseconds) stays
// out of the engine's figure, with any workspace (memory or disk).
import type { Git } from '../../src/engine/ports';
import { parseTrailers } from '../../test/support/fakes/fakeGit';

/** Instant git: commits get sequential shas, trailers are found like git would find them. */
export class StubGit implements Git {
  private readonly commits: { sha: string; message: string }[] = [{ sha: '0'.repeat(40), message: 'Initial commit' }];
  private branch = 'main';

  async isRepo(): Promise<boolean> {
    return true;
  }

  async init(): Promise<void> {}

  async isDirty(): Promise<boolean> {
    return false;
  }

  async headSha(): Promise<string | null> {
    return this.commits[this.commits.length - 1].sha;
  }

  async currentBranch(): Promise<string | null> {
    return this.branch;
  }

  async checkoutBranch(name: string): Promise<void> {
    this.branch = name;
  }

  async snapshot(message: string): Promise<string> {
    return this.record(message);
  }

  async ensureExcluded(_patterns: string[]): Promise<void> {}

  async changedFiles(): Promise<string[]> {
    return [];
  }

  async diff(_base?: string): Promise<string> {
    return '';
  }

  async commit(message: string): Promise<string | null> {
    return this.record(message);
  }

  async findCommitByTrailers(goalId: string, taskId: string): Promise<string | null> {
    for (let i = this.commits.length - 1; i >= 0; i--) {
      const t = parseTrailers(this.commits[i].message);
      if (t.get('goalpost-goal') === goalId && t.get('goalpost-task') === taskId) return this.commits[i].sha;
    }
    return null;
  }

  async restoreFromHead(): Promise<void> {
    // The stub keeps no file contents; the benchmarks protect no paths.
  }

  private record(message: string): string {
    const sha = (this.commits.length).toString(16).padStart(40, '0');
    this.commits.push({ sha, message });
    return sha;
  }
}
