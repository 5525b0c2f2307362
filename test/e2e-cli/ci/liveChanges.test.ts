// `goalpost edit` and `goalpost budget` while a `goalpost run` works in the folder: the change is sent
// to that process (two processes saving one record would refuse each other's writes), which applies
// it at once; the run carries on and ends with the new objective and budget.
import assert from 'node:assert/strict';
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../../support/scriptedServer';
import { useBuiltCli, cliEnv, FAST, makeRepo, readGoal, requestText, runCli, startCli, waitFor, type TestRepo } from '../helpers';
import { achievedScript, OBJECTIVE } from './scripts';

const NEW_OBJECTIVE = 'Fix add() in math.js so that npm test passes, and keep the change to one line.';

describe('goalpost edit / budget during a run', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  it('are applied by the running process, which finishes the goal with them', async () => {
    repo = makeRepo();
    const script = achievedScript();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    // The actor's first request waits until the test has made its changes.
    server = await startScriptedServer(async (req: RecordedRequest) => {
      if (req.role === 'actor' && !held) {
        held = true;
        await gate;
      }
      return script(req);
    });
    const env = cliEnv(server.baseUrl);
    const run = startCli(['run', OBJECTIVE, ...FAST, '--goal-id', 'live', '--budget', '900k', '--validate', 'node test.js'], { cwd: repo.dir, env });
    try {
      await waitFor(() => held, 30_000, 'the actor\'s first request');
      const budget = await runCli(['budget', '3m'], { cwd: repo.dir, env });
      assert.equal(budget.code, 0, budget.stderr);
      assert.match(budget.stdout, /Budget of the running goal \(pid \d+\) set to 3,000,000 tokens/);
      const edit = await runCli(['edit', NEW_OBJECTIVE], { cwd: repo.dir, env });
      assert.equal(edit.code, 0, edit.stderr);
      assert.match(edit.stdout, /Objective of the running goal \(pid \d+\) updated/);
      const during = readGoal(repo.dir);
      assert.equal(during.budget.tokenBudget, 3_000_000, 'saved by the running process');
      assert.equal(during.spec.objective, NEW_OBJECTIVE);
    } catch (e) {
      // Never leave the run behind the test's cleanup.
      release();
      run.child.kill('SIGKILL');
      await run.done;
      throw e;
    }
    release();
    const result = await run.done;
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'achieved');
    assert.equal(goal.budget.tokenBudget, 3_000_000);
    assert.equal(goal.spec.objective, NEW_OBJECTIVE);
    const audit = server.requests.filter((r) => r.role === 'reviewer').pop();
    assert.ok(audit && requestText(audit).includes(NEW_OBJECTIVE), 'the completion audit judged the new objective');
  });
});
