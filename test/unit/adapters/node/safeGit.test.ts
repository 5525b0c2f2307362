// PRODUCT.md F10: Goalpost's own git never runs what the agent could have planted in the repository —
// hooks, an fsmonitor command, filters and merge drivers of the repository's config, textconv drivers —
// and runs with the stripped environment of commands (no API key). A planted program would create a
// marker file; each test asserts the marker never appears while the git operation itself still works.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitRepo } from '../../../../src/adapters/gitRepo';
import { BUILTIN_MERGE_DRIVER, SAFE_GIT_CONFIG, repoDriverOverrides, safeGitEnv } from '../../../../src/adapters/safeGit';

describe('Goalpost git never runs planted programs', function () {
  this.timeout(30000);
  let tmp: string;
  let root: string;
  let marker: string;
  let env: NodeJS.ProcessEnv;
  let repo: GitRepo;

  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, env, encoding: 'utf8', stdio: 'pipe' });
  const write = (rel: string, content: string, mode?: number): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content, { mode });
  };
  /** A shell script that records that it ran (and the environment it saw) in the marker folder. */
  const planted = (name: string): string => `#!/bin/sh\nenv > "${marker}/${name}"\ncat\n`;
  const ran = (): string[] => fs.readdirSync(marker).sort();

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-safegit-')));
    root = path.join(tmp, 'repo');
    marker = path.join(tmp, 'ran');
    const home = path.join(tmp, 'home');
    for (const d of [root, marker, home]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n');
    env = { PATH: process.env.PATH, HOME: home, LANG: 'C', OPENAI_API_KEY: 'sk-test-secret-key-123456' };
    git('init', '-q');
    repo = new GitRepo(root, { env });
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('runs no hook the agent wrote into .git/hooks, nor one under core.hooksPath', async () => {
    write('README.md', 'hello\n');
    assert.ok(await repo.commit('initial'));
    for (const hook of ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'reference-transaction', 'post-checkout', 'post-index-change']) {
      write(`.git/hooks/${hook}`, planted(hook), 0o755);
      write(`hooks2/${hook}`, planted(`hooksPath-${hook}`), 0o755);
    }
    write('README.md', 'changed\n');
    assert.ok(await repo.commit('second'), 'the commit itself works');
    await repo.checkoutBranch('goalpost/g1');
    assert.deepEqual(ran(), [], 'hooks ran (sanity check below proves they would)');
    // The same hooks run for a plain `git commit`: the test would notice if they were not planted right.
    write('README.md', 'third\n');
    git('commit', '-qam', 'plain');
    assert.ok(ran().includes('pre-commit'));
  });

  it('runs no core.fsmonitor command set with git config', async () => {
    write('fsmonitor.sh', planted('fsmonitor'), 0o755);
    git('config', 'core.fsmonitor', path.join(root, 'fsmonitor.sh'));
    write('a.txt', 'a\n');
    assert.equal(await repo.isDirty(), true);
    assert.ok(await repo.commit('with fsmonitor set'));
    assert.deepEqual(await repo.changedFiles(), []);
    await repo.diff();
    assert.deepEqual(ran(), []);
  });

  it('empties clean/smudge/process filters and merge drivers of the repository config, and textconv in diffs', async () => {
    write('filter.sh', planted('filter'), 0o755);
    const script = path.join(root, 'filter.sh');
    git('config', 'filter.evil.clean', script);
    git('config', 'filter.evil.smudge', script);
    git('config', 'filter.evil.required', 'true');
    git('config', 'diff.evil.textconv', script);
    git('config', 'merge.evil.driver', script);
    write('.gitattributes', '*.txt filter=evil diff=evil merge=evil\n');
    write('a.txt', 'plain text\n');
    assert.equal(await repo.isDirty(), true);
    const sha = await repo.commit('with a filter in .gitattributes');
    assert.ok(sha);
    write('a.txt', 'changed text\n');
    assert.deepEqual(await repo.changedFiles(), ['a.txt']);
    assert.match(await repo.diff(), /\+changed text/);
    await repo.checkoutBranch('goalpost/other');
    assert.deepEqual(ran(), []);
    // The content was committed as it is, not through the filter.
    assert.equal(git('show', 'HEAD:a.txt'), 'plain text\n');
  });

  it('runs nothing planted for the commit review either: its reads, a revert (with a content merge) and a stash (UserGit)', async () => {
    const lines = (first: string, last: string): string => [first, '2', '3', '4', '5', '6', '7', last].join('\n') + '\n';
    write('.gitattributes', '*.txt filter=evil diff=evil merge=evil\n');
    write('a.txt', lines('1', '8'));
    assert.ok(await repo.commit('initial'));
    const script = path.join(tmp, 'filter.sh');
    fs.writeFileSync(script, planted('filter'), { mode: 0o755 });
    for (const key of ['filter.evil.clean', 'filter.evil.smudge', 'diff.evil.textconv', 'diff.evil.command', 'merge.evil.driver']) git('config', key, script);
    git('config', 'filter.evil.required', 'true');
    write('a.txt', lines('one', '8'));
    const task = await repo.commit('Task one\n\nGoalpost-Goal: g1\nGoalpost-Task: t1');
    assert.ok(task);
    write('a.txt', lines('one', 'eight'));
    assert.ok(await repo.commit('a later change to another line'));
    for (const hook of ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'reference-transaction', 'post-checkout', 'post-rewrite', 'post-index-change']) {
      write(`.git/hooks/${hook}`, planted(hook), 0o755);
    }
    assert.deepEqual((await repo.agentCommits()).map((c) => c.sha), [task]);
    assert.deepEqual(await repo.commitFiles(task), [{ path: 'a.txt', status: 'M' }]);
    assert.match(await repo.commitDiff(task, 'a.txt'), /-1\n\+one/);
    assert.equal(await repo.showFile(task, 'a.txt'), lines('one', '8'));
    // Reverting the first change after the later one is a real three-way content merge (git's own).
    const pending = await repo.beginRevert(task, []);
    const revert = await pending.commit(`Revert "Task one"\n\nThis reverts commit ${task}.`);
    assert.equal(git('show', `${revert}:a.txt`), lines('1', 'eight'));
    write('b.txt', 'uncommitted\n');
    assert.equal(await repo.stash('Goalpost: stashed before goal'), true);
    assert.deepEqual(ran(), [], 'a planted program ran (the check below proves they would)');
    git('checkout', task, '--', 'a.txt');
    assert.ok(ran().includes('filter'), 'plain git runs the planted smudge filter');
  });

  it('reads a file at a ref from a goalpost-git URI only for a commit id or a ref name: "--output=…" is refused and writes nothing', async () => {
    write('a.txt', 'one\n');
    const sha = await repo.commit('initial');
    assert.ok(sha);
    assert.equal(await repo.showFile(sha.slice(0, 7), 'a.txt'), 'one\n');
    assert.equal(await repo.showFile('HEAD', 'a.txt'), 'one\n');
    assert.equal(await repo.showFile('main~0', 'a.txt'), 'one\n');
    // Without the check git reads the ref as an option and writes the diff to <tmp>/out:./a.txt.
    fs.mkdirSync(path.join(tmp, 'out:.'));
    const out = path.join(tmp, 'out');
    for (const ref of [`--output=${out}`, '-p', `HEAD..${sha}`, 'HEAD@{0}', '']) {
      await assert.rejects(repo.showFile(ref, 'a.txt'), /is not a commit id or a ref name; nothing was read/, ref);
    }
    assert.deepEqual(fs.readdirSync(path.join(tmp, 'out:.')), [], 'git wrote a file named by the ref');
    assert.equal(fs.existsSync(out), false);
  });

  it('keeps filters of the user\'s global config (git-lfs) working, with the stripped environment', async () => {
    const script = path.join(tmp, 'global-filter.sh');
    fs.writeFileSync(script, planted('global-filter'), { mode: 0o755 });
    fs.appendFileSync(path.join(env.HOME as string, '.gitconfig'), `[filter "lfslike"]\n\tclean = ${script}\n`);
    write('.gitattributes', '*.bin filter=lfslike\n');
    write('data.bin', 'data\n');
    assert.ok(await repo.commit('global filter'));
    assert.deepEqual(ran(), ['global-filter']);
    const seen = fs.readFileSync(path.join(marker, 'global-filter'), 'utf8');
    assert.doesNotMatch(seen, /OPENAI_API_KEY|sk-test-secret/);
    assert.match(seen, /^GIT_CONFIG_NOSYSTEM=1$/m);
  });

  it('builds the environment without secrets, git variables or system config', () => {
    const e = safeGitEnv({ PATH: '/bin', OPENAI_API_KEY: 'k', GITHUB_TOKEN: 't', GIT_DIR: '/x', GIT_CONFIG_GLOBAL: '/y', EDITOR: 'vim', HOME: '/h', OTHER: 'plain-secret-value' }, ['plain-secret-value']);
    assert.deepEqual(Object.keys(e).filter((k) => /KEY|TOKEN|GIT_DIR|GIT_CONFIG_GLOBAL|^EDITOR$|OTHER/.test(k)), []);
    assert.equal(e.GIT_CONFIG_NOSYSTEM, '1');
    assert.equal(e.GIT_TERMINAL_PROMPT, '0');
    assert.equal(e.HOME, '/h');
    assert.ok(SAFE_GIT_CONFIG.includes('core.hooksPath=/dev/null'));
    assert.ok(SAFE_GIT_CONFIG.includes('core.fsmonitor=false'));
  });

  it('reads driver overrides only from the repository scopes, and refuses a name it cannot override', () => {
    const listing = ['global', 'filter.lfs.clean\ngit-lfs clean', 'local', 'filter.evil.process\nx', 'worktree', 'merge.m.driver\ny', 'local', 'core.bare\nfalse', ''].join('\0');
    assert.deepEqual(repoDriverOverrides(listing).sort(), [
      'filter.evil.clean=', 'filter.evil.process=', 'filter.evil.required=false', 'filter.evil.smudge=', `merge.m.driver=${BUILTIN_MERGE_DRIVER}`,
    ]);
    assert.throws(() => repoDriverOverrides(['local', 'filter.a=b.clean\nx', ''].join('\0')), /cannot switch off/);
  });
});
