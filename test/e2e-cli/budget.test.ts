// The budget of F4 through the CLI: the loop stops before a request that would not fit, sends one
// wrap-up request without tools, saves its summary as the checkpoint, and exits 3 (budget-limited).
import assert from 'node:assert/strict';
import { byRole, startScriptedServer, toolCall, type ScriptedServer } from '../support/scriptedServer';
import { useBuiltCli, cliEnv, FAST, makeRepo, readGoal, runCli, SAMPLE_FILES, task, type TestRepo } from './helpers';

const WRAP_UP = 'WRAP-UP: read math.js and data.txt; add() still subtracts; next: change the minus to a plus.';
const WRAP_UP_USAGE = { prompt_tokens: 700, completion_tokens: 60 };

describe('goalpost run: token budget', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  it('stops before the budget is passed, saves the wrap-up summary and exits 3', async () => {
    // ~40 KB of data: once read, the next actor request cannot fit in the budget.
    const data = Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(4, '0')} of filler data for the budget`).join('\n');
    repo = makeRepo({ ...SAMPLE_FILES, 'data.txt': `${data}\n` });
    const budget = 12_000;
    server = await startScriptedServer(byRole({
      planner: [toolCall('submit_plan', { tasks: [task('Fix add in math.js'), task('Check data.txt')], validation_commands: [] })],
      actor: [
        toolCall('read_file', { path: 'math.js' }),
        toolCall('read_file', { path: 'data.txt' }),
        toolCall('finish_task', { summary: 'never reached' }),
      ],
      compaction: [{ content: WRAP_UP, usage: WRAP_UP_USAGE }],
    }));
    const result = await runCli(['run', 'Fix the add function in math.js so that npm test passes for every case.', ...FAST, '--budget', String(budget), '--validate', 'node test.js'], {
      cwd: repo.dir, env: cliEnv(server.baseUrl),
    });
    assert.deepEqual(server.requests.filter((r) => r.error).map((r) => r.error), []);
    assert.equal(result.code, 3, `${result.stdout}\n${result.stderr}`);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'budget-limited');
    assert.match(goal.reason ?? '', /budget/i);
    assert.ok(goal.checkpointSummary.includes(WRAP_UP), `checkpoint: ${goal.checkpointSummary}`);

    // Exactly one wrap-up request: no tools, a small max_tokens, and it was the last request.
    const wrapUps = server.requests.filter((r) => (r.body.tools ?? []).length === 0);
    assert.equal(wrapUps.length, 1);
    assert.equal(server.requests[server.requests.length - 1], wrapUps[0]);
    const maxTokens = wrapUps[0].body.max_completion_tokens ?? wrapUps[0].body.max_tokens;
    assert.ok(typeof maxTokens === 'number' && maxTokens <= 2000, `wrap-up max tokens: ${String(maxTokens)}`);
    assert.equal(server.requests.filter((r) => r.role === 'actor').length, 2, 'the request that would not fit was never sent');

    // The overshoot is bounded by the wrap-up request.
    const wrapTokens = WRAP_UP_USAGE.prompt_tokens + WRAP_UP_USAGE.completion_tokens;
    assert.ok(goal.usage.total.tokens - budget <= wrapTokens, `used ${goal.usage.total.tokens} of ${budget}`);
    assert.match(result.stdout, /Raise the budget and resume: goalpost run --resume --budget/);
  });

  it('when a response passes the budget, only the wrap-up request follows it', async () => {
    repo = makeRepo();
    const budget = 20_000;
    server = await startScriptedServer(byRole({
      planner: [toolCall('submit_plan', { tasks: [task('Fix add in math.js')], validation_commands: [] })],
      // A reasoning-heavy answer reports far more output than its size suggests.
      actor: [toolCall('read_file', { path: 'math.js' }, { usage: { prompt_tokens: 3000, completion_tokens: 25_000, reasoning_tokens: 24_000 } })],
      compaction: [{ content: WRAP_UP, usage: WRAP_UP_USAGE }],
    }));
    const result = await runCli(['run', 'Fix the add function in math.js so that npm test passes for every case.', ...FAST, '--budget', '20k', '--validate', 'node test.js'], {
      cwd: repo.dir, env: cliEnv(server.baseUrl),
    });
    assert.equal(result.code, 3, `${result.stdout}\n${result.stderr}`);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'budget-limited');
    assert.equal(goal.budget.tokenBudget, budget);
    assert.deepEqual(server.requests.map((r) => r.role), ['planner', 'actor', 'compaction']);
    assert.ok(goal.checkpointSummary.includes(WRAP_UP));
  });
});
