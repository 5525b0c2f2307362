// The folder's .vscode/settings.json (JSONC) supplies the CLI's defaults, flags win, and a bad value is
// an error naming the file and the key before anything is written (PRODUCT.md F8).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { useBuiltCli, cliEnv, makeRepo, readGoal, runCli, SAMPLE_FILES, type TestRepo } from '../helpers';
import { achievedScript, OBJECTIVE } from './scripts';

const SETTINGS = `// Shared by the editor and the nightly job.
{
  "editor.tabSize": 2,
  /* the models */
  "goalpost.model": "file-model",
  "goalpost.reviewModel": "file-reviewer",
  "goalpost.logLevel": "debug",
  "goalpost.validationCommands": ["node test.js"],
  "goalpost.iterationDelayMs": 0,
  "goalpost.sandbox": "off", // ignored: the agent can write this file
  "goalpost.prices": { "flag-model": { "input": 1000, "cachedInput": 0, "output": 0 } },
  "goalpost.maxAtemptsPerTask": 2, // a typo: named, ignored
}
`;

describe('goalpost run: the folder\'s .vscode/settings.json', function () {
  let repo: TestRepo;
  let server: ScriptedServer | null = null;

  useBuiltCli(() => ({ repo, server }));

  it('reads goalpost.* keys (comments, trailing commas) as defaults; flags win', async () => {
    repo = makeRepo({ ...SAMPLE_FILES, '.vscode/settings.json': SETTINGS });
    server = await startScriptedServer(achievedScript());
    const result = await runCli(['run', OBJECTIVE, '--model', 'flag-model'], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const models = new Map(server.requests.map((r) => [r.role, r.body.model]));
    assert.equal(models.get('actor'), 'flag-model', 'the flag wins over goalpost.model');
    assert.equal(models.get('planner'), 'flag-model');
    assert.equal(models.get('reviewer'), 'file-reviewer', 'goalpost.reviewModel from the file');
    assert.match(result.stdout, /debug {3}model actor flag-model/, 'goalpost.logLevel: debug from the file');
    assert.match(result.stdout, /Settings from .*\.vscode\/settings\.json/);
    assert.match(result.stderr, /unknown setting goalpost\.maxAtemptsPerTask \(ignored\)/);
    assert.match(result.stderr, /goalpost\.sandbox is ignored \(the agent can write this file, and the setting loosens the sandbox\): use --sandbox instead/);
    const goal = readGoal(repo.dir);
    assert.deepEqual(goal.validation, { commands: ['node test.js'], source: 'settings' });
    assert.ok(goal.usage.byRole.actor.costUsd > 0.001, 'goalpost.prices priced the flag model');
  });

  it('names the file and the key of a bad value and writes nothing', async () => {
    repo = makeRepo({ ...SAMPLE_FILES, '.vscode/settings.json': '{\n  "goalpost.maxAttemptsPerTask": 0,\n  "goalpost.reviewFrequency": "sometimes",\n}\n' });
    const result = await runCli(['run', OBJECTIVE], { cwd: repo.dir, env: cliEnv('http://127.0.0.1:9/v1') });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /\.vscode\/settings\.json: goalpost\.maxAttemptsPerTask 0 is invalid: .*1/);
    assert.match(result.stderr, /\.vscode\/settings\.json: goalpost\.reviewFrequency "sometimes" is invalid/);
    assert.doesNotMatch(result.stderr, /unexpected error/);
    assert.ok(!fs.existsSync(path.join(repo.dir, '.goalpost')), 'nothing written');
  });

  it('reports a syntax error with its line and column', async () => {
    repo = makeRepo({ ...SAMPLE_FILES, '.vscode/settings.json': '{\n  "goalpost.model": ,\n}\n' });
    const result = await runCli(['run', OBJECTIVE], { cwd: repo.dir, env: cliEnv('http://127.0.0.1:9/v1') });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /settings\.json is not valid JSON with comments: ValueExpected at line 2, column 21/);
  });
});
