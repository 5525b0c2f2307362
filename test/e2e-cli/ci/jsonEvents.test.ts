// Every line `goalpost run --json` prints is one event of the documented, versioned schema
// (docs/events.md, src/cli/events.ts), at info and at debug level.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { EVENTS_SCHEMA_VERSION, JsonEvent } from '../../../src/cli/events';
import { useBuiltCli, cliEnv, FAST, makeRepo, repoRoot, runCli, type TestRepo } from '../helpers';
import { achievedScript, OBJECTIVE } from './scripts';

function events(stdout: string): JsonEvent[] {
  return stdout.trim().split('\n').map((line, i) => {
    const parsed = JsonEvent.safeParse(JSON.parse(line));
    assert.ok(parsed.success, `line ${i + 1} does not match the schema: ${line}\n${parsed.success ? '' : parsed.error.message}`);
    return parsed.data;
  });
}

describe('goalpost run --json: the event schema', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  for (const level of ['info', 'debug']) {
    it(`every line at ${level} level is a documented event, the summary last`, async () => {
      repo = makeRepo();
      server = await startScriptedServer(achievedScript());
      const result = await runCli(['run', OBJECTIVE, ...FAST, '--json', '--log-level', level, '--validate', 'node test.js'], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
      assert.equal(result.code, 0, result.stderr);
      const all = events(result.stdout);
      assert.ok(all.every((e) => e.v === EVENTS_SCHEMA_VERSION));
      const types = new Set(all.map((e) => e.type));
      for (const t of ['message', 'state', 'status', 'summary']) assert.ok(types.has(t as JsonEvent['type']), `a ${t} event`);
      assert.equal(types.has('model') && types.has('tool') && types.has('output'), level === 'debug', 'debug events only at debug');
      const last = all[all.length - 1];
      assert.equal(last.type, 'summary');
      if (last.type === 'summary') assert.equal(last.exitCode, 0);
    });
  }

  it('the doc names every event type of the schema and its version', () => {
    const doc = fs.readFileSync(path.join(repoRoot(), 'docs', 'events.md'), 'utf8');
    assert.match(doc, new RegExp(`schema version ${EVENTS_SCHEMA_VERSION}\\b`));
    for (const option of JsonEvent.options) assert.ok(doc.includes(`| \`${option.shape.type.value}\` |`), `docs/events.md documents ${option.shape.type.value}`);
  });
});
