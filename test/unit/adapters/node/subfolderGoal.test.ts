// A goal in a subfolder of a repository gets one answer to "are there uncommitted changes?" in the editor
// and the CLI: Set Goal asks `GoalController.hasUncommittedChanges` (through the folder's one GitRepo), and
// `start`, which the CLI's `goalpost run` calls, refuses a dirty tree with the very same check. Before, the
// editor asked `git status` of the whole repository, so a change next to the subfolder (or Goalpost's own
// files) made it ask about a dirty tree the CLI never saw.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitRepo } from '../../../../src/adapters/gitRepo';
import { NodeWorkspace } from '../../../../src/adapters/nodeWorkspace';
import { EngineError } from '../../../../src/engine/errors';
import { GoalController } from '../../../../src/engine/loop/controller';
import { makeDeps } from '../../../support/fakes/makeDeps';
import { SPEC } from '../../engine/loop/loopKit';

describe('a subfolder goal: one dirty check for Set Goal and the CLI', function () {
  this.timeout(30000);
  let tmp: string;
  let top: string;
  let pkg: string;
  let env: NodeJS.ProcessEnv;
  let repo: GitRepo;
  let controller: GoalController;

  const git = (...args: string[]): string => execFileSync('git', args, { cwd: top, env, encoding: 'utf8' }).trim();
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(top, rel)), { recursive: true });
    fs.writeFileSync(path.join(top, rel), text);
  };
  const start = (): Promise<unknown> => controller.start({ spec: SPEC, tokenBudget: null, id: 'g1' });

  beforeEach(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-subfolder-')));
    top = path.join(tmp, 'repo');
    pkg = path.join(top, 'pkg');
    const home = path.join(tmp, 'home');
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n');
    env = { PATH: process.env.PATH, HOME: home, LANG: 'C' };
    fs.mkdirSync(top);
    git('init', '-q');
    write('README.md', '# top\n');
    write('pkg/index.js', 'module.exports = 1;\n');
    write('other/x.txt', 'x\n');
    git('add', '-A');
    git('commit', '-qm', 'Initial commit');
    const rig = await makeDeps();
    repo = new GitRepo(pkg, { env });
    controller = new GoalController({ ...rig.deps, git: repo, workspace: new NodeWorkspace(pkg) });
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('does not count changes beside the subfolder, nor Goalpost\'s own files: Set Goal asks nothing and the goal starts', async () => {
    write('README.md', '# top, edited\n');
    write('other/new.txt', 'new\n');
    write('pkg/.goalpost/leftover.json', '{}');
    write('pkg/goal_status.log', 'an old line\n');
    write('pkg/BACKLOG.md', '# an earlier goal\'s backlog\n');
    assert.notEqual(git('status', '--porcelain'), '', 'the repository as a whole is dirty (what the editor used to ask)');
    assert.equal(await controller.hasUncommittedChanges(), false, 'Set Goal\'s question');
    await start();
    assert.equal(controller.goal?.status, 'pursuing', 'the CLI\'s start agrees');
    assert.match(git('status', '--porcelain'), /README\.md[\s\S]*other\/new\.txt/, 'the changes beside the subfolder are left alone');
  });

  it('counts a change inside the subfolder for both, and the stash puts aside only the subfolder\'s changes', async () => {
    write('pkg/index.js', 'module.exports = 2;\n');
    write('pkg/new.txt', 'new\n');
    write('README.md', '# top, edited\n');
    assert.equal(await controller.hasUncommittedChanges(), true, 'Set Goal asks');
    await assert.rejects(start(), (e: unknown) => e instanceof EngineError && e.code === 'dirty-tree', 'the CLI refuses');
    assert.equal(await repo.stash('Goalpost: stashed before goal'), true);
    assert.equal(fs.readFileSync(path.join(pkg, 'index.js'), 'utf8'), 'module.exports = 1;\n');
    assert.equal(fs.existsSync(path.join(pkg, 'new.txt')), false);
    assert.equal(fs.readFileSync(path.join(top, 'README.md'), 'utf8'), '# top, edited\n', 'outside the folder nothing is stashed');
    assert.match(git('stash', 'list'), /Goalpost: stashed before goal/);
    assert.equal(await controller.hasUncommittedChanges(), false);
    await start();
    assert.equal(controller.goal?.status, 'pursuing');
  });
});
