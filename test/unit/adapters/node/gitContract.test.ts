// One contract for the Git and UserGit ports: the fake the engine tests run on (FakeGit over a
// MemoryWorkspace) and the real GitRepo over a real repository answer these the same way, so a loop or
// review test on the fake proves something about the product.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitRepo } from '../../../../src/adapters/gitRepo';
import { NodeWorkspace } from '../../../../src/adapters/nodeWorkspace';
import { RevertConflict, type Git, type UserGit, type Workspace } from '../../../../src/engine/ports';
import { parseHunks } from '../../../../src/vscode/review/diffHunks';
import { FakeGit } from '../../../support/fakes/fakeGit';
import { MemoryWorkspace } from '../../../support/fakes/memoryWorkspace';

interface Subject {
  git: Git & UserGit;
  /** The folder's files, written and read through the Workspace port. */
  files: Workspace;
}

/** Each subject starts as a repository on `main` with one commit of README.md ("hello"). */
const SUBJECTS: Record<string, (tmp: string) => Promise<Subject>> = {
  FakeGit: async () => {
    const files = new MemoryWorkspace({ 'README.md': 'hello\n' });
    return { git: new FakeGit(files), files };
  },
  GitRepo: async (tmp) => {
    const root = path.join(tmp, 'repo');
    const home = path.join(tmp, 'home');
    fs.mkdirSync(root);
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n');
    const env = { PATH: process.env.PATH, HOME: home, LANG: 'C' };
    execFileSync('git', ['init', '-q'], { cwd: root, env });
    const files = new NodeWorkspace(root);
    const git = new GitRepo(root, { env });
    await files.writeFile('README.md', 'hello\n');
    assert.ok(await git.commit('Initial commit'));
    return { git, files };
  },
};

const trailers = (goalId: string, taskId: string): string => `\n\nGoalpost-Goal: ${goalId}\nGoalpost-Task: ${taskId}`;

for (const [name, make] of Object.entries(SUBJECTS)) {
  describe(`Git contract: ${name}`, function () {
    this.timeout(30000);
    let tmp: string;
    let git: Git & UserGit;
    let files: Workspace;
    const read = (p: string): Promise<string | null> => files.readText(p);
    const commitFile = async (p: string, text: string, message: string): Promise<string> => {
      await files.writeFile(p, text);
      const sha = await git.commit(message);
      assert.ok(sha, `committed ${p}`);
      return sha;
    };

    beforeEach(async () => {
      tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-gitcontract-')));
      ({ git, files } = await make(tmp));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('is a repository on main whose tree is clean; changes and untracked files are dirty unless ignored', async () => {
      assert.equal(await git.isRepo(), true);
      assert.equal(await git.currentBranch(), 'main');
      assert.match((await git.headSha()) ?? '', /^[0-9a-f]{40}$/);
      assert.equal(await git.isDirty(), false);
      assert.deepEqual(await git.changedFiles(), []);
      await files.writeFile('README.md', 'changed\n');
      await files.writeFile('src/new.ts', 'x\n');
      assert.deepEqual((await git.changedFiles()).sort(), ['README.md', 'src/new.ts']);
      assert.equal(await git.isDirty(['README.md']), true);
      assert.equal(await git.isDirty(['README.md', 'src/new.ts']), false);
    });

    it('never counts excluded paths (Goalpost\'s own files) as changes, nor commits them', async () => {
      await git.ensureExcluded(['.goalpost/', 'goal_status.log']);
      await git.ensureExcluded(['.goalpost/']);
      await files.writeFile('.goalpost/goal.json', '{}');
      await files.writeFile('goal_status.log', 'a line\n');
      assert.equal(await git.isDirty(), false);
      assert.deepEqual(await git.changedFiles(), []);
      assert.equal(await git.commit('nothing to commit'), null);
    });

    it('commits everything, and finds a commit by both trailers on the current branch only', async () => {
      const head = await git.headSha();
      const t1 = await commitFile('a.txt', 'a\n', `Task one${trailers('g1', 't1')}`);
      assert.notEqual(t1, head);
      assert.equal(await git.headSha(), t1);
      assert.equal(await git.isDirty(), false);
      assert.equal(await git.commit('again'), null, 'nothing left to commit');
      assert.equal(await git.findCommitByTrailers('g1', 't1'), t1);
      assert.equal(await git.findCommitByTrailers('g1', 't2'), null);
      assert.equal(await git.findCommitByTrailers('g2', 't1'), null);
      await git.checkoutBranch('goalpost/g2');
      assert.equal(await git.currentBranch(), 'goalpost/g2');
      assert.equal(await git.headSha(), t1, 'a new branch starts at HEAD');
      const t2 = await commitFile('b.txt', 'b\n', `Task two${trailers('g2', 't1')}`);
      assert.equal(await git.findCommitByTrailers('g2', 't1'), t2);
      await git.checkoutBranch('main');
      assert.equal(await git.findCommitByTrailers('g2', 't1'), null, 'not on this branch');
      assert.equal(await read('b.txt'), null, 'the other branch\'s file is not in this tree');
      assert.equal(await git.isDirty(), false);
      await assert.rejects(git.checkoutBranch('bad..name'), /not a valid git branch name/);
    });

    it('restores paths from HEAD: a changed file comes back, a new one goes', async () => {
      await files.writeFile('README.md', 'changed\n');
      await files.writeFile('new.txt', 'new\n');
      await git.restoreFromHead(['README.md', 'new.txt']);
      assert.equal(await read('README.md'), 'hello\n');
      assert.equal(await read('new.txt'), null);
      assert.equal(await git.isDirty(), false);
    });

    it('diffs the working tree against HEAD and against an older commit', async () => {
      const base = await commitFile('a.txt', 'one\n', 'one');
      await files.writeFile('a.txt', 'two\n');
      assert.match(await git.diff(), /-one\n\+two/);
      await git.commit('two');
      assert.equal(await git.diff(), '');
      assert.match(await git.diff(base), /-one\n\+two/);
    });

    it('lists the agent commits of every branch (both trailers), newest first, with parent, subject and date', async () => {
      const plain = await commitFile('x.txt', 'x\n', `No trailers here\n\nGoalpost-Task: t9`);
      const t1 = await commitFile('y.txt', 'y\n', `Task one\n\nWhat it did.${trailers('g1', 't1')}`);
      await git.checkoutBranch('goalpost/g2');
      const t2 = await commitFile('z.txt', 'z\n', `Task two${trailers('g2', 't1')}`);
      await git.checkoutBranch('main');
      const listed = await git.agentCommits();
      assert.deepEqual(listed.map((c) => [c.sha, c.goalId, c.taskId, c.subject, c.parent]), [
        [t2, 'g2', 't1', 'Task two', t1],
        [t1, 'g1', 't1', 'Task one', plain],
      ]);
      for (const c of listed) assert.ok(Number.isFinite(Date.parse(c.at)), `a date: ${c.at}`);
    });

    it('reads a commit: its files with their status, one file\'s diff, and file versions at a ref', async () => {
      const parent = await commitFile('old.txt', 'old\n', 'add old');
      await files.writeFile('README.md', 'hello\nworld\n');
      await files.writeFile('src/a.ts', 'a\n');
      await files.deleteFile('old.txt');
      const sha = await git.commit('change three files');
      assert.ok(sha);
      assert.deepEqual(await git.commitFiles(sha), [
        { path: 'README.md', status: 'M' },
        { path: 'old.txt', status: 'D' },
        { path: 'src/a.ts', status: 'A' },
      ]);
      const diff = await git.commitDiff(sha, 'README.md');
      assert.match(diff, /\+world/);
      assert.deepEqual(parseHunks(diff).map((h) => [h.newStart, h.newCount]), [[1, 2]]);
      assert.equal(await git.showFile(sha, 'src/a.ts'), 'a\n');
      assert.equal(await git.showFile(parent, 'src/a.ts'), null);
      assert.equal(await git.showFile(sha, 'old.txt'), null);
      assert.equal(await git.showFile(parent, 'old.txt'), 'old\n');
      assert.equal(await git.showFile('HEAD', 'README.md'), 'hello\nworld\n');
      await assert.rejects(git.showFile('0123456789abcdef0123456789abcdef01234567', 'README.md'));
    });

    describe('revert', () => {
      let c1: string;
      let c2: string;
      beforeEach(async () => {
        await files.writeFile('BACKLOG.md', 'v1\n');
        c1 = await commitFile('a.txt', 'a\n', `Task one${trailers('g1', 't1')}`);
        await files.writeFile('BACKLOG.md', 'v2\n');
        c2 = await commitFile('b.txt', 'b\n', `Task two${trailers('g1', 't2')}`);
      });

      it('undoes a commit as a new one on top, the kept paths as they were, and knows what reverted what', async () => {
        await files.writeFile('BACKLOG.md', 'v3 from the engine\n');
        const pending = await git.beginRevert(c1, ['BACKLOG.md']);
        assert.equal(await read('a.txt'), null, 'the file the commit added is gone');
        assert.equal(await read('b.txt'), 'b\n', 'the later commit stays');
        assert.equal(await read('BACKLOG.md'), 'v3 from the engine\n', 'the kept file is as it was');
        const revert = await pending.commit(`Revert "Task one"\n\nThis reverts commit ${c1}.`);
        assert.equal(await git.headSha(), revert);
        assert.deepEqual(await git.changedFiles(), []);
        assert.equal(await git.showFile(revert, 'BACKLOG.md'), 'v3 from the engine\n');
        assert.equal(await git.showFile(revert, 'a.txt'), null);
        const reverts = await git.revertsOf();
        assert.equal(reverts.get(c1), revert);
        assert.equal(reverts.has(c2), false);
        assert.deepEqual((await git.agentCommits()).map((c) => c.sha), [c2, c1], 'the revert is no agent commit');
      });

      it('puts everything back on abort', async () => {
        const head = await git.headSha();
        await files.writeFile('BACKLOG.md', 'v3 from the engine\n');
        const pending = await git.beginRevert(c1, ['BACKLOG.md']);
        await pending.abort();
        assert.equal(await git.headSha(), head);
        assert.equal(await read('a.txt'), 'a\n');
        assert.equal(await read('BACKLOG.md'), 'v3 from the engine\n');
        assert.deepEqual(await git.changedFiles(), ['BACKLOG.md']);
      });

      it('refuses a revert that later changes conflict with, changing nothing', async () => {
        await commitFile('a.txt', 'a, changed later\n', 'later change');
        const head = await git.headSha();
        await assert.rejects(git.beginRevert(c1, ['BACKLOG.md']), (e: unknown) => {
          assert.ok(e instanceof RevertConflict, String(e));
          assert.deepEqual(e.paths, ['a.txt']);
          assert.match(e.message, /cannot be reverted cleanly.*a\.txt/);
          return true;
        });
        assert.equal(await git.headSha(), head);
        assert.equal(await read('a.txt'), 'a, changed later\n');
        assert.deepEqual(await git.changedFiles(), []);
      });
    });

    it('stashes the folder\'s changes, untracked files too, but never Goalpost\'s excluded files', async () => {
      assert.equal(await git.stash('nothing'), false);
      await git.ensureExcluded(['.goalpost/']);
      await files.writeFile('.goalpost/goal.json', '{}');
      await files.writeFile('README.md', 'changed\n');
      await files.writeFile('new.txt', 'new\n');
      assert.equal(await git.stash('Goalpost: stashed before goal'), true);
      assert.equal(await read('README.md'), 'hello\n');
      assert.equal(await read('new.txt'), null);
      assert.equal(await read('.goalpost/goal.json'), '{}');
      assert.equal(await git.isDirty(), false);
    });
  });
}
