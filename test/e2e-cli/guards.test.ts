// Completion is never taken on the model's word, and the guards end a stuck goal as `unmet` with a
// reason a person can read (exit 2).
import assert from 'node:assert/strict';
import { byRole, startScriptedServer, toolCall, type ScriptedServer, type ScriptStep } from '../support/scriptedServer';
import { useBuiltCli, cliEnv, FAST, gitLog, makeRepo, readBacklog, readGoal, runCli, task, type TestRepo } from './helpers';

const plan = (title: string): ScriptStep => toolCall('submit_plan', { tasks: [task(title)], validation_commands: [] });
const times = (n: number, step: ScriptStep): ScriptStep[] => Array.from({ length: n }, () => step);

describe('goalpost run: guards', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  it('does not accept finish_task without the work: checks fail, the task is never DONE, the goal ends unmet', async () => {
    repo = makeRepo();
    server = await startScriptedServer(byRole({
      planner: [plan('Fix add in math.js')],
      actor: times(3, toolCall('finish_task', { summary: 'All done, trust me.' })),
    }));
    const result = await runCli(['run', 'Fix the add function in math.js so that npm test passes for every case.', ...FAST, '--validate', 'node test.js'], {
      cwd: repo.dir, env: cliEnv(server.baseUrl),
    });
    assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'unmet');
    assert.match(goal.reason ?? '', /No progress in 3 iterations/);
    const t1 = goal.backlog[0];
    assert.notEqual(t1.status, 'done');
    assert.deepEqual(t1.attempts.map((a) => a.outcome), ['checks-failed', 'checks-failed', 'checks-failed']);
    assert.equal(t1.attempts[0].checks[0].command, 'node test.js');
    assert.notEqual(t1.attempts[0].checks[0].exitCode, 0);
    assert.equal(gitLog(repo.dir).length, 1, 'nothing committed');
    assert.doesNotMatch(readBacklog(repo.dir), /\[x\] Fix add/);
    assert.equal(server.requests.filter((r) => r.role === 'reviewer').length, 0, 'failing checks never reach the reviewer');
    // The second attempt was told why the first failed.
    const secondActor = server.requests.filter((r) => r.role === 'actor')[1];
    assert.match(JSON.stringify(secondActor.body.messages), /checks-failed|Failing checks/);
    assert.match(result.stdout, /Goal unmet/);
    // The goal-quality check warns (without blocking) about the missing acceptance criteria.
    assert.match(result.stderr, /warning: The goal has no acceptance criteria/);
  });

  it('ends an attempt after the same tool call 5 times and leaves the goal unmet with the reason', async () => {
    repo = makeRepo();
    server = await startScriptedServer(byRole({
      planner: [plan('Fix add in math.js')],
      actor: times(5, toolCall('read_file', { path: 'math.js' })),
    }));
    const result = await runCli(['run', 'Fix the add function in math.js so that npm test passes for every case.', ...FAST, '--max-attempts', '1', '--validate', 'node test.js', '--json'], {
      cwd: repo.dir, env: cliEnv(server.baseUrl),
    });
    assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'unmet');
    assert.match(goal.reason ?? '', /blocked/i);
    // --json: stdout is JSON lines only, ending with the summary.
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; phase?: string; message?: string });
    assert.ok(events.some((e) => e.type === 'status' && e.phase === 'act' && /repetition guard/.test(e.message ?? '')));
    const summary = events[events.length - 1] as unknown as { type: string; exitCode: number; status: string; reason: string; tasks: { blocked: number } };
    assert.equal(summary.type, 'summary');
    assert.equal(summary.exitCode, 2);
    assert.equal(summary.status, 'unmet');
    assert.equal(summary.reason, goal.reason);
    assert.equal(summary.tasks.blocked, 1);
    assert.match(goal.reason ?? '', /same tool call was repeated/);
    assert.deepEqual(goal.backlog[0].attempts.map((a) => a.outcome), ['repetition']);
    // The 3rd and 4th identical results carried the warning; the 5th call was never run.
    const actorRequests = server.requests.filter((r) => r.role === 'actor');
    assert.equal(actorRequests.length, 5);
    const lastTool = actorRequests[4].body.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
    assert.match(lastTool[lastTool.length - 1], /exact read_file call 4 times/);
  });

  it('blocks a task reported blocked with the same reason 3 times and ends unmet', async () => {
    repo = makeRepo();
    server = await startScriptedServer(byRole({
      planner: [plan('Fix add in math.js')],
      actor: times(3, toolCall('report_blocker', { reason: 'I cannot reach the package registry.' })),
    }));
    const result = await runCli(['run', 'Fix the add function in math.js so that npm test passes for every case.', ...FAST, '--max-attempts', '5', '--validate', 'node test.js'], {
      cwd: repo.dir, env: cliEnv(server.baseUrl),
    });
    assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'unmet');
    assert.equal(goal.backlog[0].status, 'blocked');
    assert.match(goal.backlog[0].blockedReason ?? '', /same blocker was reported 3 times/);
    assert.match(goal.reason ?? '', /No progress|blocked/);
    assert.match(result.stdout, /blocked t1/);
  });
});
