// Whole goals inside a real VS Code extension host, driven through the contributed commands, with the
// scripted OpenAI-compatible server playing planner, actor and reviewer over HTTP.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Goal } from '../../../src/engine/goal';
import { byRole, startScriptedServer, toolCall, type ScriptedServer } from '../../support/scriptedServer';
import { goalpostExports, waitFor, workspaceRoot } from '../goalpostExports';
import { testLog } from '../testLog';

const SECRET = 'sk-goalposttest-0123456789abcdefABCDEF';

function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' });
}

/** Every file under `dir` as text (for secret scans). */
function allText(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  let out = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    out += entry.isDirectory() ? allText(p) : fs.readFileSync(p, 'utf8');
  }
  return out;
}

const MULTIPLY_OLD = 'module.exports = { add, divide };';
const MULTIPLY_NEW = 'function multiply(a, b) {\n  return a * b;\n}\n\nmodule.exports = { add, divide, multiply };';

describe('a goal run inside VS Code', function () {
  this.timeout(120_000);
  let server: ScriptedServer | null = null;
  let root: string;

  before(async () => {
    root = workspaceRoot();
    // The suite's settings file must not make the tree dirty.
    fs.appendFileSync(path.join(root, '.git', 'info', 'exclude'), '\n.vscode/\n');
    const config = vscode.workspace.getConfiguration('goalpost');
    await config.update('iterationDelayMs', 0, vscode.ConfigurationTarget.Workspace);
  });

  afterEach(async () => {
    await server?.close();
    server = null;
  });

  async function useServer(script: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
    server = await startScriptedServer(script);
    await vscode.workspace.getConfiguration('goalpost').update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Workspace);
    return server;
  }

  it('runs a goal started with "Goalpost: Set Goal" to achieved: commits, BACKLOG.md, goal_status.log, exact exit codes, no secret anywhere', async () => {
    const api = await goalpostExports();
    await vscode.commands.executeCommand('goalpost.setApiKey', SECRET);
    const srv = await useServer(byRole({
      planner: [
        toolCall('list_files', { path: '.' }),
        toolCall('submit_plan', {
          tasks: [{ title: 'Add multiply to calc', details: 'Add multiply(a, b) to src/calc.js and export it.', acceptance: 'multiply(2, 3) === 6' }],
          validation_commands: [],
        }),
      ],
      actor: [
        toolCall('run_command', { command: 'node -e "process.exit(42)"' }),
        toolCall('edit_file', { path: 'src/calc.js', old_text: MULTIPLY_OLD, new_text: MULTIPLY_NEW }),
        toolCall('finish_task', { summary: 'Added multiply and exported it.' }),
      ],
      reviewer: [
        toolCall('submit_review', { verdict: 'approve', summary: 'Correct and small.', notes: [{ path: 'src/calc.js', line: 13, severity: 'info', message: 'Consider a test for multiply.' }] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'The goal is met.', notes: [] }),
      ],
    }));

    const started = await vscode.commands.executeCommand<Goal | undefined>('goalpost.setGoal', {
      objective: 'Add a multiply(a, b) function to src/calc.js and export it, keeping every test green',
      budget: 500_000,
      startAnyway: true,
    });
    assert.ok(started, 'Set Goal returned no goal');
    assert.equal(started.status, 'pursuing');
    const goal = await api.whenIdle(root);
    assert.ok(goal);
    assert.equal(goal.status, 'achieved', `reason: ${goal.reason}`);
    assert.match(goal.reason ?? '', /Verified/);
    assert.deepEqual(goal.validation.commands, ['npm test']);

    // One commit per task, with the trailers, on the goal's branch.
    const log = git(root, 'log', '--format=%s%n%b%x00', `goalpost/${goal.id}`);
    assert.match(log, /Add multiply to calc/);
    assert.match(log, new RegExp(`Goalpost-Goal: ${goal.id}`));
    assert.match(log, /Goalpost-Task: t1/);
    assert.equal(git(root, 'status', '--porcelain').trim(), '', 'the tree is clean after the goal');
    assert.match(fs.readFileSync(path.join(root, 'src', 'calc.js'), 'utf8'), /function multiply/);

    const backlog = fs.readFileSync(path.join(root, 'BACKLOG.md'), 'utf8');
    assert.match(backlog, /## DONE \(1\)/);
    assert.match(backlog, /Add multiply to calc/);
    const statusLog = fs.readFileSync(path.join(root, 'goal_status.log'), 'utf8');
    for (const phase of ['plan', 'act', 'test', 'review', 'iterate']) assert.match(statusLog, new RegExp(`\\s${phase}\\s`), `goal_status.log has a ${phase} line`);
    assert.match(statusLog, /achieved/);

    // The terminal showed the agent's failing command with its exact exit code, and the model was told.
    assert.match(api.terminalHistory(), /\$ node -e "process\.exit\(42\)"/);
    assert.match(api.terminalHistory(), /exit 42/);
    const toolResults = srv.requests.flatMap((r) => r.body.messages).filter((m) => m.role === 'tool').map((m) => String(m.content));
    assert.ok(toolResults.some((c) => /"exit_code":42/.test(c)), 'the model read exit_code 42');

    // The key was used on the wire, and appears nowhere at rest.
    assert.ok(srv.requests.some((r) => String(r.headers.authorization ?? '') === `Bearer ${SECRET}`), 'the key was sent to the endpoint');
    assert.ok(!allText(path.join(root, '.goalpost')).includes(SECRET), 'no secret under .goalpost/');
    assert.ok(!fs.readFileSync(path.join(root, 'goal_status.log'), 'utf8').includes(SECRET), 'no secret in goal_status.log');
    assert.ok(!git(root, 'log', '--all', '-p').includes(SECRET), 'no secret in commits');
    assert.ok(!JSON.stringify(api.workspaceStateDump()).includes(SECRET), 'no secret in workspaceState');
    assert.ok(JSON.stringify(api.workspaceStateDump()).includes(goal.id), 'the goal record lives in workspaceState');
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('goalpost')).includes(SECRET), 'no secret in settings');

    // Open Report: the goal's Markdown report in an editor, the same page as `goalpost report`.
    const page = await vscode.commands.executeCommand<string | undefined>('goalpost.openReport', root);
    assert.ok(page, 'a report was opened');
    assert.match(page, new RegExp(`^# Goalpost report: goal ${goal.id.replace(/[.]/g, '\\.')}$`, 'm'));
    assert.match(page, /\*\*Outcome:\*\* achieved/);
    assert.match(page, /Add multiply to calc/);
    assert.ok(vscode.workspace.textDocuments.some((d) => d.languageId === 'markdown' && d.getText() === page), 'open in an editor');
    assert.ok(!page.includes(SECRET), 'no secret in the report');
  });

  it('pauses within a second while a command runs, then resumes the same task to achieved without a duplicate commit', async () => {
    const api = await goalpostExports();
    const srv = await useServer(byRole({
      planner: [toolCall('submit_plan', {
        tasks: [{ title: 'Add square to calc', details: 'Add square(x).', acceptance: 'square(3) === 9' }],
        validation_commands: [],
      })],
      actor: [
        toolCall('run_command', { command: 'sleep 30' }),
        // After resume: the same attempt continues.
        toolCall('edit_file', { path: 'src/calc.js', old_text: 'module.exports = { add, divide, multiply };', new_text: 'function square(x) {\n  return x * x;\n}\n\nmodule.exports = { add, divide, multiply, square };' }),
        toolCall('finish_task', { summary: 'Added square.' }),
      ],
      reviewer: [
        toolCall('submit_review', { verdict: 'approve', summary: 'ok', notes: [] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'done', notes: [] }),
      ],
    }));
    const started = await vscode.commands.executeCommand<Goal | undefined>('goalpost.setGoal', {
      objective: 'Add a square(x) function to src/calc.js and export it, keeping every test green',
      budget: 500_000,
      startAnyway: true,
    });
    assert.ok(started);
    await waitFor('the sleep command to start in the Goalpost terminal', () => /\$ sleep 30/.test(api.terminalHistory()));
    const t0 = Date.now();
    await vscode.commands.executeCommand('goalpost.pause', root);
    const paused = await waitFor('paused', () => {
      const g = api.getGoal(root);
      return g?.status === 'paused' ? g : undefined;
    }, 5000);
    const elapsed = Date.now() - t0;
    // A soft stop, not a wait for the 30 s command (the 1 s figure is bench/pauseLatency.ts's, not a timed test).
    assert.ok(elapsed < 10_000, `paused in ${elapsed} ms`);
    assert.equal(paused.reason, 'Paused by the user.');
    const t1 = paused.backlog.find((t) => t.title === 'Add square to calc');
    assert.ok(t1);
    assert.equal(t1.status, 'in-progress', 'the task stays in progress');
    assert.equal(t1.attempts[0].outcome, 'interrupted');

    await vscode.commands.executeCommand('goalpost.resume', root);
    const done = await api.whenIdle(root);
    assert.equal(done?.status, 'achieved', `reason: ${done?.reason}`);
    const task = done!.backlog.find((t) => t.title === 'Add square to calc')!;
    assert.deepEqual(task.attempts.map((a) => [a.n, a.outcome]), [[1, 'finished']], 'the pause added no attempt: attempt 1 continued after the resume');
    const trailers = git(root, 'log', '--format=%(trailers:key=Goalpost-Goal,valueonly)%(trailers:key=Goalpost-Task,valueonly)', `goalpost/${done!.id}`)
      .split('\n').filter((l) => l.includes(done!.id));
    assert.equal(trailers.length, new Set(trailers).size, 'no task committed twice');
    assert.equal(trailers.length, 1);
    assert.ok(srv.requests.length > 0);
  });

  it('"Edit Goal" on a multi-line objective opens it in an editor with its lines; saving keeps the line breaks, and the agent is told', async () => {
    const api = await goalpostExports();
    const original = 'Add a cube(x) function to src/cube.js and export it.\nKeep every existing test green.\nDo not touch README.md.';
    const edited = 'Add a cube(x) function to src/cube.js and export it.\nIt must also accept negative numbers.\nKeep every existing test green.';
    const srv = await useServer(byRole({
      planner: [toolCall('submit_plan', {
        tasks: [{ title: 'Add cube', details: 'Add src/cube.js with cube(x).', acceptance: 'cube(-2) === -8' }],
        validation_commands: [],
      })],
      actor: [
        // A command long enough to pause in (a length no other test uses, so the wait below is about this one).
        toolCall('run_command', { command: 'sleep 31.25' }),
        toolCall('write_file', { path: 'src/cube.js', content: "'use strict';\n\nfunction cube(x) {\n  return x * x * x;\n}\n\nmodule.exports = { cube };\n" }),
        toolCall('finish_task', { summary: 'Added cube.' }),
      ],
      reviewer: [
        toolCall('submit_review', { verdict: 'approve', summary: 'ok', notes: [] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'done', notes: [] }),
      ],
    }));
    const started = await vscode.commands.executeCommand<Goal | undefined>('goalpost.setGoal', { objective: original, budget: 500_000, startAnyway: true });
    assert.equal(started?.spec.objective, original, 'the objective keeps its lines');
    await waitFor('the sleep command to start in the Goalpost terminal', () => /\$ sleep 31\.25/.test(api.terminalHistory()));
    await vscode.commands.executeCommand('goalpost.pause', root);
    await waitFor('paused', () => api.getGoal(root)?.status === 'paused', 10_000);

    // Edit Goal: the objective opens in an editor (not a one-line input box), one line per line.
    void vscode.commands.executeCommand('goalpost.editGoal', root);
    const isObjectiveFile = (e: vscode.TextEditor | undefined): boolean => e?.document.uri.fsPath === path.join(root, '.goalpost', 'objective.md');
    const editor = await waitFor('the objective in an editor', () => (isObjectiveFile(vscode.window.activeTextEditor) ? vscode.window.activeTextEditor : undefined), 10_000)
      .catch(async (e: unknown) => {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        throw e;
      });
    const doc = editor.document;
    assert.match(doc.lineAt(0).text, /^<!-- Goalpost: edit the objective below, then save/);
    assert.deepEqual([1, 2, 3].map((n) => doc.lineAt(n).text), original.split('\n'), 'each line of the objective on its own editor line');

    // Change the middle line and save: the goal takes the new objective with the same line breaks.
    const ok = await editor.edit((b) => b.replace(new vscode.Range(doc.lineAt(1).range.start, doc.lineAt(3).range.end), edited));
    assert.ok(ok, 'the edit applied');
    assert.ok(await doc.save(), 'the document saved');
    const changed = await waitFor('the edited objective in the goal', () => {
      const g = api.getGoal(root);
      return g?.spec.objective === edited ? g : undefined;
    });
    assert.equal(changed.previousObjective, original);
    // The message follows the goal's save and its status line: wait for it, do not read it once.
    await waitFor('the user is told the objective was updated', () => api.ui.shown.some((m) => /objective updated/.test(m.text)));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // The next turn is told the new objective, lines intact (no glued words such as "it.It").
    const before = srv.requests.length;
    await vscode.commands.executeCommand('goalpost.resume', root);
    const done = await api.whenIdle(root);
    assert.equal(done?.status, 'achieved', `reason: ${done?.reason}`);
    assert.equal(done?.spec.objective, edited);
    const told = srv.requests.slice(before).flatMap((r) => r.body.messages).map((m) => typeof m.content === 'string' ? m.content : JSON.stringify(m.content));
    assert.ok(told.some((c) => c.includes('The objective has changed') && c.includes(edited) && c.includes(original)), 'a request after the edit carried the new and the previous objective, line breaks kept');
  });
});

describe('settings and the status bar', function () {
  this.timeout(30_000);

  it('a bad setting value is named in a message and its default is used; a change applies without a restart', async () => {
    const api = await goalpostExports();
    const config = vscode.workspace.getConfiguration('goalpost');
    await config.update('maxAttemptsPerTask', 0, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('goalpost.openLog', workspaceRoot());
    const message = await waitFor('the settings warning', () => api.ui.shown.find((m) => /goalpost\.maxAttemptsPerTask/.test(m.text)));
    assert.match(message.text, /default is used/);
    await config.update('maxAttemptsPerTask', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('"Set Goal from File" refuses a goal file that is not valid UTF-8, naming the byte offset', async () => {
    const api = await goalpostExports();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-latin1-'));
    const file = path.join(dir, 'GOAL.md');
    // "Caf\xE9" in Latin-1: byte 15 is 0xE9, not UTF-8.
    fs.writeFileSync(file, Buffer.concat([Buffer.from('Add a greeting '), Buffer.from([0xe9]), Buffer.from(' to the menu page.\n')]));
    try {
      const before = api.getGoal(workspaceRoot())?.id ?? null;
      const result = await vscode.commands.executeCommand('goalpost.setGoalFromFile', vscode.Uri.file(file));
      assert.equal(result, undefined);
      const message = await waitFor('the UTF-8 refusal', () => api.ui.shown.find((m) => /not valid UTF-8/.test(m.text)));
      assert.match(message.text, /offset 15 \(0xE9\)/);
      assert.equal(api.getGoal(workspaceRoot())?.id ?? null, before, 'no goal was started');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the last goal\'s state and tokens in the status bar, and activation was light', async () => {
    const api = await goalpostExports();
    const goal = api.getGoal(workspaceRoot());
    assert.ok(goal);
    assert.match(api.statusBarText(), new RegExp(`Goalpost: ${goal.status}`));
    assert.match(api.statusBarText(), /\d+(\.\d)?k?\/500k/);
    assert.ok(api.activationMs >= 0);
    testLog(`activation took ${api.activationMs} ms`);
  });
});
