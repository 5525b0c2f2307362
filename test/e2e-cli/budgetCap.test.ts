// The budget never depends on the server honouring the output cap (PRODUCT.md F4, F9.1): output is
// counted as it streams and a response that would pass what is left is cut off there.
import assert from 'node:assert/strict';
import { byRole, startScriptedServer, toolCall, type RecordedRequest, type ScriptedServer, type ScriptStep } from '../support/scriptedServer';
import { DIALECTS } from '../support/scriptedDialects';
import { cliEnv, FAST, makeRepo, readGoal, runCli, task, useBuiltCli, type TestRepo } from './helpers';

const WRAP_UP = 'WRAP-UP: add() still subtracts; next: change the minus to a plus.';
const LONG_WINDED = 'I will now explain at length what I am about to do. '.repeat(6000);

/** A model that rambles forever as the actor; the server reports the usage of what it sent. */
function rambler(req: RecordedRequest): ScriptStep {
  if (req.role === 'planner') return toolCall('submit_plan', { tasks: [task('Fix add in math.js')], validation_commands: [] });
  if (req.role === 'compaction') return { content: WRAP_UP, usage: { prompt_tokens: 900, completion_tokens: 40 } };
  return { content: LONG_WINDED, chunkChars: 400 };
}

describe('goalpost run: the budget holds when the server ignores the cap', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  for (const [label, provider] of [['Ollama sent max_completion_tokens, which it ignores', 'openai'], ['Ollama sent max_tokens, which it honours', 'ollama']] as const) {
    it(`a long-winded model on a 60,000-token budget: ${label}`, async () => {
      repo = makeRepo();
      server = await startScriptedServer(rambler, { dialect: DIALECTS.ollamaNew });
      const budget = 60_000;
      const result = await runCli(['run', 'Fix the add function in math.js so that npm test passes.', ...FAST, '--budget', String(budget), '--provider', provider, '--validate', 'node test.js'], {
        cwd: repo.dir, env: cliEnv(server.baseUrl, { OPENAI_API_KEY: 'sk-local-test-123456' }),
      });
      assert.equal(result.code, 3, `${result.stdout}\n${result.stderr}`);
      const goal = readGoal(repo.dir);
      assert.equal(goal.status, 'budget-limited');
      // Only the wrap-up request (≤ 800 output tokens plus its prompt) may pass the budget.
      assert.ok(goal.usage.total.tokens <= budget + 2000, `used ${goal.usage.total.tokens} of ${budget}`);
      assert.ok(goal.checkpointSummary.includes(WRAP_UP));
    });
  }

  it('a 2 MB model answer is cut at the cap instead of making the goal budget-limited at 1 % (issue 12)', async () => {
    repo = makeRepo();
    const huge = 'y'.repeat(2 * 1024 * 1024);
    server = await startScriptedServer(byRole({
      planner: [toolCall('submit_plan', { tasks: [task('Fix add in math.js')], validation_commands: [] })],
      actor: [
        // The server claims a tiny usage for it, so only its size can stop the goal.
        { content: huge, chunkChars: 65_536, usage: { prompt_tokens: 2000, completion_tokens: 50 } },
        toolCall('edit_file', { path: 'math.js', old_text: 'return a - b;', new_text: 'return a + b;' }),
        toolCall('finish_task', { summary: 'add() adds.' }),
      ],
      reviewer: [
        toolCall('submit_review', { verdict: 'approve', summary: 'Correct.', notes: [] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'Goal met.', notes: [] }),
      ],
    }));
    const result = await runCli(['run', 'Fix the add function in math.js so that npm test passes.', ...FAST, '--budget', '500k', '--validate', 'node test.js'], {
      cwd: repo.dir, env: cliEnv(server.baseUrl),
    });
    assert.deepEqual(server.requests.filter((r) => r.error).map((r) => r.error), []);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'achieved');
    assert.ok(goal.usage.total.tokens < 200_000, `used ${goal.usage.total.tokens}`);
    // The cut answer went back to the model at most cap-sized, never 2 MB.
    const after = server.requests.filter((r) => r.role === 'actor')[1];
    assert.ok(JSON.stringify(after.body.messages).length < 200_000, `next request carried ${JSON.stringify(after.body.messages).length} chars`);
  });
});
