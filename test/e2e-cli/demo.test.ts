// `goalpost demo` (PRODUCT.md F11) through the built CLI: with no key and a model endpoint that records
// every request, the scripted session creates the sample project, makes real edits, runs the real
// checks and commits each task on a goalpost/demo-… branch; nothing reaches the network, and everything
// it logs is labelled DEMO.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliEnv, gitLog, readGoal, readStatusLog, runCli, useBuiltCli } from './helpers';

/** An HTTP endpoint that answers 500 and counts what reaches it: the demo must send it nothing. */
async function tripwire(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

describe('goalpost demo', function () {
  let base: string;
  let wire: Awaited<ReturnType<typeof tripwire>> | null = null;

  useBuiltCli(() => ({ server: wire }));
  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-demo-e2e-')));
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('plays the whole loop offline on a fresh sample: real checks, real commits on a demo branch, all labelled DEMO', async () => {
    wire = await tripwire();
    const dir = path.join(base, 'sample');
    // How long it takes at the default pace is bench/demoDuration.ts's figure, not a timed assertion here.
    const result = await runCli(['demo', '--project-root', dir, '--step-delay-ms', '0'], { cwd: base, env: cliEnv(wire.url, { OPENAI_API_KEY: '' }) });
    assert.equal(result.code, 0, `exit code\n${result.stdout}\n${result.stderr}`);
    assert.deepEqual(wire.hits, [], 'the demo sent nothing to the model endpoint');

    const goal = readGoal(dir);
    assert.equal(goal.status, 'achieved');
    assert.match(goal.id, /^demo-/);
    assert.deepEqual(goal.backlog.map((t) => t.status), ['done', 'done']);
    assert.equal(goal.usage.total.costUsd, 0, 'nothing billed');

    // Real commits on goalpost/demo-…, branched from the sample's main.
    const branch = git(dir, 'rev-parse', '--abbrev-ref', 'HEAD');
    assert.match(branch, /^goalpost\/demo-/);
    assert.equal(branch, goal.git.branch);
    const commits = gitLog(dir);
    assert.deepEqual(commits.map((c) => c.subject), [
      'Document the calculator functions in README.md',
      'Add multiply(a, b) to src/calc.js with a test',
      'Sample workspace for the Goalpost demo',
    ]);
    for (const c of commits.slice(0, 2)) assert.match(c.body, new RegExp(`^Goalpost-Goal: ${goal.id}$`, 'm'));
    assert.equal(git(dir, 'rev-list', '--count', `main..${branch}`), '2', 'main is left as the sample was');

    // Real files: the sample's own tests pass, and the new function works.
    const npmTest = spawnSync('npm', ['test', '--silent'], { cwd: dir, encoding: 'utf8' });
    assert.equal(npmTest.status, 0, npmTest.stderr);
    assert.match(fs.readFileSync(path.join(dir, 'src', 'calc.js'), 'utf8'), /function multiply\(a, b\)/);
    assert.match(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), /multiply\(a, b\)/);
    // The engine ran the checks itself: each task's attempt and the audit recorded npm test passing.
    for (const t of goal.backlog) assert.deepEqual(t.attempts[0].checks.map((c) => [c.command, c.exitCode]), [['npm test', 0]]);

    // Labelled DEMO in the terminal and in every log line.
    assert.match(result.stdout, /^DEMO — a scripted session/m);
    assert.match(result.stdout, /Goal achieved \(demo-/);
    const log = readStatusLog(dir);
    assert.ok(log.length > 5, log.join('\n'));
    for (const line of log) assert.match(line, /\sDEMO\s/, `labelled: ${line}`);
  });

  it('creates the sample in a temporary folder without --project-root, and a second demo on it starts over from main', async () => {
    const first = await runCli(['demo', '--step-delay-ms', '0', '--json'], { cwd: base, env: cliEnv(null) });
    assert.equal(first.code, 0, `${first.stdout}\n${first.stderr}`);
    const summary = JSON.parse(first.stdout.trim().split('\n').pop() ?? '{}') as { type: string; status: string; folder: string };
    assert.equal(summary.type, 'summary');
    assert.equal(summary.status, 'achieved');
    const dir = summary.folder;
    try {
      assert.ok(fs.existsSync(path.join(dir, 'src', 'calc.js')), `sample created in ${dir}`);
      const again = await runCli(['demo', '--project-root', dir, '--step-delay-ms', '0'], { cwd: base, env: cliEnv(null) });
      assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
      const branches = git(dir, 'branch', '--list', 'goalpost/demo-*').split('\n').map((b) => b.replace(/^[* ]+/, ''));
      assert.equal(branches.length, 2, `one branch per demo: ${branches.join(', ')}`);
      assert.equal(git(dir, 'rev-list', '--count', `main..HEAD`), '2', 'the second demo branched from main, not from the first demo');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a folder that is not the sample, and changes nothing in it', async () => {
    const dir = path.join(base, 'mine');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'my own work\n');
    const result = await runCli(['demo', '--project-root', dir, '--step-delay-ms', '0'], { cwd: base, env: cliEnv(null) });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /goalpost: The demo plays a prepared session on Goalpost's sample project, and .* is not it\. Give an empty or new folder/);
    assert.deepEqual(fs.readdirSync(dir), ['notes.txt']);
  });
});
