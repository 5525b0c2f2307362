// Issue 12, security half, through the built CLI and the scripted model: what the agent plants in the
// repository never runs in Goalpost's own git (hooks, fsmonitor, filters), inside the sandbox a command
// cannot read Goalpost's environment, write the host's /tmp or .git, or push to a remote outside the
// workspace; with the sandbox off a command that moves .git away pauses the goal; and kill -9 of the CLI
// while a command (the agent's, or the engine's own check) runs leaves no process of it behind.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sandboxStatus } from '../../src/adapters/sandbox';
import { bwrapWorks, exactSleeps, killAll } from '../support/processes';
import { byRole, startScriptedServer, toolCall, type ScriptedServer } from '../support/scriptedServer';
import {
  useBuiltCli, cliEnv, commitsPerTask, FAST, gitLog, makeRepo, readGoal, readStatusLog, runCli, startCli, task, toolMessages, waitFor, type TestRepo,
} from './helpers';

const OBJECTIVE = 'Fix the add function in math.js so that npm test passes for every case.';
const plan = toolCall('submit_plan', { tasks: [task('Fix add in math.js')], validation_commands: [] });
const fix = toolCall('edit_file', { path: 'math.js', old_text: 'return a - b;', new_text: 'return a + b;' });
const finish = toolCall('finish_task', { summary: 'Fixed add.' });
const approve = toolCall('submit_review', { verdict: 'approve', summary: 'ok', notes: [] });
const goalMet = toolCall('submit_review', { verdict: 'approve', summary: 'Goal met.', notes: [] });
const SANDBOXED = ['--iteration-delay-ms', '0', '--sandbox', 'workspace-write'];

describe('goalpost run: hardening (issue 12, security)', function () {
  let repo: TestRepo;
  let server: ScriptedServer | null = null;
  const key = `sk-goalpost-e2e-${randomBytes(10).toString('hex')}`;
  const leftovers: string[] = [];

  useBuiltCli(() => ({ repo, server }));
  afterEach(() => {
    for (const t of leftovers.splice(0)) killAll(exactSleeps(t));
  });

  /** Everything the run left that a leaked key could be in: model requests, output, log, commits. */
  const assertKeyNowhere = (stdout: string, stderr: string): void => {
    assert.ok(server);
    assert.ok(!JSON.stringify(server.requests.map((r) => r.body)).includes(key), 'the key reached the model');
    assert.ok(!stdout.includes(key) && !stderr.includes(key), 'the key was printed');
    assert.ok(!readStatusLog(repo.dir).join('\n').includes(key), 'the key was logged');
    assert.ok(!JSON.stringify(gitLog(repo.dir)).includes(key), 'the key was committed');
  };

  for (const sandbox of ['off', 'workspace-write'] as const) {
    it(`runs no hook, fsmonitor or filter the agent planted with run_command (sandbox ${sandbox})`, async function () {
      if (sandbox === 'workspace-write' && !bwrapWorks()) return assert.equal(sandboxStatus({ mode: sandbox, network: false }).active, false);
      repo = makeRepo();
      const ran = path.join(repo.base, 'ran');
      fs.mkdirSync(ran);
      const planted = `#!/bin/sh\nenv > "${ran}/$(basename "$0")"\ncat\n`;
      const plant = [
        'chmod +x planted.sh',
        'cp planted.sh .git/hooks/pre-commit', 'cp planted.sh .git/hooks/post-commit', 'cp planted.sh .git/hooks/reference-transaction',
        'cp planted.sh fsmon.sh', 'cp planted.sh filt.sh',
        `printf '[core]\\n\\tfsmonitor = %s/fsmon.sh\\n[filter "x"]\\n\\tclean = %s/filt.sh\\n\\tsmudge = %s/filt.sh\\n' "$PWD" "$PWD" "$PWD" >> .git/config`,
        "echo '*.js filter=x' > .gitattributes",
      ].join('; ');
      server = await startScriptedServer(byRole({
        planner: [plan],
        actor: [toolCall('write_file', { path: 'planted.sh', content: planted }), toolCall('run_command', { command: plant }), fix, finish],
        reviewer: [approve, goalMet],
      }));
      const flags = sandbox === 'off' ? FAST : SANDBOXED;
      const result = await runCli(['run', OBJECTIVE, ...flags, '--validate', 'node test.js'], { cwd: repo.dir, env: cliEnv(server.baseUrl, { OPENAI_API_KEY: key }) });
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assert.equal(readGoal(repo.dir).status, 'achieved');
      assert.deepEqual([...commitsPerTask(repo.dir).entries()], [['t1', 1]], 'the agent commit was made');
      assert.deepEqual(fs.readdirSync(ran), [], 'a planted program ran in Goalpost\'s own git');
      assertKeyNowhere(result.stdout, result.stderr);
      const hook = path.join(repo.dir, '.git', 'hooks', 'pre-commit');
      if (sandbox === 'workspace-write') {
        // Inside the sandbox .git is read-only: nothing could even be planted.
        assert.equal(fs.existsSync(hook), false);
        assert.doesNotMatch(fs.readFileSync(path.join(repo.dir, '.git', 'config'), 'utf8'), /fsmonitor|filter/);
      } else {
        // The plants are real: a plain `git commit` of the user runs the hook at once.
        execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'user commit'], { cwd: repo.dir, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
        assert.ok(fs.readdirSync(ran).includes('pre-commit'));
      }
    });
  }

  it('inside the sandbox a command cannot read Goalpost\'s environment, write the host\'s /tmp or .git, or push', async function () {
    if (!bwrapWorks()) return assert.equal(sandboxStatus({ mode: 'workspace-write', network: false }).active, false);
    repo = makeRepo();
    const remote = path.join(repo.base, 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', remote]);
    const hostTmp = path.join('/tmp', `goalpost-e2e-${randomBytes(6).toString('hex')}`);
    const probe = `{ cat /proc/$PPID/environ /proc/1/environ; for f in /proc/[0-9]*/environ; do cat "$f"; done; } 2>/dev/null | tr '\\0' '\\n' | grep -c OPENAI_API_KEY`;
    // The push is hidden from the deny list on purpose ('pu' + 'sh'): the sandbox must stop it anyway.
    const push = `node -e "require('child_process').execFileSync('git', ['pu' + 'sh', '${remote}', 'HEAD:refs/heads/main'], { stdio: 'inherit' })"`;
    server = await startScriptedServer(byRole({
      planner: [plan],
      actor: [
        toolCall('run_command', { command: probe }),
        toolCall('run_command', { command: `echo leaked > ${hostTmp} && cat ${hostTmp}` }),
        toolCall('run_command', { command: 'echo x > .git/planted; echo y > .goalpost/planted' }),
        toolCall('run_command', { command: push }),
        fix,
        finish,
      ],
      reviewer: [approve, goalMet],
    }));
    try {
      const result = await runCli(['run', OBJECTIVE, ...SANDBOXED, '--validate', 'node test.js'], { cwd: repo.dir, env: cliEnv(server.baseUrl, { OPENAI_API_KEY: key }) });
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assert.equal(readGoal(repo.dir).status, 'achieved');
      const actor = server.requests.filter((r) => r.role === 'actor');
      const resultOf = (i: number): { exit_code: number | null; output: string } => {
        const tools = toolMessages(actor[i + 1]);
        return JSON.parse(tools[tools.length - 1]) as { exit_code: number | null; output: string };
      };
      assert.doesNotMatch(resultOf(0).output, /OPENAI_API_KEY=/);
      assert.match(resultOf(0).output, /^0\n/, `no process in sight carries the key: ${resultOf(0).output}`);
      assert.equal(resultOf(1).exit_code, 0, 'the private /tmp is writable');
      assert.equal(fs.existsSync(hostTmp), false, 'but it is not the host\'s /tmp');
      assert.match(resultOf(2).output, /Read-only file system/);
      assert.equal(fs.existsSync(path.join(repo.dir, '.git', 'planted')), false);
      assert.equal(fs.existsSync(path.join(repo.dir, '.goalpost', 'planted')), false);
      assert.notEqual(resultOf(3).exit_code, 0, 'the push failed');
      assert.equal(execFileSync('git', ['for-each-ref'], { cwd: remote, encoding: 'utf8' }), '', 'the remote received nothing');
      assertKeyNowhere(result.stdout, result.stderr);
    } finally {
      fs.rmSync(hostTmp, { force: true });
    }
  });

  it('with the sandbox off, a command that moves .git away pauses the goal; restored, it resumes', async () => {
    repo = makeRepo();
    const moved = path.join(repo.base, 'moved.git');
    // Not recognisable by the deny list (it refuses `mv .git ..`): the engine's guard must notice.
    const hide = `node -e "require('fs').renameSync('.git', '${moved}')"`;
    server = await startScriptedServer(byRole({ planner: [plan], actor: [toolCall('run_command', { command: hide })] }));
    const result = await runCli(['run', OBJECTIVE, ...FAST, '--validate', 'node test.js'], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
    assert.equal(result.code, 4, `${result.stdout}\n${result.stderr}`);
    const paused = readGoal(repo.dir);
    assert.equal(paused.status, 'paused');
    assert.match(paused.reason ?? '', /deleted or moved the repository's .*\.git.*Put the \.git folder back.*resume/);
    assert.doesNotMatch(`${result.stdout}\n${result.stderr}`, /unexpected error/i);

    fs.renameSync(moved, path.join(repo.dir, '.git'));
    await server.close();
    server = await startScriptedServer(byRole({ actor: [fix, finish], reviewer: [approve, goalMet] }));
    const resumed = await runCli(['run', '--resume', ...FAST], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
    assert.equal(resumed.code, 0, `${resumed.stdout}\n${resumed.stderr}`);
    assert.equal(readGoal(repo.dir).status, 'achieved');
    assert.deepEqual([...commitsPerTask(repo.dir).entries()], [['t1', 1]]);
  });

  it('refuses every indirect push and .git removal of the issue (sandbox off), and the remote stays empty', async () => {
    repo = makeRepo();
    const remote = path.join(repo.base, 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', remote]);
    execFileSync('git', ['remote', 'add', 'origin', remote], { cwd: repo.dir });
    const attacks = [
      'echo git push origin main | sh',
      "echo 'git push origin main' | bash -s",
      "echo main | xargs -I{} sh -c 'git push origin {}'",
      "sh <<< 'git push origin main'",
      'bash <<EOF\ngit push origin main\nEOF',
      `python3 -c 'import os; os.system("git push origin main")'`,
      `node -e 'require("child_process").execSync("git push origin main")'`,
      'coproc git push origin main',
      "echo 'git push origin main' > p.sh && sh p.sh",
      'sh p2.sh',
      'git -c alias.p=push p origin main',
      "find . -maxdepth 0 -exec sh -c 'git push origin main' \\;",
      'find . -name .git -exec rm -rf {} +',
      'mv .git ..',
    ];
    server = await startScriptedServer(byRole({
      planner: [plan],
      actor: [toolCall('write_file', { path: 'p2.sh', content: '#!/bin/sh\ngit push origin main\n' }), ...attacks.map((command) => toolCall('run_command', { command })), fix, finish],
      reviewer: [approve, goalMet],
    }));
    const result = await runCli(['run', OBJECTIVE, ...FAST, '--validate', 'node test.js'], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const actor = server.requests.filter((r) => r.role === 'actor');
    attacks.forEach((command, i) => {
      const tools = toolMessages(actor[i + 2]);
      assert.match(tools[tools.length - 1], /Command refused/, `${command} was not refused`);
    });
    assert.equal(execFileSync('git', ['for-each-ref'], { cwd: remote, encoding: 'utf8' }), '', 'the remote received nothing');
    assert.ok(fs.existsSync(path.join(repo.dir, '.git', 'HEAD')));
    assert.equal(readGoal(repo.dir).status, 'achieved');
  });

  for (const where of ['an agent command', 'the engine\'s own check'] as const) {
    it(`kill -9 of the CLI while ${where} runs leaves no process of it; --resume leaves none either`, async () => {
      repo = makeRepo();
      const [a, b] = [`${(40 + Math.random() * 50).toFixed(3)}1`, `${(40 + Math.random() * 50).toFixed(3)}2`];
      const c = `${(2 + Math.random()).toFixed(3)}7`;
      leftovers.push(a, b, c);
      const agent = where === 'an agent command';
      server = await startScriptedServer(byRole({
        planner: [plan],
        actor: agent ? [toolCall('run_command', { command: `sleep ${a} & sleep ${b}` })] : [fix, finish],
      }));
      // The check starts a background child too, which must die with the rest of its group.
      const validate = agent ? 'node test.js' : `sleep ${a} & sleep ${c}; node test.js`;
      const run = startCli(['run', OBJECTIVE, '--goal-id', 'killed', ...FAST, '--validate', validate], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
      const running = agent ? [a, b] : [a, c];
      await waitFor(() => running.every((t) => exactSleeps(t).length === 1), 30_000, `${where} to start`);
      run.child.kill('SIGKILL');
      await run.done;
      await waitFor(() => running.every((t) => exactSleeps(t).length === 0), 5_000, `every process of ${where} to die with the CLI`);

      await server.close();
      server = await startScriptedServer(byRole({ actor: agent ? [fix, finish] : [finish], reviewer: [approve, goalMet] }));
      const resumed = await runCli(['run', '--resume', ...FAST], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
      assert.equal(resumed.code, 0, `${resumed.stdout}\n${resumed.stderr}`);
      assert.equal(readGoal(repo.dir).status, 'achieved');
      assert.deepEqual([a, b, c].flatMap(exactSleeps), [], 'nothing of either run is left');
      const records = path.join(repo.dir, '.goalpost', 'running');
      assert.deepEqual(fs.existsSync(records) ? fs.readdirSync(records) : [], [], 'no record of a running group is left');
    });
  }
});
