// "Revert Commit" without the editor, on a real repository whose commits a real goal loop made (scripted
// model): the revert is a new commit through the folder's one git client, recorded by the engine (a DONE
// note in the goal and BACKLOG.md, a status line the live activity sees), and on any refusal the tree is
// left exactly as it was.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitRepo } from '../../../../src/adapters/gitRepo';
import { NodeWorkspace } from '../../../../src/adapters/nodeWorkspace';
import { listAgentCommits, type AgentCommit } from '../../../../src/adapters/review/agentCommits';
import { revertAgentCommit, revertRefusal, type RevertMessages, type RevertPlace } from '../../../../src/adapters/review/revertCommit';
import { EngineError } from '../../../../src/engine/errors';
import { GoalController } from '../../../../src/engine/loop/controller';
import type { EngineDeps } from '../../../../src/engine/loop/deps';
import { makeDeps, type TestRig } from '../../../support/fakes/makeDeps';
import { MemoryStore } from '../../../support/fakes/memoryStore';
import { SPEC, approve, plan, writeAndFinish } from '../../engine/loop/loopKit';

describe('revertAgentCommit on a real repository', function () {
  this.timeout(60000);
  let tmp: string;
  let root: string;
  let env: NodeJS.ProcessEnv;
  let rig: TestRig;
  let deps: EngineDeps;
  let repo: GitRepo;
  let controller: GoalController;
  let commits: AgentCommit[];

  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, env, encoding: 'utf8' }).trim();
  const read = (rel: string): string | null => (fs.existsSync(path.join(root, rel)) ? fs.readFileSync(path.join(root, rel), 'utf8') : null);
  const place = (): RevertPlace => ({ controller, git: repo, backlogPath: 'BACKLOG.md', folderName: 'repo' });
  const byTitle = (title: string): AgentCommit => {
    const c = commits.find((x) => x.title === title);
    assert.ok(c, `an agent commit "${title}"`);
    return c;
  };
  const rejectsWith = async (p: Promise<unknown>, code: string, message: RegExp): Promise<void> => {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof EngineError, String(e));
      assert.equal(e.code, code);
      assert.match(e.message, message);
      return true;
    });
  };

  beforeEach(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-revert-')));
    root = path.join(tmp, 'repo');
    const home = path.join(tmp, 'home');
    fs.mkdirSync(root);
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n');
    env = { PATH: process.env.PATH, HOME: home, LANG: 'C' };
    git('init', '-q');
    fs.writeFileSync(path.join(root, 'README.md'), '# sample\n');
    git('add', '-A');
    git('commit', '-qm', 'Initial commit');
    rig = await makeDeps();
    repo = new GitRepo(root, { env });
    deps = { ...rig.deps, git: repo, workspace: new NodeWorkspace(root) };
    controller = new GoalController(deps);
    await controller.start({ spec: SPEC, tokenBudget: null, id: 'g1' });
    rig.model.script('planner', plan(['Create greet module', 'Export greet']));
    rig.model.script('actor',
      ...writeAndFinish('src/greet.js', 'exports.greet = (n) => `Hello, ${n}!`;\n', 'Added greet.'),
      ...writeAndFinish('src/index.js', "module.exports = require('./greet');\n", 'Exported greet.'));
    rig.model.script('reviewer', approve('Task 1 is right.'), approve('Task 2 is right.'), approve('Every criterion is met.'));
    rig.runner.on('npm test', { exitCode: 0, output: '2 passing' });
    const goal = await controller.run();
    assert.equal(goal.status, 'achieved', goal.reason ?? '');
    commits = await listAgentCommits(repo, [goal]);
    assert.deepEqual(commits.map((c) => [c.taskId, c.title, c.verdict]), [['t2', 'Export greet', 'approve'], ['t1', 'Create greet module', 'approve']]);
    assert.equal(git('status', '--porcelain'), '');
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reverts as a new commit on top, with a DONE note in the goal and its BACKLOG.md, and a status line the live activity sees', async () => {
    const head = git('rev-parse', 'HEAD');
    const t1 = byTitle('Create greet module');
    const result = await revertAgentCommit(place(), t1);
    assert.equal(git('rev-parse', 'HEAD'), result.revertCommit);
    assert.equal(git('rev-parse', 'HEAD^'), head, 'history is not rewritten');
    assert.match(git('log', '-1', '--format=%B'), new RegExp(`^Revert "Create greet module"\\n\\nThis reverts commit ${t1.sha}\\.`));
    assert.equal(git('status', '--porcelain'), '', 'the tree is clean');
    assert.equal(read('src/greet.js'), null, 'the file the commit added is gone');
    assert.equal(read('src/index.js'), "module.exports = require('./greet');\n", 'the later commit stays');
    const note = controller.goal?.backlog.find((t) => t.id === result.noteTaskId);
    assert.equal(note?.status, 'done');
    assert.match(note?.title ?? '', /^Reverted [0-9a-f]{8} “Create greet module”$/);
    assert.match(git('show', 'HEAD:BACKLOG.md'), /Reverted [0-9a-f]{8} “Create greet module”/, 'the note is in the revert commit\'s BACKLOG.md');
    const line = new RegExp(`commit ${t1.sha.slice(0, 8)} “Create greet module” reverted by the user as ${result.revertCommit.slice(0, 8)}`);
    assert.ok(rig.statusEvents.some((e) => e.goalId === 'g1' && line.test(e.message)), 'the live activity (observer) saw it');
    assert.ok(rig.statusLog.has(line), 'goal_status.log has it');
    const listed = await listAgentCommits(repo, [controller.goal!]);
    assert.equal(listed.find((c) => c.sha === t1.sha)?.revertedBy, result.revertCommit);
    assert.match(revertRefusal(place(), listed.find((c) => c.sha === t1.sha)!)?.message ?? '', /was already reverted by [0-9a-f]{8}/);
  });

  it('refuses a tree with the user\'s changes, naming them, and changes nothing', async () => {
    fs.writeFileSync(path.join(root, 'README.md'), '# edited by the user\n');
    const head = git('rev-parse', 'HEAD');
    await rejectsWith(revertAgentCommit(place(), byTitle('Create greet module')), 'dirty-tree', /repo has uncommitted changes \(README\.md\)/);
    assert.equal(git('rev-parse', 'HEAD'), head);
    assert.equal(git('status', '--porcelain'), 'M README.md');
    assert.ok(read('src/greet.js'));
  });

  it('refuses a hand edit of BACKLOG.md, but takes the engine\'s own change of it (a note sent to the agent) into the revert commit', async () => {
    fs.appendFileSync(path.join(root, 'BACKLOG.md'), '\nmy own line\n');
    await rejectsWith(revertAgentCommit(place(), byTitle('Create greet module')), 'dirty-tree', /BACKLOG\.md/);
    git('checkout', '--', 'BACKLOG.md');
    const sent = await controller.addUserTask({ title: 'Review note: handle an empty name', details: '', acceptance: '' });
    assert.equal(git('status', '--porcelain'), 'M BACKLOG.md');
    const result = await revertAgentCommit(place(), byTitle('Create greet module'));
    assert.equal(git('status', '--porcelain'), '');
    const committed = git('show', `${result.revertCommit}:BACKLOG.md`);
    assert.match(committed, /Review note: handle an empty name/, `${sent.id} survives in the revert commit`);
    assert.match(committed, /Reverted [0-9a-f]{8} “Create greet module”/);
  });

  it('refuses a revert that later changes conflict with, with nothing changed and the engine\'s BACKLOG.md kept', async () => {
    // A later hand commit rewrites the file the first task added.
    fs.writeFileSync(path.join(root, 'src', 'greet.js'), 'exports.greet = (n) => `Hi, ${n}!`;\n');
    git('commit', '-qm', 'Hand change of greet.js', '--', 'src/greet.js');
    await controller.addUserTask({ title: 'Review note: unsaved', details: '', acceptance: '' });
    const backlog = read('BACKLOG.md');
    const head = git('rev-parse', 'HEAD');
    await rejectsWith(revertAgentCommit(place(), byTitle('Create greet module')), 'bad-input', /cannot be reverted cleanly: later changes conflict in src\/greet\.js\. Nothing was changed; revert it by hand/);
    assert.equal(git('rev-parse', 'HEAD'), head);
    assert.equal(read('BACKLOG.md'), backlog, 'the note sent to the agent is not lost');
    assert.equal(git('status', '--porcelain'), 'M BACKLOG.md');
    assert.equal(controller.goal?.backlog.some((t) => /^Reverted/.test(t.title)), false, 'no note of a revert that did not happen');
  });

  it('words every refusal with the caller\'s messages (the editor passes its translations)', async () => {
    const said: RevertMessages = {
      alreadyReverted: (short, title, by) => `«already ${short} ${title} ${by}»`,
      running: (folder) => `«running ${folder}»`,
      dirty: (folder, files, short) => `«dirty ${folder} ${files} ${short}»`,
      conflict: (short, files) => `«conflict ${short} ${files}»`,
      outsideFolder: (short) => `«outside ${short}»`,
      unchanged: (short) => `«unchanged ${short}»`,
      failed: (short, detail) => `«failed ${short} ${detail}»`,
    };
    const translated = (): RevertPlace => ({ ...place(), messages: said });
    const t1 = byTitle('Create greet module');
    const short = t1.sha.slice(0, 8);
    assert.equal(revertRefusal(translated(), { ...t1, revertedBy: '0123456789abcdef' })?.message, `«already ${short} Create greet module 01234567»`);
    fs.writeFileSync(path.join(root, 'README.md'), '# edited by the user\n');
    await rejectsWith(revertAgentCommit(translated(), t1), 'dirty-tree', new RegExp(`^«dirty repo README\\.md ${short}»$`));
    git('checkout', '--', 'README.md');
    fs.writeFileSync(path.join(root, 'src', 'greet.js'), 'exports.greet = (n) => `Hi, ${n}!`;\n');
    git('commit', '-qm', 'Hand change of greet.js', '--', 'src/greet.js');
    await rejectsWith(revertAgentCommit(translated(), t1), 'bad-input', new RegExp(`^«conflict ${short} src/greet\\.js»$`));
  });

  it('reverts in a folder without a goal, logging under the commit\'s goal', async () => {
    const t2 = byTitle('Export greet');
    const bare = new GoalController({ ...deps, store: new MemoryStore() });
    const result = await revertAgentCommit({ ...place(), controller: bare }, t2);
    assert.equal(result.noteTaskId, null);
    assert.equal(read('src/index.js'), null);
    assert.equal(git('status', '--porcelain'), '');
    assert.ok(rig.statusEvents.some((e) => e.goalId === 'g1' && /reverted by the user/.test(e.message)));
  });
});
