// `--log-level` is case-insensitive, debug traces every model request (role, tokens) and tool call with
// secrets redacted, and the transcript keeps the tool results the model saw (PRODUCT.md F8, F13).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { useBuiltCli, cliEnv, FAST, makeRepo, readStatusLog, runCli, type TestRepo } from '../helpers';
import { achievedScript, OBJECTIVE } from './scripts';

describe('goalpost run --log-level', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  it('accepts DEBUG and traces model requests, tool calls (redacted) and keeps tool results in the transcript', async () => {
    repo = makeRepo();
    server = await startScriptedServer(achievedScript());
    const key = 'not-shaped-like-a-key-0123456789';
    // The key appears in a tool argument: debug output must not show it.
    const result = await runCli(['run', `${OBJECTIVE} Never print ${key}.`, ...FAST, '--goal-id', 'dbg', '--log-level', 'DEBUG', '--validate', 'node test.js'], {
      cwd: repo.dir, env: cliEnv(server.baseUrl, { OPENAI_API_KEY: key }),
    });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /debug {3}model planner \S+ step 1: \d+ tokens \(input \d+, cached \d+, output \d+\) → submit_plan/);
    assert.match(result.stdout, /debug {3}model actor \S+ step 2: \d+ tokens .*→ edit_file/);
    assert.match(result.stdout, /debug {3}tool actor read_file \{"path":"math\.js"\} ok/);
    assert.match(result.stdout, /debug {3}tool reviewer submit_review .* ok/);
    assert.ok(!result.stdout.includes(key) && !result.stderr.includes(key), 'the key is never printed');

    // goal_status.log: the task summary and each review note on lines of their own.
    const log = readStatusLog(repo.dir);
    assert.ok(log.some((l) => /\s+iterate\s+t1 summary: add\(\) now adds; npm test passes\.$/.test(l)), log.join('\n'));
    assert.ok(log.some((l) => /\s+review\s+t1 note info math\.js:2: Consider a test for negatives\.$/.test(l)), log.join('\n'));

    const transcript = fs.readFileSync(path.join(repo.dir, '.goalpost', 'transcripts', 'dbg.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const results = transcript.filter((e) => Array.isArray(e.toolResults));
    const read = results.find((e) => e.role === 'actor' && e.step === 1);
    assert.ok(read, 'the actor\'s first tool results are in the transcript');
    assert.match(JSON.stringify(read.toolResults), /return a - b;/, 'the file content the model saw');
    assert.ok(!transcript.some((e) => JSON.stringify(e).includes(key)), 'the transcript redacts the key');
  });

  it('refuses an unknown level naming the flag', async () => {
    repo = makeRepo();
    const result = await runCli(['run', OBJECTIVE, '--log-level', 'loud'], { cwd: repo.dir, env: cliEnv('http://127.0.0.1:9/v1') });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Invalid value for --log-level \(got "loud"\): expected debug, info, warn or error/);
  });

  it('at warn shows no progress lines, only the summary', async () => {
    repo = makeRepo();
    server = await startScriptedServer(achievedScript());
    const result = await runCli(['run', OBJECTIVE, ...FAST, '--log-level', 'Warn', '--validate', 'node test.js'], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /planner submitted/);
    assert.match(result.stdout, /Goal achieved/);
  });
});
