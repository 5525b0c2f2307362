// A nightly job runs `goalpost run` in the same checkout night after night: Goalpost's own leftovers
// (BACKLOG.md, goal_status.log, .goalpost/) must never make the tree dirty for the next run, and
// `--resume --goal-id ID` resumes exactly that goal or says why it cannot (PRODUCT.md F8).
import assert from 'node:assert/strict';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { useBuiltCli, cliEnv, FAST, gitStatus, makeRepo, readGoal, runCli, type TestRepo } from '../helpers';
import { achievedScript, OBJECTIVE, unmetScript } from './scripts';

describe('goalpost run: consecutive runs in one checkout', function () {
  let repo: TestRepo;
  let server: ScriptedServer | null = null;

  useBuiltCli(() => ({ repo, server }));

  const run = async (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => {
    const r = await runCli(args, { cwd: repo.dir, env: cliEnv(server?.baseUrl ?? 'http://127.0.0.1:9/v1') });
    return r;
  };

  it('the second night works after the first ended unmet (no --snapshot needed)', async () => {
    repo = makeRepo();
    server = await startScriptedServer(unmetScript());
    const first = await run(['run', OBJECTIVE, ...FAST, '--goal-id', 'night-1', '--max-attempts', '5', '--validate', 'node test.js']);
    assert.equal(first.code, 2, `${first.stdout}\n${first.stderr}`);
    assert.match(gitStatus(repo.dir), /BACKLOG\.md/, 'the unmet goal left its BACKLOG.md modified (the case this guards)');
    await server.close();

    server = await startScriptedServer(achievedScript());
    const second = await run(['run', OBJECTIVE, ...FAST, '--goal-id', 'night-2', '--validate', 'node test.js']);
    assert.equal(second.code, 0, `${second.stdout}\n${second.stderr}`);
    assert.equal(readGoal(repo.dir).id, 'night-2');
    assert.equal(readGoal(repo.dir).status, 'achieved');
  });

  it('a run after `goalpost clear` starts without complaint', async () => {
    repo = makeRepo();
    server = await startScriptedServer(unmetScript());
    assert.equal((await run(['run', OBJECTIVE, ...FAST, '--goal-id', 'first', '--max-attempts', '5', '--validate', 'node test.js'])).code, 2);
    assert.equal((await run(['clear', '--yes'])).code, 0);
    await server.close();
    server = await startScriptedServer(achievedScript());
    const next = await run(['run', OBJECTIVE, ...FAST, '--goal-id', 'second', '--validate', 'node test.js']);
    assert.equal(next.code, 0, `${next.stdout}\n${next.stderr}`);
  });

  it('--resume --goal-id resumes only that goal, and says why it cannot otherwise', async () => {
    repo = makeRepo();
    server = await startScriptedServer(unmetScript());
    assert.equal((await run(['run', OBJECTIVE, ...FAST, '--goal-id', 'old', '--max-attempts', '5', '--validate', 'node test.js'])).code, 2);
    await server.close();
    server = await startScriptedServer(achievedScript());
    // A small budget: the new goal stops budget-limited, still resumable.
    const current = await run(['run', OBJECTIVE, ...FAST, '--goal-id', 'current', '--budget', '1000', '--validate', 'node test.js']);
    assert.equal(current.code, 3, `${current.stdout}\n${current.stderr}`);
    const before = readGoal(repo.dir);
    const sent = server.requests.length;

    const archived = await run(['run', '--resume', '--goal-id', 'old', ...FAST]);
    assert.equal(archived.code, 1);
    assert.match(archived.stderr, /Goal old ended as unmet and is archived in \.goalpost\/history\/, so it cannot be resumed\. The folder's current goal is current \(budget-limited\)/);
    const unknown = await run(['run', '--resume', '--goal-id', 'nope', ...FAST]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /There is no goal nope in .*The folder's current goal is current/);
    assert.deepEqual(readGoal(repo.dir), before, 'the current goal was not touched');
    assert.equal(server.requests.length, sent, 'no model request was made');

    const same = await run(['run', '--resume', '--goal-id', 'current', ...FAST, '--budget', '1m', '--validate', 'node test.js']);
    assert.equal(same.code, 0, `${same.stdout}\n${same.stderr}`);
    assert.match(same.stdout, /Resuming goal current/);
  });
});
