// The GitHub Action (F14): action.yml and the documented workflows validate against the Actions
// schemas, and the action's entry script — run here exactly as the composite step runs it — turns the
// inputs into one `goalpost run`, writes the step outputs, and leaves the artifacts on disk (events,
// report, branch bundle), pushing nothing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { startScriptedServer, type ScriptedServer } from '../../support/scriptedServer';
import { JsonEvent } from '../../../src/cli/events';
import { useBuiltCli, cliEnv, cliPath, makeRepo, repoRoot, type TestRepo } from '../helpers';
import { achievedScript, OBJECTIVE } from './scripts';

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `name=value` lines (and heredoc values) of a $GITHUB_OUTPUT file. */
function outputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(\S+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const m = /^([\w-]+)=(.*)$/.exec(lines[i]);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Runs the entry script as the composite step does (asynchronously: the scripted server lives in this process). */
function runEntry(env: NodeJS.ProcessEnv, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot(), 'scripts', 'action', 'entry.mjs')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) => child.on('close', (status) => {
    clearTimeout(timer);
    resolve({ status, stdout, stderr });
  }));
}

describe('the GitHub Action', function () {
  let repo: TestRepo;
  let server: ScriptedServer | null = null;

  useBuiltCli(() => ({ repo, server }));

  it('action.yml and the documented workflows are valid against the GitHub Actions schemas', () => {
    const root = repoRoot();
    const action = fs.readFileSync(path.join(root, 'action.yml'), 'utf8');
    assert.deepEqual(validateAction(action).errors, []);
    for (const name of ['nightly.yml', 'matrix.yml']) {
      assert.deepEqual(validateWorkflow(fs.readFileSync(path.join(root, 'docs', 'workflows', name), 'utf8')).errors, [], name);
    }
    // The validator does catch mistakes (so the checks above mean something).
    assert.notDeepEqual(validateAction(action.replace('using: composite', 'using: compost')).errors, []);
    // Composite steps see no INPUT_* variables by themselves: each input the entry script reads is mapped.
    const script = fs.readFileSync(path.join(root, 'scripts', 'action', 'entry.mjs'), 'utf8');
    const read = [...script.matchAll(/input\('([a-z-]+)'\)/g)].map((m) => m[1]);
    assert.ok(read.length >= 10, `inputs read: ${read.join(', ')}`);
    for (const name of new Set(read)) {
      const variable = `INPUT_${name.replace(/-/g, '_').toUpperCase()}`;
      assert.ok(action.includes(`${variable}: \${{ inputs.${name} }}`) || name === 'artifact-dir', `action.yml maps ${name} to ${variable}`);
      assert.ok(name === 'artifact-dir' || new RegExp(`^  ${name}:$`, 'm').test(action), `action.yml declares the input ${name}`);
    }
  });

  it('runs the goal from its inputs, writes the outputs and the artifacts, and pushes nothing', async () => {
    repo = makeRepo();
    // An origin the run could push to: it must stay untouched.
    const origin = path.join(repo.base, 'origin.git');
    git(repo.base, 'init', '-q', '--bare', origin);
    git(repo.dir, 'remote', 'add', 'origin', origin);
    git(repo.dir, 'push', '-q', 'origin', 'main');
    server = await startScriptedServer(achievedScript());
    const artifacts = path.join(repo.base, 'artifacts');
    const outputFile = path.join(repo.base, 'github-output');
    const stepSummary = path.join(repo.base, 'step-summary.md');
    const key = 'test-key-for-the-action-0123456789';
    const r = await runEntry({
      ...cliEnv(null),
      GOALPOST_CLI: cliPath(),
      GITHUB_WORKSPACE: repo.base,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: stepSummary,
      INPUT_WORKING_DIRECTORY: 'repo',
      INPUT_OBJECTIVE: OBJECTIVE,
      INPUT_GOAL_ID: 'ci-1',
      INPUT_BUDGET: '1m',
      INPUT_API_KEY: key,
      INPUT_BASE_URL: server.baseUrl,
      INPUT_LOG_LEVEL: 'info',
      INPUT_EXTRA_ARGS: `--iteration-delay-ms 0 --sandbox off --validate 'node test.js'`,
      INPUT_ARTIFACT_DIR: artifacts,
    }, repo.base);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^goalpost run --goal-id ci-1 --budget 1m --base-url http:\/\/127\.0\.0\.1:\d+\/v1 --log-level info --project-root \S+\/repo --json --iteration-delay-ms 0 --sandbox off --validate "node test\.js" -- "Fix the add/m);
    assert.match(r.stdout, /plan\s+planner submitted 1 task\b/, 'status lines in the job log');
    assert.ok(server.requests.every((q) => q.headers.authorization === `Bearer ${key}`), 'the api-key input reached the model as the key');

    const out = outputs(outputFile);
    assert.equal(out.status, 'achieved');
    assert.equal(out['exit-code'], '0');
    assert.equal(out['goal-id'], 'ci-1');
    assert.equal(out.branch, 'goalpost/ci-1');
    assert.ok(Number(out.tokens) > 0);
    assert.equal(out['artifact-dir'], artifacts);

    assert.deepEqual(fs.readdirSync(artifacts).sort(), ['ci-1.bundle', 'events.jsonl', 'report.html', 'report.md']);
    const events = fs.readFileSync(path.join(artifacts, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JsonEvent.parse(JSON.parse(l)));
    assert.equal(events[events.length - 1].type, 'summary');
    assert.match(fs.readFileSync(path.join(artifacts, 'report.md'), 'utf8'), /^# Goalpost report: goal ci-1$/m);
    assert.match(fs.readFileSync(path.join(artifacts, 'report.html'), 'utf8'), /<title>Goalpost report: goal ci-1<\/title>/);
    assert.match(fs.readFileSync(stepSummary, 'utf8'), /Outcome:\*\* achieved/);
    for (const f of fs.readdirSync(artifacts)) assert.ok(!fs.readFileSync(path.join(artifacts, f)).includes(key), `no key in ${f}`);

    // The bundle brings the branch home into a fresh clone; the origin never saw it.
    assert.deepEqual(git(origin, 'branch', '--format=%(refname:short)').trim().split('\n'), ['main'], 'nothing pushed');
    const home = path.join(repo.base, 'home');
    git(repo.base, 'clone', '-q', origin, home);
    git(home, 'fetch', '-q', path.join(artifacts, 'ci-1.bundle'), 'goalpost/ci-1:goalpost/ci-1');
    assert.match(git(home, 'log', '--format=%s%n%b', 'goalpost/ci-1', '-1'), /Fix add in math\.js[\s\S]*Goalpost-Goal: ci-1/);
    assert.match(git(home, 'show', 'goalpost/ci-1:math.js'), /return a \+ b;/);
  });

  it('refuses inputs without a goal with a clear error annotation', async () => {
    repo = makeRepo();
    const r = await runEntry({ ...cliEnv(null), GOALPOST_CLI: cliPath(), GITHUB_WORKSPACE: repo.dir, INPUT_ARTIFACT_DIR: path.join(repo.base, 'a') }, repo.dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /::error title=Goalpost::No goal: set the goal-file input/);
  });
});
