// Stopping a running goal from outside: Ctrl+C (SIGINT) saves the session and exits 130, and
// `goalpost pause` from another process stops it within a second (exit 4). Both leave a goal that
// `run --resume` continues without redoing finished work.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StatusJson } from '../../src/cli/statusJson';
import { byRole, startScriptedServer, toolCall, type ScriptedServer } from '../support/scriptedServer';
import { killAll } from '../support/processes';
import {
  useBuiltCli, cliEnv, commitsPerTask, FAST, makeRepo, processesMatching, processRunning, readGoal, runCli, startCli, task, uniqueSleep, waitFor, type TestRepo,
} from './helpers';

const OBJECTIVE = 'Fix the add function in math.js so that npm test passes, and write NOTES.md documenting it.';
const fix = toolCall('edit_file', { path: 'math.js', old_text: 'return a - b;', new_text: 'return a + b;' });
const approve = toolCall('submit_review', { verdict: 'approve', summary: 'Good.', notes: [] });
const plan = toolCall('submit_plan', { tasks: [task('Fix add in math.js'), task('Write NOTES.md')], validation_commands: [] });

/** Serves the role queues, noting in `served.at` when the actor is handed its run_command. */
function serveNotingCommands(queues: ReturnType<typeof byRole>, served: { at: number }): Promise<ScriptedServer> {
  return startScriptedServer((req) => {
    const step = queues(req);
    if (step.toolCalls?.[0]?.name === 'run_command') served.at = Date.now();
    return step;
  });
}

describe('goalpost run: interrupt, pause and resume', function () {
  let repo: TestRepo;
  let server: ScriptedServer | null = null;

  useBuiltCli(() => ({ repo, server }));

  it('Ctrl+C during a command saves the session (exit 130); --resume finishes without duplicate commits', async () => {
    repo = makeRepo();
    const sleepCommand = uniqueSleep(29);
    const served = { at: 0 };
    const queues = byRole({
      planner: [plan],
      actor: [
        fix,
        toolCall('finish_task', { summary: 'Fixed add.' }),
        toolCall('run_command', { command: sleepCommand }),
      ],
      reviewer: [approve],
    });
    server = await serveNotingCommands(queues, served);
    const run = startCli(['run', OBJECTIVE, '--goal-id', 'sigint', ...FAST, '--validate', 'node test.js'], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
    await waitFor(() => served.at > 0 && processRunning(sleepCommand), 20_000, 'the agent command to start');
    const before = readGoal(repo.dir);
    assert.equal(before.backlog[0].status, 'done', 'task 1 was committed before the interrupt');

    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /Saving session state\.\.\. done\./);
    assert.ok(result.stdout.includes(`goalpost run --resume --project-root ${repo.dir}`), result.stdout);
    assert.equal(processRunning(sleepCommand), false, 'the running command was killed');
    const paused = readGoal(repo.dir);
    assert.equal(paused.status, 'paused');
    assert.equal(paused.reason, 'Interrupted (Ctrl+C).');
    assert.deepEqual(paused.pause, { cause: 'interrupted', errorKind: null }, 'the cause is data, not only prose');
    assert.equal(paused.backlog[1].status, 'in-progress');
    await server.close();
    // A lock left by a process that died is taken over.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    fs.writeFileSync(path.join(repo.dir, '.goalpost', 'run.lock'), JSON.stringify({ pid: dead, goalId: 'sigint', startedAt: new Date().toISOString() }));

    // Resume with a fresh script: the same task continues; task 1 is not redone.
    server = await startScriptedServer(byRole({
      actor: [
        {
          toolCalls: [
            { name: 'write_file', arguments: { path: 'NOTES.md', content: 'add(a, b) returns a + b.\n' } },
            { name: 'finish_task', arguments: { summary: 'Wrote NOTES.md.' } },
          ],
        },
      ],
      reviewer: [approve, toolCall('submit_review', { verdict: 'approve', summary: 'Goal met.', notes: [] })],
    }));
    const resumed = await runCli(['run', '--resume', ...FAST], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
    assert.equal(resumed.code, 0, `${resumed.stdout}\n${resumed.stderr}`);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'achieved');
    assert.match(JSON.stringify(server.requests[0].body.messages), /Write NOTES\.md/, 'the resumed turn works on the interrupted task');
    assert.deepEqual([...commitsPerTask(repo.dir).entries()].sort(), [['t1', 1], ['t2', 1]]);
    assert.deepEqual(goal.backlog[1].attempts.map((a) => a.outcome), ['finished'], 'Ctrl+C adds no attempt: the interrupted attempt continued');
  });

  it('a second Ctrl+C exits 130 at once, without waiting for the soft stop', async () => {
    repo = makeRepo();
    // The command ignores SIGTERM, so the soft stop has to wait for the runner's SIGKILL grace period.
    const sleepCommand = uniqueSleep(26);
    const served = { at: 0 };
    const queues = byRole({ planner: [plan], actor: [toolCall('run_command', { command: `trap '' TERM; ${sleepCommand}` })] });
    server = await serveNotingCommands(queues, served);
    const run = startCli(['run', OBJECTIVE, ...FAST, '--validate', 'node test.js'], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
    try {
      await waitFor(() => served.at > 0 && processRunning(sleepCommand), 20_000, 'the agent command to start');
      const first = Date.now();
      run.child.kill('SIGINT');
      await waitFor(() => run.output().stdout.includes('Saving session state...'), 5_000, 'the first interrupt to be acknowledged');
      run.child.kill('SIGINT');
      const result = await run.done;
      assert.equal(result.code, 130);
      // Not a wait for the command (29 s); the latency itself is measured by bench/pauseLatency.ts.
      assert.ok(Date.now() - first < 10_000, `exited ${Date.now() - first} ms after the first Ctrl+C`);
      assert.doesNotMatch(result.stdout, /done\./, 'the soft stop did not finish');
    } finally {
      killAll(processesMatching(sleepCommand));
    }
  });

  it('`goalpost pause` from another process stops a running goal within a second (exit 4)', async () => {
    repo = makeRepo();
    const sleepCommand = uniqueSleep(28);
    const served = { at: 0 };
    const queues = byRole({
      planner: [plan],
      actor: [toolCall('run_command', { command: sleepCommand })],
    });
    server = await serveNotingCommands(queues, served);
    const env = cliEnv(server.baseUrl);
    const run = startCli(['run', OBJECTIVE, ...FAST, '--validate', 'node test.js'], { cwd: repo.dir, env });
    await waitFor(() => served.at > 0 && processRunning(sleepCommand), 20_000, 'the agent command to start');

    const status = await runCli(['status', '--json'], { cwd: repo.dir, env });
    assert.equal(status.code, 0, status.stderr);
    const live = StatusJson.parse(JSON.parse(status.stdout));
    assert.equal(live.status, 'pursuing');
    assert.equal(live.running, true);
    assert.equal(live.pid, run.child.pid);
    assert.equal(live.phase, 'act');

    const started = Date.now();
    const pause = await runCli(['pause', '--project-root', repo.dir], { cwd: repo.base, env });
    const result = await run.done;
    const stoppedIn = Date.now() - started;
    assert.equal(pause.code, 0, pause.stderr);
    assert.match(pause.stdout, /Paused goal/);
    assert.equal(result.code, 4, `${result.stdout}\n${result.stderr}`);
    // A soft stop, not a wait for the 26 s command. The 1 s target itself is a figure of bench/pauseLatency.ts:
    // a timed assertion flakes on a shared machine (it did at load 15 on 2 cores).
    assert.ok(stoppedIn < 10_000, `stopped in ${stoppedIn} ms`);
    assert.equal(processRunning(sleepCommand), false, 'the running command was killed');

    const after = StatusJson.parse(JSON.parse((await runCli(['status', '--json'], { cwd: repo.dir, env })).stdout));
    assert.equal(after.status, 'paused');
    assert.equal(after.running, false);
    assert.match(after.reason ?? '', /goalpost pause/);
    assert.equal(after.tasks.inProgress, 1);

    // A paused goal is still the folder's goal: a new one is refused until --resume or clear.
    const again = await runCli(['run', 'Another objective that is long enough to be a sentence.', ...FAST], { cwd: repo.dir, env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /--resume/);
    assert.match(again.stderr, /goalpost clear/);

    const clear = await runCli(['clear'], { cwd: repo.dir, env });
    assert.equal(clear.code, 1, 'clear without a terminal needs --yes');
    assert.match(clear.stderr, /--yes/);
    const cleared = await runCli(['clear', '--yes'], { cwd: repo.dir, env });
    assert.equal(cleared.code, 0, cleared.stderr);
    const none = StatusJson.parse(JSON.parse((await runCli(['status', '--json'], { cwd: repo.dir, env })).stdout));
    assert.equal(none.status, 'none');
    const history = fs.readdirSync(path.join(repo.dir, '.goalpost', 'history'));
    assert.equal(history.length, 1);
    assert.equal(JSON.parse(fs.readFileSync(path.join(repo.dir, '.goalpost', 'history', history[0]), 'utf8')).status, 'cleared');
  });

  it('after a crash (SIGKILL) status says so, and `pause` pauses the stored goal directly', async () => {
    repo = makeRepo();
    const sleepCommand = uniqueSleep(9);
    const served = { at: 0 };
    const queues = byRole({ planner: [plan], actor: [toolCall('run_command', { command: sleepCommand })] });
    server = await serveNotingCommands(queues, served);
    const env = cliEnv(server.baseUrl);
    const run = startCli(['run', OBJECTIVE, '--goal-id', 'crashed', ...FAST, '--validate', 'node test.js'], { cwd: repo.dir, env });
    try {
      await waitFor(() => served.at > 0 && processRunning(sleepCommand), 20_000, 'the agent command to start');
      run.child.kill('SIGKILL');
      await run.done;
    } finally {
      // A killed CLI cannot stop its command: end the orphan here.
      killAll(processesMatching(sleepCommand));
    }
    const status = await runCli(['status'], { cwd: repo.dir, env });
    assert.equal(status.code, 0);
    assert.match(status.stdout, /State\s+pursuing · act · iteration 1 · not running: interrupted; resume with goalpost run --resume/);
    assert.match(status.stdout, /Recent activity \(goal_status\.log\):\n.*started: /);
    const pause = await runCli(['pause'], { cwd: repo.dir, env });
    assert.equal(pause.code, 0, pause.stderr);
    assert.match(pause.stdout, /Paused goal crashed \(no process was running it\)/);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'paused');
    assert.equal(goal.reason, 'Paused by `goalpost pause`.');
    assert.deepEqual(goal.pause, { cause: 'user', errorKind: null }, 'a `goalpost pause` is the user\'s pause');
  });

  it('refuses a second run while one is running in the folder', async () => {
    repo = makeRepo();
    const sleepCommand = uniqueSleep(27);
    const served = { at: 0 };
    const queues = byRole({ planner: [plan], actor: [toolCall('run_command', { command: sleepCommand })] });
    server = await serveNotingCommands(queues, served);
    const env = cliEnv(server.baseUrl);
    const run = startCli(['run', OBJECTIVE, ...FAST, '--validate', 'node test.js'], { cwd: repo.dir, env });
    await waitFor(() => served.at > 0, 20_000, 'the agent command to start');
    const second = await runCli(['run', '--resume', ...FAST], { cwd: repo.dir, env });
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`already running \\(pid ${run.child.pid}\\)`));
    run.child.kill('SIGTERM');
    const result = await run.done;
    assert.equal(result.code, 130);
    assert.equal(readGoal(repo.dir).status, 'paused');
  });
});
