// The whole loop through the built CLI: plan two tasks, edit files, checks green, reviews approve,
// the completion audit approves → achieved, one commit per task, and the wire format the model saw.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byRole, startScriptedServer, toolCall, type ScriptedServer } from '../support/scriptedServer';
import {
  useBuiltCli, cliEnv, commitsPerTask, FAST, gitLog, gitStatus, makeRepo, readBacklog, readGoal, readStatusLog, runCli, task, toolNames,
  type TestRepo,
} from './helpers';

const READ_TOOLS = ['list_files', 'read_file', 'search_text'];

describe('goalpost run: happy path', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  it('plans, acts, tests, reviews and commits each task, then the audit verifies the goal', async () => {
    repo = makeRepo();
    server = await startScriptedServer(byRole({
      planner: [
        toolCall('list_files', { path: '.' }),
        toolCall('submit_plan', {
          tasks: [
            task('Fix add in math.js', 'add() subtracts instead of adding.', '`npm test` passes'),
            task('Document the math module', 'Write NOTES.md describing add().', 'NOTES.md exists'),
          ],
          validation_commands: [],
        }),
      ],
      actor: [
        toolCall('read_file', { path: 'math.js' }),
        toolCall('edit_file', { path: 'math.js', old_text: 'return a - b;', new_text: 'return a + b;' }),
        toolCall('finish_task', { summary: 'add() now adds; npm test passes.' }),
        {
          toolCalls: [
            { name: 'write_file', arguments: { path: 'NOTES.md', content: '# math\n\n`add(a, b)` returns the sum.\n' } },
            { name: 'finish_task', arguments: { summary: 'Wrote NOTES.md.' } },
          ],
        },
      ],
      reviewer: [
        toolCall('submit_review', { verdict: 'approve', summary: 'Correct fix.', notes: [] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'Docs are fine.', notes: [{ path: 'NOTES.md', line: 1, severity: 'info', message: 'Short but enough.' }] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'The goal is met: add works and is documented.', notes: [] }),
      ],
    }));

    const goalFile = path.join(repo.base, 'GOAL.md');
    fs.writeFileSync(goalFile, [
      'Fix the add function in math.js so that it returns the sum of its arguments, and document it in NOTES.md.',
      '',
      '## Acceptance criteria',
      '- add(2, 3) returns 5',
      '- NOTES.md documents add',
      '',
    ].join('\n'));

    const result = await runCli(['run', '--goal-file', goalFile, '--goal-id', 'happy', ...FAST], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
    const unanswered = server.requests.filter((r) => r.error).map((r) => r.error);
    assert.deepEqual(unanswered, [], `the script covered every request\n${result.stdout}\n${result.stderr}`);
    assert.equal(result.code, 0, `exit code\n${result.stdout}\n${result.stderr}`);

    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'achieved');
    assert.match(goal.reason ?? '', /npm test/);
    assert.deepEqual(goal.validation, { commands: ['npm test'], source: 'detected' });
    assert.deepEqual(goal.backlog.map((t) => [t.id, t.status]), [['t1', 'done'], ['t2', 'done']]);

    // One commit per task, on the goal's branch, with both trailers.
    const commits = gitLog(repo.dir);
    assert.equal(commits.length, 3, 'initial commit + one per task');
    assert.deepEqual(commits.slice(0, 2).map((c) => c.subject), ['Document the math module', 'Fix add in math.js']);
    for (const c of commits.slice(0, 2)) assert.match(c.body, /^Goalpost-Goal: happy$/m);
    assert.deepEqual([...commitsPerTask(repo.dir).entries()].sort(), [['t1', 1], ['t2', 1]]);
    assert.equal(spawnSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: repo.dir, encoding: 'utf8' }).stdout.trim(), 'goalpost/happy');
    assert.equal(gitStatus(repo.dir).trim(), '', 'nothing left uncommitted (state files are excluded)');

    // BACKLOG.md: everything DONE.
    const backlog = readBacklog(repo.dir);
    assert.match(backlog, /## TODO \(0\)/);
    assert.match(backlog, /## DONE \(2\)/);
    assert.match(backlog, /- \[x\] Fix add in math\.js <!-- t1 -->/);

    // goal_status.log covers every phase.
    const log = readStatusLog(repo.dir);
    for (const phase of ['plan', 'act', 'test', 'review', 'iterate']) {
      assert.ok(log.some((l) => new RegExp(`\\s${phase}\\s`).test(l)), `a ${phase} line in goal_status.log:\n${log.join('\n')}`);
    }
    // Plain progress lines on a non-TTY stdout, and the summary.
    assert.match(result.stdout, /plan\s+planner submitted 2 tasks/);
    assert.match(result.stdout, /Goal achieved \(happy\)/);

    // The repository's own tests pass afterwards.
    const npmTest = spawnSync('npm', ['test', '--silent'], { cwd: repo.dir, encoding: 'utf8' });
    assert.equal(npmTest.status, 0, npmTest.stderr);

    // Every request streamed with usage, and each role was offered exactly its tools.
    for (const req of server.requests) {
      assert.equal(req.body.stream, true);
      assert.equal(req.body.stream_options?.include_usage, true);
    }
    const byRoleTools = (role: string): string[][] => server.requests.filter((r) => r.role === role).map(toolNames);
    for (const tools of byRoleTools('planner')) assert.deepEqual(tools, [...READ_TOOLS, 'submit_plan'].sort());
    for (const tools of byRoleTools('reviewer')) assert.deepEqual(tools, [...READ_TOOLS, 'submit_review'].sort());
    for (const tools of byRoleTools('actor')) {
      assert.deepEqual(tools, [...READ_TOOLS, 'write_file', 'edit_file', 'delete_file', 'run_command', 'add_tasks', 'finish_task', 'report_blocker'].sort());
    }
    assert.equal(server.requests.filter((r) => r.role === 'reviewer').length, 3, 'two task reviews and the completion audit');
    assert.equal(goal.usage.total.requests, server.requests.length, 'every response counted');
  });
});
