// The built CLI against the scripted server speaking each real server's dialect (PRODUCT.md F9.1):
// the goal is achieved whatever the server's streaming and error habits, or, where the server cannot
// serve tools as started, the goal pauses at once with the server's own message and the fix.
import assert from 'node:assert/strict';
import { byRole, startScriptedServer, toolCall, type RecordedRequest, type ScriptedServer } from '../support/scriptedServer';
import { DIALECTS, MISSING_TOOL_FLAGS, type Dialect } from '../support/scriptedDialects';
import { cliEnv, FAST, makeRepo, readGoal, runCli, task, useBuiltCli, type CliResult, type TestRepo } from './helpers';

/** One task: fix add(), approved, audited. */
function fixScript(): ReturnType<typeof byRole> {
  return byRole({
    planner: [toolCall('submit_plan', { tasks: [task('Fix add in math.js', 'add() subtracts.', '`npm test` passes')], validation_commands: [] })],
    actor: [
      toolCall('edit_file', { path: 'math.js', old_text: 'return a - b;', new_text: 'return a + b;' }),
      toolCall('finish_task', { summary: 'add() adds.' }),
    ],
    reviewer: [
      toolCall('submit_review', { verdict: 'approve', summary: 'Correct.', notes: [] }),
      toolCall('submit_review', { verdict: 'approve', summary: 'Goal met.', notes: [] }),
    ],
  });
}

describe('goalpost run: every server dialect', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  async function run(dialect: Dialect, args: string[], env: Record<string, string> = {}, base?: (url: string) => string): Promise<CliResult> {
    repo = makeRepo();
    server = await startScriptedServer(fixScript(), { dialect });
    const origin = new URL(server.baseUrl).origin;
    const baseUrl = base ? base(origin) : server.baseUrl;
    return runCli(['run', 'Fix add() in math.js so npm test passes', '--base-url', baseUrl, '--goal-id', 'dialect', ...FAST, ...args], { cwd: repo.dir, env: cliEnv(null, env) });
  }

  function assertAchieved(result: CliResult): void {
    const unanswered = server.requests.filter((r) => r.error).map((r) => r.error);
    assert.deepEqual(unanswered, [], `the script covered every request\n${result.stdout}\n${result.stderr}`);
    assert.equal(result.code, 0, `exit code\n${result.stdout}\n${result.stderr}`);
    assert.equal(readGoal(repo.dir).status, 'achieved');
  }

  const answered = (): RecordedRequest[] => server.requests.filter((r) => r.refusedWith === undefined);

  it('openai: max_completion_tokens, bearer key, usage chunk', async () => {
    const result = await run(DIALECTS.openai, ['--provider', 'openai'], { OPENAI_API_KEY: 'sk-openai-test-123456' });
    assertAchieved(result);
    for (const r of server.requests) {
      assert.equal(typeof r.body.max_completion_tokens, 'number');
      assert.equal(r.body.max_tokens, undefined);
      assert.equal(r.headers.authorization, 'Bearer sk-openai-test-123456');
    }
  });

  it('azure classic: deployments URL, api-key header, api-version query, deployment = --model', async () => {
    const key = DIALECTS.azureClassic.apiKey;
    const result = await run(DIALECTS.azureClassic, ['--provider', 'azure', '--api-version', '2024-10-21', '--model', 'gp-deploy'], { OPENAI_API_KEY: key }, (o) => o);
    assertAchieved(result);
    for (const r of server.requests) {
      assert.equal(r.path, '/openai/deployments/gp-deploy/chat/completions');
      assert.equal(new URLSearchParams(r.query).get('api-version'), '2024-10-21');
      assert.equal(r.headers['api-key'], key);
      assert.equal(r.headers.authorization, undefined, 'the key goes only in api-key');
      assert.equal(typeof r.body.max_completion_tokens, 'number');
    }
  });

  it('azure classic: an unknown deployment pauses at once and says --model is the deployment name', async () => {
    const result = await run(DIALECTS.azureClassic, ['--provider', 'azure', '--api-version', '2024-10-21', '--model', 'gpt-4o'], { OPENAI_API_KEY: DIALECTS.azureClassic.apiKey }, (o) => o);
    assert.equal(result.code, 4, result.stdout + result.stderr);
    const reason = readGoal(repo.dir).reason ?? '';
    assert.match(reason, /no deployment "gpt-4o"/);
    assert.match(reason, /--model \/ goalpost\.model must be the deployment name/);
    assert.match(reason, /The API deployment for this resource does not exist/);
  });

  it('azure v1: /openai/v1 with the api-key header', async () => {
    const key = DIALECTS.azureV1.apiKey;
    const result = await run(DIALECTS.azureV1, ['--provider', 'azure'], { OPENAI_API_KEY: key }, (o) => `${o}/openai/v1`);
    assertAchieved(result);
    for (const r of server.requests) {
      assert.equal(r.path, '/openai/v1/chat/completions');
      assert.equal(r.headers['api-key'], key);
    }
  });

  it('ollama (new): max_tokens, whole calls with object arguments, "stop" after tool calls, reasoning', async () => {
    const result = await run(DIALECTS.ollamaNew, ['--provider', 'ollama']);
    assertAchieved(result);
    for (const r of server.requests) {
      assert.equal(typeof r.body.max_tokens, 'number');
      assert.equal(r.body.max_completion_tokens, undefined, 'Ollama ignores max_completion_tokens');
    }
  });

  it('ollama (old): tool calls returned as text pause at once, saying it is the server and how to fix it', async () => {
    const result = await run(DIALECTS.ollamaOld, ['--provider', 'ollama']);
    assert.equal(result.code, 4, result.stdout + result.stderr);
    const reason = readGoal(repo.dir).reason ?? '';
    assert.match(reason, /Ollama returned the call as plain text/);
    assert.match(reason, /Upgrade Ollama to 0\.8 or later/);
    assert.doesNotMatch(reason, /did not submit a plan/);
    assert.equal(server.requests.length, 1, 'no retries: another try cannot help');
  });

  it('lmstudio: name repeated in every delta, usage on the finish chunk', async () => {
    const result = await run(DIALECTS.lmstudio, ['--provider', 'lmstudio']);
    assertAchieved(result);
    assert.ok(server.requests.every((r) => typeof r.body.max_tokens === 'number'));
  });

  it('vllm (old): refused stream_options dropped once and remembered; top-level errors read; prompt + cap fitted to the window', async () => {
    const result = await run(DIALECTS.vllmOld, ['--provider', 'vllm']);
    assertAchieved(result);
    const refused = server.requests.filter((r) => r.refusedWith !== undefined);
    assert.equal(refused.filter((r) => r.body.stream_options !== undefined).length, 1, 'stream_options refused once, then never sent again');
    assert.ok(refused.length <= 2, `one refusal for the field, at most one for the window: ${refused.length}`);
    for (const r of answered()) {
      assert.equal(r.body.stream_options, undefined);
      assert.ok((r.body.max_tokens ?? 0) <= 16_384, `cap ${r.body.max_tokens} fits the 16k window`);
    }
  });

  it('vllm (new): the window error teaches the window; later requests fit without a refusal', async () => {
    const result = await run(DIALECTS.vllmNew, ['--provider', 'vllm']);
    assertAchieved(result);
    const refused = server.requests.filter((r) => r.refusedWith !== undefined);
    assert.equal(refused.length, 1, 'only the first request asked for more than the window holds');
    assert.equal(refused[0].index, 0);
  });

  it('vllm without --enable-auto-tool-choice: paused at once with the server message and the flags to add', async () => {
    const result = await run({ ...DIALECTS.vllmNew, toolsNeedFlag: MISSING_TOOL_FLAGS.vllm }, ['--provider', 'vllm']);
    assert.equal(result.code, 4, result.stdout + result.stderr);
    const reason = readGoal(repo.dir).reason ?? '';
    assert.match(reason, /"auto" tool choice requires --enable-auto-tool-choice/);
    assert.match(reason, /Restart vLLM with --enable-auto-tool-choice --tool-call-parser/);
    assert.equal(server.requests.length, 1);
  });

  it('llama.cpp (old): deltas without index, empty ids, [DONE] without a finish reason, no usage', async () => {
    const result = await run(DIALECTS.llamacppOld, ['--provider', 'llamacpp']);
    assertAchieved(result);
    const goal = readGoal(repo.dir);
    assert.ok(goal.usage.total.outputTokens > 0, 'usage estimated when the server sends none');
  });

  it('llama.cpp (new): the name streamed a character at a time', async () => {
    const result = await run(DIALECTS.llamacppNew, ['--provider', 'llamacpp']);
    assertAchieved(result);
  });

  it('llama.cpp without --jinja: the permanent 500 pauses at once and names the flag', async () => {
    const result = await run({ ...DIALECTS.llamacppOld, toolsNeedFlag: MISSING_TOOL_FLAGS.llamacpp }, ['--provider', 'llamacpp']);
    assert.equal(result.code, 4, result.stdout + result.stderr);
    const reason = readGoal(repo.dir).reason ?? '';
    assert.match(reason, /tools param requires --jinja flag/);
    assert.match(reason, /Restart llama-server with --jinja/);
    assert.equal(server.requests.length, 1, 'not retried five times');
  });

  it('llama.cpp (new): a window too small for the prompt pauses with the real window and the setting to change', async () => {
    const tiny: Dialect = { ...DIALECTS.llamacppNew, window: { tokens: 1500, countsCap: false, wording: 'llamacpp-new' } };
    const result = await run(tiny, ['--provider', 'llamacpp']);
    assert.equal(result.code, 4, result.stdout + result.stderr);
    const reason = readGoal(repo.dir).reason ?? '';
    assert.match(reason, /exceeds the available context size/);
    assert.match(reason, /window is 1,500 tokens: set goalpost\.contextWindowTokens \/ --context-window to 1500/);
    assert.doesNotMatch(reason, /reachable again/);
  });
});
