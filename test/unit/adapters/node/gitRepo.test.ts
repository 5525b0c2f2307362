import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { excludePattern, GitRepo } from '../../../../src/adapters/gitRepo';
import { formatCommitMessage, parseGoalpostTrailers } from '../../../../src/engine/commitMessage';

describe('GitRepo', function () {
  this.timeout(30000);
  let tmp: string;
  let root: string;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let repo: GitRepo;

  /** Runs git in the test repo with the test's environment (no user config leaks in). */
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, env, encoding: 'utf8' });
  const write = (rel: string, content: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  };

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-git-')));
    root = path.join(tmp, 'repo');
    home = path.join(tmp, 'home');
    fs.mkdirSync(root);
    fs.mkdirSync(home);
    env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', LANG: 'C' };
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n');
    git('init', '-q');
    repo = new GitRepo(root, { env });
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function firstCommit(): Promise<string> {
    write('README.md', 'hello\n');
    const sha = await repo.commit('initial');
    assert.ok(sha);
    return sha;
  }

  it('knows a repository, and inits one', async () => {
    assert.equal(await repo.isRepo(), true);
    const other = path.join(tmp, 'plain');
    fs.mkdirSync(other);
    const plain = new GitRepo(other, { env: { ...env, GIT_CEILING_DIRECTORIES: tmp } });
    assert.equal(await plain.isRepo(), false);
    await plain.init();
    assert.equal(await plain.isRepo(), true);
  });

  it('adds exclude patterns once, idempotently', async () => {
    await repo.ensureExcluded(['.goalpost/', 'goal_status.log']);
    await repo.ensureExcluded(['.goalpost/']);
    await repo.ensureExcluded(['goal_status.log', '.goalpost/']);
    const exclude = fs.readFileSync(path.join(root, '.git/info/exclude'), 'utf8');
    assert.equal(exclude.split('\n').filter((l) => l === '/.goalpost/').length, 1);
    assert.equal(exclude.split('\n').filter((l) => l === '/goal_status.log').length, 1);
  });

  it('keeps a subfolder goal\'s paths out of git from the repository\'s top, and only that folder\'s', async () => {
    await firstCommit();
    for (const folder of ['packages/app', 'packages/odd [1]*']) {
      write(`${folder}/README.md`, 'app\n');
      const sub = new GitRepo(path.join(root, folder), { env });
      await sub.commit(folder);
      // A status log in a folder of its own, a bare name, the state folder, and paths with glob characters.
      await sub.ensureExcluded(['.goalpost/', 'logs/goal_status.log', './logs//other.log', 'goal.log', 'odd[1]*.log']);
      for (const rel of ['logs/goal_status.log', 'logs/other.log', 'goal.log', '.goalpost/goal.json', 'odd[1]*.log']) write(`${folder}/${rel}`, 'x\n');
      assert.equal(await sub.isDirty(), false, `${folder}: every path of the subfolder goal is kept out`);
      assert.deepEqual(await sub.changedFiles(), []);
    }
    // Each line names its goal folder's file: not one at the top, not a sibling's, and a glob is literal.
    write('logs/goal_status.log', 'x\n');
    write('goal.log', 'x\n');
    write('packages/other/goal.log', 'x\n');
    write('packages/app/odd1x.log', 'x\n');
    write('packages/odd 1x/goal.log', 'x\n');
    assert.deepEqual(git('status', '--porcelain', '--untracked-files=all').trim().split('\n').sort(), [
      '?? "packages/odd 1x/goal.log"', '?? goal.log', '?? logs/goal_status.log', '?? packages/app/odd1x.log', '?? packages/other/goal.log',
    ]);
    const exclude = fs.readFileSync(path.join(root, '.git/info/exclude'), 'utf8');
    assert.match(exclude, /^\/packages\/app\/logs\/goal_status\.log$/m);
    assert.match(exclude, /^\/packages\/app\/\.goalpost\/$/m);
    assert.match(exclude, /^\/packages\/odd \\\[1\]\\\*\/goal\.log$/m);
  });

  it('writes an exclude line only for a path a line can name: literal, anchored, trailing spaces kept', () => {
    assert.equal(excludePattern('goal_status.log', ''), '/goal_status.log');
    assert.equal(excludePattern('./logs//x.log', 'sub/'), '/sub/logs/x.log');
    assert.equal(excludePattern('.goalpost/', 'a b/'), '/a b/.goalpost/');
    assert.equal(excludePattern('x.log  ', ''), '/x.log\\ \\ ');
    assert.equal(excludePattern('#x[1]', ''), '/#x\\[1]');
    for (const bad of ['', './', 'a/../../b', 'x\nsrc/', 'x\r']) assert.equal(excludePattern(bad, ''), '', JSON.stringify(bad));
    assert.equal(excludePattern('x.log', 'we\nird/'), '');
  });

  it('strips a secret from git\'s environment even when it became known after the client was built', async () => {
    await firstCommit();
    // A git on PATH that records its environment, then runs the real one.
    const bin = path.join(tmp, 'bin');
    const dump = path.join(tmp, 'env.txt');
    fs.mkdirSync(bin);
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nenv > '${dump}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    const secret = 'sk-set-after-the-goal-started-1234';
    let known: string[] = [];
    const later = new GitRepo(root, { env: { ...env, PATH: `${bin}:${env.PATH}`, PLAIN_NAME: secret }, extraSecrets: () => known });
    await later.isDirty();
    assert.match(fs.readFileSync(dump, 'utf8'), /^PLAIN_NAME=/m, 'not yet a known secret: passed on (the probe works)');
    known = [secret];
    // A plain read first: it starts no filter, so it re-reads no config, and still builds its environment anew.
    await later.headSha();
    assert.doesNotMatch(fs.readFileSync(dump, 'utf8'), new RegExp(secret), 'a key set later never reaches a git read');
    await later.reader().raw(['rev-parse', 'HEAD']);
    assert.doesNotMatch(fs.readFileSync(dump, 'utf8'), new RegExp(secret), "nor the editor's reads of git objects");
    await later.isDirty();
    assert.doesNotMatch(fs.readFileSync(dump, 'utf8'), new RegExp(secret), 'a key set later never reaches git');
    known = [];
    await later.headSha();
    assert.match(fs.readFileSync(dump, 'utf8'), /^PLAIN_NAME=/m, 'a key removed again is passed on again (the env follows the list)');
  });

  it('detects a dirty tree, ignoring excluded files', async () => {
    await firstCommit();
    assert.equal(await repo.isDirty(), false);
    await repo.ensureExcluded(['.goalpost/']);
    write('.goalpost/state.json', '{}');
    assert.equal(await repo.isDirty(), false);
    write('new.txt', 'x');
    assert.equal(await repo.isDirty(), true);
    assert.equal(await repo.isDirty(['new.txt']), false, 'an ignored path does not count');
    assert.equal(await repo.isDirty(['new.*']), true, 'ignored paths are literal, not globs');
  });

  it('diffs the working tree with untracked files against HEAD without touching the index', async () => {
    await firstCommit();
    write('README.md', 'hello\nworld\n');
    write('src/new.ts', 'export const x = 1;\n');
    write('staged.txt', 'staged\n');
    git('add', 'staged.txt');
    const statusBefore = git('status', '--porcelain');
    const indexBefore = fs.readFileSync(path.join(root, '.git/index'));
    const diff = await repo.diff();
    assert.match(diff, /\+\+\+ b\/README\.md/);
    assert.match(diff, /\+world/);
    assert.match(diff, /\+\+\+ b\/src\/new\.ts/);
    assert.match(diff, /\+export const x = 1;/);
    assert.match(diff, /\+\+\+ b\/staged\.txt/);
    assert.equal(git('status', '--porcelain'), statusBefore);
    assert.match(statusBefore, /^\?\? src\/$/m);
    assert.deepEqual(fs.readFileSync(path.join(root, '.git/index')), indexBefore);
    assert.deepEqual((await repo.changedFiles()).sort(), ['README.md', 'src/new.ts', 'staged.txt']);
    assert.equal(git('status', '--porcelain'), statusBefore);
  });

  it('diffs against an older base, and refuses an unknown one', async () => {
    const first = await firstCommit();
    write('a.txt', 'a\n');
    await repo.commit('add a');
    write('b.txt', 'b\n');
    const diff = await repo.diff(first);
    assert.match(diff, /b\/a\.txt/);
    assert.match(diff, /b\/b\.txt/);
    await assert.rejects(repo.diff('no-such-ref'), /no such commit/);
  });

  it('works in a repository without commits (diff against the empty tree)', async () => {
    assert.equal(await repo.headSha(), null);
    assert.equal(await repo.currentBranch(), 'main');
    write('a.txt', 'first\n');
    assert.match(await repo.diff(), /\+first/);
    assert.deepEqual(await repo.changedFiles(), ['a.txt']);
    assert.equal(await repo.findCommitByTrailers('g', 't'), null);
    assert.equal(git('status', '--porcelain'), '?? a.txt\n');
  });

  it('commits with trailers and finds the commit again; nothing to commit gives null', async () => {
    await firstCommit();
    write('feature.ts', 'export {};\n');
    const message = formatCommitMessage({ title: 'Add feature', summary: 'Added it.', checks: [{ command: 'npm test', exitCode: 0 }], verdict: 'approve', goalId: 'g1', taskId: 't1' });
    const sha = await repo.commit(message);
    assert.ok(sha);
    assert.equal(await repo.headSha(), sha);
    assert.equal(git('log', '-1', '--format=%B').trim(), message.trim());
    assert.equal(git('log', '-1', '--format=%an <%ae>').trim(), 'Test User <test@example.com>');
    assert.equal(await repo.commit('again'), null);
    assert.equal(await repo.isDirty(), false);
    write('other.ts', 'x\n');
    await repo.commit(formatCommitMessage({ title: 'Other', summary: '', checks: [], verdict: null, goalId: 'g1', taskId: 't10' }));
    assert.equal(await repo.findCommitByTrailers('g1', 't1'), sha);
    assert.equal(await repo.findCommitByTrailers('g2', 't1'), null);
    assert.equal(await repo.findCommitByTrailers('g1', 't2'), null);
    assert.notEqual(await repo.findCommitByTrailers('g1', 't10'), sha);
  });

  it('does not take trailer-like text in the middle of a message for trailers', async () => {
    await firstCommit();
    write('x.txt', 'x\n');
    await repo.commit('Fake\n\nGoalpost-Goal: g1\nGoalpost-Task: t1\n\nreal body at the end');
    assert.equal(await repo.findCommitByTrailers('g1', 't1'), null);
  });

  it('snapshots everything and returns the sha, even when nothing changed', async () => {
    const head = await firstCommit();
    assert.equal(await repo.snapshot('snapshot'), head);
    write('wip.txt', 'wip\n');
    const snap = await repo.snapshot('Goalpost: snapshot before goal');
    assert.notEqual(snap, head);
    assert.equal(await repo.isDirty(), false);
  });

  it('creates and checks out branches from HEAD', async () => {
    const head = await firstCommit();
    await repo.checkoutBranch('goalpost/g1');
    assert.equal(await repo.currentBranch(), 'goalpost/g1');
    assert.equal(await repo.headSha(), head);
    write('on-branch.txt', 'x\n');
    await repo.commit('on branch');
    await repo.checkoutBranch('main');
    assert.equal(await repo.currentBranch(), 'main');
    assert.equal(fs.existsSync(path.join(root, 'on-branch.txt')), false);
    await repo.checkoutBranch('goalpost/g1');
    assert.ok(fs.existsSync(path.join(root, 'on-branch.txt')));
    await assert.rejects(repo.checkoutBranch('bad..name'), /not a valid git branch name/);
  });

  it('puts an unborn HEAD on the new branch without inventing a commit', async () => {
    await repo.checkoutBranch('goalpost/g2');
    assert.equal(await repo.currentBranch(), 'goalpost/g2');
    assert.equal(await repo.headSha(), null);
    write('a.txt', 'a\n');
    const sha = await repo.commit('first');
    assert.equal(git('rev-parse', 'refs/heads/goalpost/g2').trim(), sha);
  });

  it('commits as Goalpost when no identity is configured, without changing the config', async () => {
    fs.rmSync(path.join(home, '.gitconfig'));
    const bare = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', LANG: 'C', EMAIL: '' };
    const anonymous = new GitRepo(root, { env: bare });
    write('a.txt', 'a\n');
    const sha = await anonymous.commit('no identity');
    assert.ok(sha);
    const author = execFileSync('git', ['log', '-1', '--format=%an <%ae>|%cn <%ce>'], { cwd: root, env: bare, encoding: 'utf8' }).trim();
    assert.equal(author, 'Goalpost <goalpost@localhost>|Goalpost <goalpost@localhost>');
    assert.equal(fs.existsSync(path.join(home, '.gitconfig')), false);
    assert.ok(!fs.readFileSync(path.join(root, '.git/config'), 'utf8').includes('Goalpost'));
  });

  it('limits everything to the workspace when it is a subfolder of the repository', async () => {
    await firstCommit();
    const sub = path.join(root, 'packages', 'app');
    fs.mkdirSync(sub, { recursive: true });
    const inner = new GitRepo(sub, { env });
    write('packages/app/index.ts', 'x\n');
    write('elsewhere.txt', 'not ours\n');
    assert.deepEqual(await inner.changedFiles(), ['index.ts']);
    assert.ok(!(await inner.diff()).includes('elsewhere'));
    await inner.commit('app only');
    assert.match(git('status', '--porcelain'), /\?\? elsewhere\.txt/);
  });
});

describe('commitMessage', () => {
  it('formats subject, body with checks and review, and trailers (F5)', () => {
    const message = formatCommitMessage({
      title: '  Add the   parser\n',
      summary: 'Parses goal files.\nHandles sections.',
      checks: [{ command: 'npm test', exitCode: 0 }, { command: 'npm run lint', exitCode: null }],
      verdict: 'approve',
      goalId: 'g-42',
      taskId: 't3',
    });
    assert.equal(message, [
      'Add the parser',
      '',
      'Parses goal files.',
      'Handles sections.',
      '',
      'Checks:',
      '- npm test (exit 0)',
      '- npm run lint (no exit code)',
      'Review: approve',
      '',
      'Goalpost-Goal: g-42',
      'Goalpost-Task: t3',
      '',
    ].join('\n'));
    assert.deepEqual(parseGoalpostTrailers(message), { goalId: 'g-42', taskId: 't3' });
  });

  it('keeps the subject to 72 characters on one line', () => {
    const message = formatCommitMessage({ title: 'word '.repeat(40), summary: '', checks: [], verdict: null, goalId: 'g', taskId: 't' });
    const subject = message.split('\n')[0];
    assert.ok(subject.length <= 72, `${subject.length}`);
    assert.ok(subject.endsWith('…'));
    assert.match(message, /Checks: none run\nReview: none\n\nGoalpost-Goal: g\nGoalpost-Task: t\n$/);
  });
});
