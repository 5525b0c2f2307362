// `goalpost doctor` (PRODUCT.md F12) through the built CLI against the scripted server: each line says
// what works and, where not, the exact setting or server flag to change.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startScriptedServer, toolCall, type ScriptedServer, type ScriptStep } from '../support/scriptedServer';
import { DIALECTS, MISSING_TOOL_FLAGS, type Dialect } from '../support/scriptedDialects';
import { cliEnv, makeRepo, runCli, useBuiltCli, type CliResult, type TestRepo } from './helpers';

const PING: ScriptStep[] = [toolCall('goalpost_ping', { word: 'pong' }), { content: 'done' }];

interface JsonReport {
  ok: boolean;
  lines: { check: string; ok: boolean; detail: string; fix?: string }[];
}

describe('goalpost doctor', function () {
  let repo: TestRepo;
  let server: ScriptedServer | null;

  useBuiltCli(() => ({ repo, server }));

  async function doctor(args: string[], dialect?: Dialect, env: Record<string, string> = {}): Promise<CliResult> {
    repo = makeRepo();
    server = await startScriptedServer(PING, { dialect, models: ['scripted-model', 'qwen2.5-coder:latest'] });
    return runCli(['doctor', '--base-url', server.baseUrl, '--model', 'scripted-model', ...args], { cwd: repo.dir, env: cliEnv(null, env) });
  }

  it('a healthy endpoint: every check passes, exit 0, and the probe was a streamed tool call', async () => {
    const result = await doctor(['--provider', 'vllm'], DIALECTS.vllmNew);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    for (const check of ['Endpoint', 'Reachable', 'API key', 'Model', 'Tool call', 'Tool result', 'Usage']) {
      assert.match(result.stdout, new RegExp(`^✓ ${check}: `, 'm'), check);
    }
    assert.match(result.stdout, /vLLM \(from goalpost\.provider \/ --provider\); output cap sent as max_tokens; no key needed/);
    assert.match(result.stdout, /The endpoint is ready for Goalpost\./);
    assert.equal(server?.requests.length, 2);
    assert.equal(server?.requests[0].body.stream, true);
    assert.equal(server?.requests[1].body.messages.at(-1)?.role, 'tool');
  });

  it('--json prints {ok, lines: [{check, ok, detail, fix?}]}', async () => {
    const result = await doctor(['--json'], DIALECTS.llamacppOld);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.equal(report.ok, true, 'no usage is a warning, not a failure');
    assert.equal(result.code, 0);
    const usage = report.lines.find((l) => l.check === 'Usage');
    assert.equal(usage?.ok, false);
    assert.match(usage?.detail ?? '', /estimates tokens/);
    assert.ok(report.lines.every((l) => typeof l.check === 'string' && typeof l.ok === 'boolean' && typeof l.detail === 'string'));
  });

  it('llama.cpp without --jinja: the tool call fails with the server message and the flag', async () => {
    const result = await doctor([], { ...DIALECTS.llamacppOld, toolsNeedFlag: MISSING_TOOL_FLAGS.llamacpp });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^✗ Tool call: .*tools param requires --jinja flag.*Restart llama-server with --jinja/m);
    assert.match(result.stdout, /not ready for Goalpost/);
  });

  it('tool calls returned as text say the server is at fault, not the model', async () => {
    const result = await doctor(['--provider', 'ollama'], DIALECTS.ollamaOld);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^✗ Tool call: .*Ollama returned the call as plain text.*Upgrade Ollama to 0\.8/m);
  });

  it('a model the server does not list names the ones it does', async () => {
    repo = makeRepo();
    server = await startScriptedServer(PING, { models: ['llama3.1:8b', 'qwen2.5-coder:latest'] });
    const result = await runCli(['doctor', '--base-url', server.baseUrl, '--model', 'qwen2.5-coder', '--provider', 'ollama'], { cwd: repo.dir, env: cliEnv(null) });
    assert.match(result.stdout, /^✓ Model: "qwen2.5-coder" is served/m, 'Ollama\'s :latest tag counts');
    const wrong = await runCli(['doctor', '--base-url', server.baseUrl, '--model', 'gpt-5.1', '--provider', 'ollama'], { cwd: repo.dir, env: cliEnv(null) });
    assert.match(wrong.stdout, /^✗ Model: "gpt-5\.1" is not among the models the server lists \(llama3\.1:8b, qwen2\.5-coder:latest\)/m);
    assert.match(wrong.stdout, /fix: Set goalpost\.model \/ --model to one of them or pull it: ollama pull gpt-5\.1/);
  });

  it('an unreachable endpoint says so and which setting to fix', async () => {
    repo = makeRepo();
    server = null;
    // A port that was free a moment ago: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await runCli(['doctor', '--base-url', `http://127.0.0.1:${port}/v1`], { cwd: repo.dir, env: cliEnv(null) });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^✗ Reachable: Could not reach the model server/m);
    assert.match(result.stdout, /fix: Start the server, or fix goalpost\.baseUrl \/ --base-url/);
  });

  it('a remote endpoint without a key stops at the first line with the fix', async () => {
    repo = makeRepo();
    server = null;
    const result = await runCli(['doctor', '--base-url', 'https://models.example.invalid/v1'], { cwd: repo.dir, env: cliEnv(null) });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^✗ Endpoint: No API key/m);
    assert.match(result.stdout, /fix: Set the key with "Goalpost: Set API Key"/);
  });
});
