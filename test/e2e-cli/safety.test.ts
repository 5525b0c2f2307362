// F10 through the CLI: file tools stay inside the folder (no `..`, no symlink escapes), denied commands
// are refused, the model reads each refusal as a tool result, and the goal still carries on to achieved.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byRole, startScriptedServer, toolCall, type ScriptedServer } from '../support/scriptedServer';
import { useBuiltCli, cliEnv, FAST, makeRepo, readGoal, runCli, SAMPLE_FILES, task, toolMessages, type TestRepo } from './helpers';

describe('goalpost run: safety', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  it('refuses path and symlink escapes and denied commands, shows the model why, and carries on', async () => {
    repo = makeRepo(SAMPLE_FILES, { outlink: '../outside' });
    const outsideDir = path.join(repo.base, 'outside');
    fs.mkdirSync(outsideDir);
    fs.writeFileSync(path.join(repo.base, 'outside.txt'), 'SECRET OUTSIDE THE REPO\n');
    // The remote a `git push` would go to: it must never receive anything.
    const remote = path.join(repo.base, 'remote.git');
    fs.mkdirSync(remote);

    const attempts = [
      toolCall('read_file', { path: '../outside.txt' }),
      toolCall('write_file', { path: 'outlink/evil.txt', content: 'escaped' }),
      toolCall('read_file', { path: path.join(repo.base, 'outside.txt') }),
      toolCall('run_command', { command: 'git push origin main' }),
      toolCall('run_command', { command: 'echo hi && sudo touch /tmp/goalpost-should-not-exist' }),
    ];
    server = await startScriptedServer(byRole({
      planner: [toolCall('submit_plan', { tasks: [task('Fix add in math.js')], validation_commands: [] })],
      actor: [
        ...attempts,
        toolCall('edit_file', { path: 'math.js', old_text: 'return a - b;', new_text: 'return a + b;' }),
        toolCall('finish_task', { summary: 'Fixed add.' }),
      ],
      reviewer: [
        toolCall('submit_review', { verdict: 'approve', summary: 'ok', notes: [] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'Goal met.', notes: [] }),
      ],
    }));
    const result = await runCli(['run', 'Fix the add function in math.js so that npm test passes for every case.', ...FAST, '--validate', 'node test.js', '--log-level', 'debug'], {
      cwd: repo.dir, env: cliEnv(server.baseUrl),
    });
    assert.deepEqual(server.requests.filter((r) => r.error).map((r) => r.error), []);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.equal(readGoal(repo.dir).status, 'achieved');
    // --log-level debug shows the output of the commands the engine runs.
    assert.match(result.stdout, /│ ok/);

    // Each refusal is the tool result the model reads in its next request.
    const actor = server.requests.filter((r) => r.role === 'actor');
    const resultOf = (i: number): string => {
      const tools = toolMessages(actor[i + 1]);
      return tools[tools.length - 1];
    };
    assert.match(resultOf(0), /outside/i, 'read ../outside.txt');
    assert.doesNotMatch(resultOf(0), /SECRET/);
    assert.match(resultOf(1), /outside|symlink|link/i, 'write through a symlink');
    assert.match(resultOf(2), /absolute|outside/i, 'absolute path');
    assert.doesNotMatch(resultOf(2), /SECRET/);
    assert.match(resultOf(3), /refused/i, 'git push');
    assert.match(resultOf(3), /git push/);
    assert.match(resultOf(4), /refused/i, 'sudo');
    assert.match(resultOf(4), /sudo/);

    // Nothing outside the folder was touched.
    assert.deepEqual(fs.readdirSync(outsideDir), []);
    assert.equal(fs.readFileSync(path.join(repo.base, 'outside.txt'), 'utf8'), 'SECRET OUTSIDE THE REPO\n');
    assert.deepEqual(fs.readdirSync(remote), []);
    assert.equal(fs.existsSync('/tmp/goalpost-should-not-exist'), false);
  });
});
