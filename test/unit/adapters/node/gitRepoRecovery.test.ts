// GitRepo.restoreFromHead (protected paths, F10): files are put back exactly as HEAD has them, in the
// working tree and the index; files HEAD does not have are removed; a subfolder workspace works too.
// And a commit waits for the index lock of a git child a killed run left finishing (issue 12).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitRepo } from '../../../../src/adapters/gitRepo';

describe('GitRepo.restoreFromHead', function () {
  this.timeout(30000);
  let tmp: string;
  let root: string;
  let env: NodeJS.ProcessEnv;

  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' });
  const write = (rel: string, content: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  };

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-restore-')));
    root = path.join(tmp, 'repo');
    const home = path.join(tmp, 'home');
    fs.mkdirSync(root);
    fs.mkdirSync(home);
    env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', LANG: 'C' };
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n');
    git(root, 'init', '-q');
    write('test.js', 'original\n');
    write('app/spec/a.test.js', 'spec a\n');
    write('app/src/x.js', 'x\n');
    write('*', 'a file named star\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'initial');
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('restores modified, deleted and staged files, removes new ones, and leaves other changes alone', async () => {
    write('test.js', 'weakened\n');
    git(root, 'add', 'test.js');
    fs.rmSync(path.join(root, 'app/spec/a.test.js'));
    write('app/spec/new.test.js', 'new\n');
    git(root, 'add', 'app/spec/new.test.js');
    write('app/src/x.js', 'x changed\n');
    write('*', 'changed star\n');
    write('other', 'untouched\n');

    await new GitRepo(root, { env }).restoreFromHead(['test.js', 'app/spec/a.test.js', 'app/spec/new.test.js']);

    assert.equal(fs.readFileSync(path.join(root, 'test.js'), 'utf8'), 'original\n');
    assert.equal(fs.readFileSync(path.join(root, 'app/spec/a.test.js'), 'utf8'), 'spec a\n');
    assert.equal(fs.existsSync(path.join(root, 'app/spec/new.test.js')), false);
    assert.equal(git(root, 'status', '--porcelain').split('\n').filter(Boolean).sort().join('\n'), [' M *', ' M app/src/x.js', '?? other'].sort().join('\n'),
      'only the protected paths changed back (the index too); "*" was not read as a pattern');
  });

  it('works from a subfolder workspace, with paths relative to it', async () => {
    const app = path.join(root, 'app');
    write('app/spec/a.test.js', 'weakened\n');
    write('app/spec/extra.js', 'extra\n');
    await new GitRepo(app, { env }).restoreFromHead(['spec/a.test.js', 'spec/extra.js']);
    assert.equal(fs.readFileSync(path.join(app, 'spec/a.test.js'), 'utf8'), 'spec a\n');
    assert.equal(fs.existsSync(path.join(app, 'spec/extra.js')), false);
    assert.equal(git(root, 'status', '--porcelain'), '');
  });

  it('a commit waits while another git process holds the index lock, then commits', async () => {
    const lock = path.join(root, '.git', 'index.lock');
    fs.writeFileSync(lock, '');
    write('new.txt', 'n\n');
    let released = false;
    // The "orphaned git" finishes a moment later and releases its lock.
    setTimeout(() => {
      released = true;
      fs.rmSync(lock);
    }, 300);
    const sha = await new GitRepo(root, { env }).commit('after the lock');
    assert.ok(released, 'the commit did not run while the lock was held');
    assert.equal(git(root, 'rev-parse', 'HEAD').trim(), sha);
  });
});
