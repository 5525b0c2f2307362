// Protected paths through the built CLI (F10): the agent weakens the test the goal is about with `sed`
// (a command, so no file tool could refuse it) and claims success. The change is undone, the attempt
// fails with the reason before tests or review, and the goal is not achieved.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byRole, startScriptedServer, toolCall, type ScriptedServer } from '../support/scriptedServer';
import {
  cliEnv, FAST, gitLog, gitStatus, makeRepo, readGoal, readStatusLog, runCli, SAMPLE_FILES, task, SLOW_MS, useBuiltCli, type TestRepo,
} from './helpers';

describe('goalpost run: protected paths', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  it('a test weakened with sed is restored, the attempt fails with the reason, the goal is not achieved', async () => {
    repo = makeRepo();
    server = await startScriptedServer(byRole({
      planner: [toolCall('submit_plan', { tasks: [task('Make npm test pass')], validation_commands: [] })],
      actor: [
        toolCall('run_command', { command: "sed -i 's/add(2, 3), 5)/add(2, 3), -1)/' test.js" }),
        toolCall('finish_task', { summary: 'npm test passes.' }),
      ],
      reviewer: [],
    }));
    const goalFile = path.join(repo.base, 'GOAL.md');
    fs.writeFileSync(goalFile, 'Fix add() in math.js so that `npm test` passes.\n\n## Protected paths\n- test.js\n');
    const result = await runCli(['run', '--goal-file', goalFile, '--goal-id', 'prot', '--max-attempts', '1', '--protect', 'package.json', ...FAST], { cwd: repo.dir, env: cliEnv(server.baseUrl) , timeoutMs: SLOW_MS });
    const unanswered = server.requests.filter((r) => r.error).map((r) => r.error);
    assert.deepEqual(unanswered, [], 'no review was asked for');
    assert.equal(result.code, 2, `unmet\n${result.stdout}\n${result.stderr}`);

    assert.equal(fs.readFileSync(path.join(repo.dir, 'test.js'), 'utf8'), SAMPLE_FILES['test.js'], 'test.js restored');
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'unmet');
    assert.deepEqual(goal.spec.protectedPaths, ['test.js', 'package.json'], 'the goal file\'s and --protect\'s, kept for --resume');
    const attempt = goal.backlog[0].attempts[0];
    assert.equal(attempt.outcome, 'protected-path');
    assert.deepEqual(attempt.checks, [], 'npm test never ran on the weakened test');
    assert.match(attempt.engineNote ?? '', /test\.js \(pattern `test\.js`\); the change was undone/);
    assert.match(goal.reason ?? '', /a protected path was changed \(undone\)/);
    assert.ok(readStatusLog(repo.dir).some((l) => l.includes('changed protected path(s) test.js')));
    assert.match(result.stderr, /warning: Goal prot: The attempt changed protected path\(s\) test\.js/);
    assert.equal(gitLog(repo.dir).filter((c) => /Goalpost-Task/.test(c.body)).length, 0, 'nothing was committed');
    assert.doesNotMatch(gitStatus(repo.dir), /test\.js/);
  });
});
