// Settings a running goal reads live (issue 13), in the real extension host: the status log's path changed in
// the middle of a goal applies to its next status line, with no reload; the sandbox, which the agent must not be
// able to loosen, is pinned for the run (a change applies at the next run) and is a user-level setting only.
// The scripted server holds the actor's second request until the test has changed them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sandboxStatus } from '../../../src/adapters/sandbox';
import type { Goal } from '../../../src/engine/goal';
import { parseStatusLine } from '../../../src/engine/statusLine';
import type { StatusEvent } from '../../../src/engine/ports';
import { byRole, startScriptedServer, toolCall, type ScriptedServer } from '../../support/scriptedServer';
import { goalpostExports, waitFor, workspaceRoot } from '../goalpostExports';
import { testLog } from '../testLog';

const NEW_LOG = 'logs/live-status.log';

function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' });
}

/** The events of `goalId` in the status log at `file` (none when it does not exist). */
function eventsOf(file: string, goalId: string): StatusEvent[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').map(parseStatusLine).filter((e): e is StatusEvent => e?.goalId === goalId);
}

/** A command whose output says how it ran: its PID (small in the sandbox's own PID namespace) and whether .goalpost/ is writable. */
function probe(n: number): string {
  return `echo "probe-${n} pid=$$ state=$(test -w .goalpost && echo writable || echo read-only)"`;
}

describe('settings a running goal reads live', function () {
  this.timeout(120_000);
  let server: ScriptedServer | null = null;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('goalpost');

  after(async () => {
    await server?.close();
    await config().update('sandbox', undefined, vscode.ConfigurationTarget.Global);
    await config().update('statusLogPath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('goalpost.statusLogPath changed mid-goal applies to the next status line without a reload; goalpost.sandbox holds for the run', async () => {
    const api = await goalpostExports();
    const root = workspaceRoot();
    // The suite's settings file must not make the tree dirty (goal.test.ts does the same; this file may run alone).
    const exclude = path.join(root, '.git', 'info', 'exclude');
    if (!fs.readFileSync(exclude, 'utf8').split('\n').includes('.vscode/')) fs.appendFileSync(exclude, '\n.vscode/\n');
    await config().update('iterationDelayMs', 0, vscode.ConfigurationTarget.Workspace);
    await config().update('sandbox', 'workspace-write', vscode.ConfigurationTarget.Global);
    await config().update('statusLogPath', undefined, vscode.ConfigurationTarget.Workspace);

    const roles = byRole({
      planner: [toolCall('submit_plan', {
        tasks: [{ title: 'Write LIVE.md', details: 'Write LIVE.md with one line.', acceptance: 'LIVE.md exists' }],
        validation_commands: [],
      })],
      actor: [
        toolCall('run_command', { command: probe(1) }),
        toolCall('run_command', { command: probe(2) }),
        toolCall('write_file', { path: 'LIVE.md', content: 'Settings apply live.\n' }),
        toolCall('finish_task', { summary: 'Wrote LIVE.md.' }),
      ],
      reviewer: [
        toolCall('submit_review', { verdict: 'approve', summary: 'ok', notes: [] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'The goal is met.', notes: [] }),
      ],
    });
    // The actor's second request (the one that runs probe 2) waits here until the settings are changed.
    let held = false;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let actorRequests = 0;
    server = await startScriptedServer(async (req) => {
      if (req.role === 'actor' && ++actorRequests === 2) {
        held = true;
        await gate;
      }
      return roles(req);
    });
    await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Workspace);

    const started = await vscode.commands.executeCommand<Goal | undefined>('goalpost.setGoal', {
      objective: 'Write a LIVE.md file saying that settings apply live, keeping every test green',
      budget: 500_000,
      startAnyway: true,
    });
    assert.ok(started, 'Set Goal returned no goal');
    try {
      await waitFor('the actor to ask for its second step (probe 1 has run)', () => held, 60_000);
    } catch (e) {
      release();
      throw e;
    }
    const first = /probe-1 pid=(\d+) state=(\S+)/.exec(api.terminalHistory());
    assert.ok(first, `probe 1 ran in the Goalpost terminal:\n${api.terminalHistory().slice(-2000)}`);
    assert.ok(eventsOf(path.join(root, 'goal_status.log'), started.id).length > 0, 'the goal logged to goal_status.log before the change');

    const changedAt = Date.now();
    await config().update('sandbox', 'off', vscode.ConfigurationTarget.Global);
    // A workspace value of the sandbox is refused outright: the agent can write the workspace's files.
    await assert.rejects(Promise.resolve(config().update('sandboxNetwork', true, vscode.ConfigurationTarget.Workspace)), 'a workspace value of goalpost.sandboxNetwork is refused');
    await config().update('statusLogPath', NEW_LOG, vscode.ConfigurationTarget.Workspace);
    const releasedAt = Date.now();
    release();
    const done = await api.whenIdle(root);
    assert.equal(done?.status, 'achieved', `reason: ${done?.reason}`);
    const second = /probe-2 pid=(\d+) state=(\S+)/.exec(api.terminalHistory());
    assert.ok(second, 'probe 2 ran in the Goalpost terminal');

    // The sandbox: both probes ran under workspace-write, the one after the change too (pinned for the run).
    if (sandboxStatus({ mode: 'workspace-write', network: false }).active) {
      assert.equal(first[2], 'read-only', 'in the sandbox, .goalpost/ is read-only to the command');
      assert.ok(Number(first[1]) < 10, `probe 1 ran in the sandbox's own PID namespace (pid ${first[1]})`);
      assert.equal(second[2], 'read-only', 'a sandbox change mid-run does not loosen the running goal');
      assert.ok(Number(second[1]) < 10, `probe 2 ran in the sandbox too (pid ${second[1]})`);
    } else {
      assert.equal(first[2], 'writable');
      testLog('bubblewrap is not usable here: the sandbox half of this test could only check that commands ran plainly');
    }

    // The status log: the lines after the change went to the new path, none of the earlier ones moved.
    const oldEvents = eventsOf(path.join(root, 'goal_status.log'), started.id);
    const newEvents = eventsOf(path.join(root, NEW_LOG), started.id);
    assert.ok(oldEvents.some((e) => e.phase === 'plan'), 'the plan was logged at the old path');
    assert.deepEqual(oldEvents.filter((e) => e.at.getTime() > releasedAt).map((e) => e.message), [], 'nothing after the change went to the old path');
    assert.ok(newEvents.some((e) => /achieved/.test(e.message)), `the end of the goal is in ${NEW_LOG}`);
    assert.deepEqual(newEvents.filter((e) => e.at.getTime() < changedAt).map((e) => e.message), [], 'the new file holds only what came after the change');

    // The moved log stays out of git: not in the task's commit, and the tree is clean.
    const committed = git(root, 'show', '--name-only', '--format=', `goalpost/${started.id}`).trim().split('\n');
    assert.ok(committed.includes('LIVE.md'), `the task's commit has its work: ${committed.join(', ')}`);
    assert.ok(!committed.includes(NEW_LOG), 'the status log is not committed');
    assert.equal(git(root, 'status', '--porcelain').trim(), '', 'the tree is clean after the goal');
  });
});
