// Inline review of agent commits in a real extension host: a goal run by the CLI and a goal run by the
// extension (both against the scripted model) leave real commits and review notes; the review lists
// them, opens one as a multi-file diff of goalpost-git: resources with the notes as comment threads, and
// its actions send a note to the agent and revert a commit.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentCommit } from '../../../src/adapters/review/agentCommits';
import type { CommitReviewSummary } from '../../../src/vscode/review/openReview';
import type { NoteThreadInfo } from '../../../src/vscode/review/reviewThreads';
import type { RevertResult } from '../../../src/vscode/review/revertCommit';
import type { SentNote } from '../../../src/vscode/review/sendToAgent';
import { byRole, startScriptedServer, toolCall, type ScriptedServer } from '../../support/scriptedServer';
import { goalpostExports, workspaceRoot } from '../goalpostExports';

function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' });
}

/** `git show ref:path`, or '' when the file does not exist at ref. */
function gitShow(root: string, ref: string, file: string): string {
  try {
    return execFileSync('git', ['show', `${ref}:${file}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

const EXPORT_OLD = 'module.exports = { add, divide };';
const EXPORT_NEW = 'function multiply(a, b) {\n  return a * b;\n}\n\nmodule.exports = { add, divide, multiply };';
const MULTIPLY_TEST = "'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { multiply } = require('../src/calc');\n\ntest('multiply multiplies', () => {\n  assert.equal(multiply(2, 3), 6);\n});\n";

/** Runs `goalpost run` (the built CLI) in root against the scripted server; resolves to its exit code and output. */
function runCli(root: string, baseUrl: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const extension = vscode.extensions.getExtension('goalpost.goalpost');
  assert.ok(extension);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OPENAI_') && !k.startsWith('GOALPOST_') && !k.startsWith('VSCODE_') && !k.startsWith('ELECTRON_')) env[k] = v;
  env.OPENAI_BASE_URL = baseUrl;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(extension.extensionPath, 'dist', 'cli.js'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('inline review of agent commits', function () {
  this.timeout(180_000);
  let root: string;
  const servers: ScriptedServer[] = [];
  let commits: AgentCommit[] = [];
  let review: CommitReviewSummary;

  before(async () => {
    root = workspaceRoot();
    fs.appendFileSync(path.join(root, '.git', 'info', 'exclude'), '\n.vscode/\n');
    const api = await goalpostExports();

    // 1. A goal run by the CLI in the same folder: one commit, one review note, left in .goalpost/.
    const cliServer = await startScriptedServer(byRole({
      planner: [toolCall('submit_plan', { tasks: [{ title: 'Write NOTES.md', details: 'Short notes on calc.', acceptance: 'NOTES.md exists' }], validation_commands: [] })],
      actor: [toolCall('write_file', { path: 'NOTES.md', content: '# Notes\n\ncalc has add and divide.\n' }), toolCall('finish_task', { summary: 'Wrote the notes.' })],
      reviewer: [
        toolCall('submit_review', { verdict: 'approve', summary: 'Fine.', notes: [{ path: 'NOTES.md', line: 3, severity: 'info', message: 'Mention multiply once it exists.' }] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'Goal met.', notes: [] }),
      ],
    }));
    servers.push(cliServer);
    const cli = await runCli(root, cliServer.baseUrl, ['run', 'Write NOTES.md with short notes about the calc module', '--goal-id', 'cli-goal', '--budget', '500000', '--iteration-delay-ms', '0', '--sandbox', 'off']);
    assert.equal(cli.code, 0, `the CLI goal did not reach achieved:\n${cli.output}`);

    // 2. A goal run by the extension: two tasks, the first with notes on a changed line, an unchanged
    // line and a file the commit did not touch.
    const server = await startScriptedServer(byRole({
      planner: [toolCall('submit_plan', {
        tasks: [
          { title: 'Add multiply to calc', details: 'Add multiply(a, b) and document it.', acceptance: 'multiply(2, 3) === 6' },
          { title: 'Test multiply', details: 'Add test/multiply.test.js.', acceptance: 'npm test runs it' },
        ],
        validation_commands: [],
      })],
      actor: [
        toolCall('edit_file', { path: 'src/calc.js', old_text: EXPORT_OLD, new_text: EXPORT_NEW }),
        toolCall('write_file', { path: 'docs/math.md', content: '# Math\n\nmultiply(a, b) returns a * b.\n' }),
        toolCall('finish_task', { summary: 'Added multiply and its doc.' }),
        toolCall('write_file', { path: 'test/multiply.test.js', content: MULTIPLY_TEST }),
        toolCall('finish_task', { summary: 'Tested multiply.' }),
      ],
      reviewer: [
        toolCall('submit_review', {
          verdict: 'approve', summary: 'Small and correct.', notes: [
            { path: 'src/calc.js', line: 13, severity: 'warning', message: 'multiply should reject non-numbers like divide rejects zero.' },
            { path: 'src/calc.js', line: 3, severity: 'info', message: 'add could share the argument check.' },
            { path: 'README.md', line: 2, severity: 'info', message: 'The README should list multiply.' },
          ],
        }),
        toolCall('submit_review', { verdict: 'approve', summary: 'Good test.', notes: [{ path: 'test/multiply.test.js', line: 7, severity: 'info', message: 'Also test a negative factor.' }] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'The goal is met.', notes: [] }),
      ],
    }));
    servers.push(server);
    const config = vscode.workspace.getConfiguration('goalpost');
    await config.update('iterationDelayMs', 0, vscode.ConfigurationTarget.Workspace);
    await config.update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Workspace);
    // A user-level setting only (machine scope): the agent can write the workspace's settings file.
    await config.update('sandbox', 'off', vscode.ConfigurationTarget.Global);
    api.ui.answerNext(/without a sandbox/, undefined);
    await api.setGoal({ folder: root, objective: 'Add a multiply(a, b) function to src/calc.js with a test, keeping every test green', budget: 500_000, goalId: 'ext-goal' });
    const goal = await api.whenIdle(root);
    assert.equal(goal?.status, 'achieved', `reason: ${goal?.reason}`);
    assert.equal(git(root, 'status', '--porcelain').trim(), '', 'the goals leave a clean tree');
  });

  after(async () => {
    for (const s of servers) await s.close();
    await vscode.workspace.getConfiguration('goalpost').update('sandbox', undefined, vscode.ConfigurationTarget.Global);
  });

  it('lists the agent commits of the editor goal and of the CLI goal, newest first, with task title, time, files and verdict', async () => {
    commits = (await vscode.commands.executeCommand<AgentCommit[]>('goalpost.listAgentCommits', root)) ?? [];
    assert.deepEqual(commits.map((c) => [c.goalId, c.taskId, c.title]), [
      ['ext-goal', 't2', 'Test multiply'],
      ['ext-goal', 't1', 'Add multiply to calc'],
      ['cli-goal', 't1', 'Write NOTES.md'],
    ]);
    const shas = git(root, 'log', '--all', '--format=%H', '--grep=Goalpost-Task:').trim().split('\n');
    assert.deepEqual(commits.map((c) => c.sha), shas, 'the same commits git finds by their trailers, in git\'s order');
    assert.deepEqual(commits[1].filesChanged, ['BACKLOG.md', 'docs/math.md', 'src/calc.js']);
    assert.deepEqual(commits.map((c) => c.verdict), ['approve', 'approve', 'approve']);
    assert.deepEqual(commits.map((c) => c.noteCount), [1, 3, 1], 'the CLI goal\'s note is read from .goalpost/history');
    assert.ok(fs.existsSync(path.join(root, '.goalpost', 'history', 'cli-goal.json')), 'the CLI goal went to history when the editor goal started');
    for (const c of commits) assert.ok(Math.abs(Date.now() - Date.parse(c.at)) < 10 * 60_000, `a real time: ${c.at}`);
    assert.equal(commits[1].parent, git(root, 'rev-parse', `${commits[1].sha}^`).trim());
  });

  it('opens a commit as a multi-file diff of goalpost-git: resources whose contents are the parent\'s and the commit\'s', async () => {
    const t1 = commits[1];
    review = (await vscode.commands.executeCommand<CommitReviewSummary>('goalpost.reviewCommits', root, t1.sha.slice(0, 10)))!;
    assert.ok(review, 'reviewCommits with a sha returns what it opened');
    assert.equal(review.commit.sha, t1.sha);
    // The work first, Goalpost's BACKLOG.md last. The editor goal branched from main (the user's branch),
    // not from the CLI goal's branch, so its BACKLOG.md is new there.
    assert.deepEqual(review.resources.map((r) => [r.path, r.status]), [['docs/math.md', 'A'], ['src/calc.js', 'M'], ['BACKLOG.md', 'A']]);
    for (const r of review.resources) {
      const original = vscode.Uri.parse(r.original);
      const modified = vscode.Uri.parse(r.modified);
      assert.equal(original.scheme, 'goalpost-git');
      assert.equal(modified.scheme, 'goalpost-git');
      const before = (await vscode.workspace.openTextDocument(original)).getText();
      const after = (await vscode.workspace.openTextDocument(modified)).getText();
      assert.equal(before, gitShow(root, `${t1.sha}^`, r.path), `${r.path}: the original side is the parent's version`);
      assert.equal(after, gitShow(root, t1.sha, r.path), `${r.path}: the modified side is the commit's version`);
    }
    assert.equal((await vscode.workspace.openTextDocument(vscode.Uri.parse(review.resources[0].original))).getText(), '', 'an added file has an empty original side');
    assert.match((await vscode.workspace.openTextDocument(vscode.Uri.parse(review.resources[1].modified))).getText(), /function multiply/);
    // The changes editor shows the review.
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.match(tab?.label ?? '', /Review: Add multiply to calc/);
    // Nothing was written into the workspace to show it.
    assert.equal(git(root, 'status', '--porcelain').trim(), '');
  });

  it('puts the reviewer\'s notes on the modified side: on their own changed line, else on line 1 naming the original place', () => {
    const byMessage = (m: RegExp): NoteThreadInfo => {
      const t = review.threads.find((x) => m.test(x.message));
      assert.ok(t, `a thread for ${m}`);
      return t;
    };
    assert.equal(review.threads.length, 3);
    const calcUri = review.resources.find((r) => r.path === 'src/calc.js')!.modified;
    const onLine = byMessage(/reject non-numbers/);
    assert.deepEqual([onLine.path, onLine.line, onLine.onOwnLine, onLine.severity, onLine.uri], ['src/calc.js', 13, true, 'warning', calcUri]);
    const moved = byMessage(/share the argument check/);
    assert.deepEqual([moved.path, moved.line, moved.onOwnLine], ['src/calc.js', 1, false]);
    assert.match(moved.movedBecause ?? '', /Originally on line 3/);
    const otherFile = byMessage(/README should list/);
    assert.deepEqual([otherFile.path, otherFile.line, otherFile.onOwnLine], ['src/calc.js', 1, false]);
    assert.match(otherFile.movedBecause ?? '', /About README\.md, line 2/);
  });

  it('Resolve marks a thread resolved and it stays resolved when the commit is opened again', async () => {
    const target = review.threads.find((t) => /share the argument check/.test(t.message))!;
    const resolved = await vscode.commands.executeCommand<NoteThreadInfo>('goalpost.resolveReviewNote', target.id);
    assert.equal(resolved?.resolved, true);
    const again = (await vscode.commands.executeCommand<CommitReviewSummary>('goalpost.reviewCommits', root, review.commit.sha))!;
    assert.deepEqual(again.threads.filter((t) => t.resolved).map((t) => t.id), [target.id]);
    const reopened = await vscode.commands.executeCommand<NoteThreadInfo>('goalpost.reopenReviewNote', target.id);
    assert.equal(reopened?.resolved, false);
    review = again;
  });

  it('Send to agent adds a TODO task carrying the file, the lines, the hunk and the note to the backlog and BACKLOG.md', async () => {
    const api = await goalpostExports();
    const target = review.threads.find((t) => /reject non-numbers/.test(t.message))!;
    // The goal is achieved: the user is offered to resume it so the agent takes the note up (not now).
    api.ui.answerNext(/resume it so the agent works on the note/, 'Not Now');
    const sent = await vscode.commands.executeCommand<SentNote>('goalpost.sendReviewNoteToAgent', target.id);
    assert.ok(sent, 'the command returns the new task');
    const goal = api.getGoal(root)!;
    const task = goal.backlog.find((t) => t.id === sent.taskId);
    assert.ok(task, 'the task is in the goal\'s backlog');
    assert.equal(task.status, 'todo');
    assert.equal(task.source, 'user');
    assert.match(task.title, /multiply should reject non-numbers.*\(src\/calc\.js:13\)/);
    assert.match(task.details, /File: src\/calc\.js, lines 9–16 \(the note is on line 13\)/);
    assert.match(task.details, /\+function multiply\(a, b\) \{/, 'the hunk is carried');
    assert.match(task.details, /Reviewer's note: multiply should reject non-numbers/);
    assert.match(task.details, new RegExp(`commit ${review.commit.sha.slice(0, 8)}`));
    const backlog = fs.readFileSync(path.join(root, 'BACKLOG.md'), 'utf8');
    const todo = backlog.slice(backlog.indexOf('## TODO'), backlog.indexOf('## IN PROGRESS'));
    assert.match(todo, /Review note: multiply should reject non-numbers/, 'BACKLOG.md lists it under TODO');
    const offer = api.ui.shown.find((m) => /task t\d+ in the backlog\. The goal is achieved: resume it/.test(m.text));
    assert.ok(offer, 'the user is offered to resume the achieved goal');
    assert.deepEqual(offer.actions, ['Resume', 'Not Now']);
    assert.equal(sent.resumed, false);
    assert.equal(api.getGoal(root)?.status, 'achieved', 'not resumed without a yes');
    const threads = (await vscode.commands.executeCommand<CommitReviewSummary>('goalpost.reviewCommits', root, review.commit.sha))!.threads;
    assert.equal(threads.find((t) => t.id === target.id)?.sentAs, sent.taskId, 'the thread shows where the note went');
  });

  it('Revert Commit asks first, then makes a new revert commit, records it in goal_status.log and the backlog, and leaves the tree clean', async () => {
    const api = await goalpostExports();
    const t1 = commits[1];
    const head = git(root, 'rev-parse', 'HEAD').trim();
    api.ui.answerNext(/^Revert commit/, undefined);
    const declined = await vscode.commands.executeCommand<RevertResult | undefined>('goalpost.revertCommit', root, t1.sha);
    assert.equal(declined, undefined);
    assert.equal(git(root, 'rev-parse', 'HEAD').trim(), head, 'nothing happens without confirmation');

    api.ui.answerNext(/^Revert commit/, 'Revert Commit');
    const activity: string[] = [];
    const listening = api.onDidLogStatus((e) => activity.push(e.line));
    let result: RevertResult;
    try {
      result = await vscode.commands.executeCommand<RevertResult>('goalpost.revertCommit', root, t1.sha);
    } finally {
      listening.dispose();
    }
    assert.ok(result, 'the revert ran');
    assert.ok(api.ui.shown.some((m) => /^Revert commit .*Add multiply to calc/.test(m.text) && m.answer === 'Revert Commit'), 'a confirmation was asked');
    assert.equal(git(root, 'rev-parse', 'HEAD').trim(), result.revertCommit);
    assert.equal(git(root, 'rev-parse', 'HEAD^').trim(), head, 'a new commit on top: history is not rewritten');
    assert.match(git(root, 'log', '-1', '--format=%B'), new RegExp(`^Revert "Add multiply to calc"\\n\\nThis reverts commit ${t1.sha}\\.`));
    assert.equal(git(root, 'status', '--porcelain').trim(), '', 'the tree is clean');
    assert.equal(fs.readFileSync(path.join(root, 'src', 'calc.js'), 'utf8'), gitShow(root, `${t1.sha}^`, 'src/calc.js'), 'calc.js is back to before the commit');
    assert.ok(!fs.existsSync(path.join(root, 'docs', 'math.md')), 'the added file is gone');
    assert.ok(fs.existsSync(path.join(root, 'test', 'multiply.test.js')), 'the later commit stays');
    const logged = new RegExp(`commit ${t1.sha.slice(0, 8)} .*reverted by the user as ${result.revertCommit.slice(0, 8)}`);
    assert.match(fs.readFileSync(path.join(root, 'goal_status.log'), 'utf8'), logged);
    assert.ok(activity.some((l) => logged.test(l)), `the panel's activity feed got the line: ${activity.join(' | ')}`);
    const goal = api.getGoal(root)!;
    const note = goal.backlog.find((t) => t.id === result.noteTaskId);
    assert.equal(note?.status, 'done');
    assert.match(note?.title ?? '', /Reverted [0-9a-f]{8} “Add multiply to calc”/);
    const committedBacklog = gitShow(root, 'HEAD', 'BACKLOG.md');
    assert.match(committedBacklog, /Reverted [0-9a-f]{8} “Add multiply to calc”/, 'the note is in the revert commit\'s BACKLOG.md');
    assert.match(committedBacklog, /Review note: multiply should reject non-numbers/, 'the note sent to the agent before survives');
    const listed = (await vscode.commands.executeCommand<AgentCommit[]>('goalpost.listAgentCommits', root))!;
    assert.equal(listed.find((c) => c.sha === t1.sha)?.revertedBy, result.revertCommit, 'the list shows the commit as reverted');
  });
});
