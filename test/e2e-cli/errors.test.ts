// Failures the user must be told about clearly: a model endpoint that keeps failing pauses the goal
// (exit 4, reason printed), and bad input (goal file, flags) is refused with exit 1 and nothing written.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { useBuiltCli, cliEnv, cliPath, FAST, gitLog, makeRepo, readGoal, runCli, type TestRepo } from './helpers';

describe('goalpost run: errors', function () {
  let repo: TestRepo;
  let server: ScriptedServer | null = null;

  useBuiltCli(() => ({ repo, server }));

  it('pauses with the reason when the model endpoint keeps failing (exit 4)', async () => {
    repo = makeRepo();
    server = await startScriptedServer(() => ({ fault: { kind: 'status', status: 500, retryAfterMs: 5, body: { error: { message: 'upstream exploded', type: 'server_error', code: null } } } }));
    const result = await runCli(['run', 'Fix the add function in math.js so that npm test passes for every case.', ...FAST, '--validate', 'node test.js'], {
      cwd: repo.dir, env: cliEnv(server.baseUrl, { OPENAI_API_KEY: 'sk-test-SECRET-never-printed-123' }),
    });
    assert.equal(result.code, 4, `${result.stdout}\n${result.stderr}`);
    assert.equal(server.requests.length, 5, 'five tries');
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'paused');
    assert.match(goal.reason ?? '', /5 tries/);
    assert.match(result.stdout, /Goal paused/);
    assert.ok(result.stdout.includes(goal.reason ?? '(no reason)'), 'the reason is printed');
    assert.match(result.stdout, /goalpost run --resume/);
    // The key went to the server, and nowhere else.
    assert.equal(server.requests[0].headers.authorization, 'Bearer sk-test-SECRET-never-printed-123');
    const everything = [result.stdout, result.stderr, ...filesUnder(path.join(repo.dir, '.goalpost')), fs.readFileSync(path.join(repo.dir, 'goal_status.log'), 'utf8')].join('\n');
    assert.doesNotMatch(everything, /SECRET-never-printed/);
  });

  it('refuses a missing, empty or binary goal file with a clear message, writing nothing', async () => {
    repo = makeRepo();
    const env = cliEnv('http://127.0.0.1:9/v1');
    const empty = path.join(repo.base, 'empty.md');
    fs.writeFileSync(empty, '  \n\n');
    const binary = path.join(repo.base, 'binary.md');
    fs.writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x03, 0xff, 0xfe]));
    const huge = path.join(repo.base, 'huge.md');
    fs.writeFileSync(huge, 'x'.repeat(300 * 1024));
    // A Latin-1 "é" at byte 20 of otherwise plain text (F1.2: refused with the byte offset).
    const latin1 = path.join(repo.base, 'latin1.md');
    fs.writeFileSync(latin1, Buffer.concat([Buffer.from('Fix the menu of the '), Buffer.from([0xe9]), Buffer.from('cole page.\n')]));
    const cases: [string, RegExp][] = [
      [path.join(repo.base, 'missing.md'), /does not exist/],
      [empty, /empty/],
      [binary, /binary/],
      [huge, /limit is 256 KiB/],
      [latin1, /not valid UTF-8: the byte at offset 20 \(0xE9\)/],
    ];
    for (const [file, message] of cases) {
      const result = await runCli(['run', '--goal-file', file, ...FAST], { cwd: repo.dir, env });
      assert.equal(result.code, 1, `${file}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /^goalpost: /);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.equal(fs.existsSync(path.join(repo.dir, '.goalpost')), false, 'nothing written');
    assert.equal(fs.existsSync(path.join(repo.dir, 'BACKLOG.md')), false);
  });

  it('refuses to start against a remote endpoint without an API key', async () => {
    repo = makeRepo();
    const result = await runCli(['run', 'Fix the add function in math.js so that the tests pass.', ...FAST], { cwd: repo.dir, env: cliEnv(null) });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /No API key: set OPENAI_API_KEY/);
    assert.equal(fs.existsSync(path.join(repo.dir, '.goalpost')), false, 'no goal was created');
  });

  it('names the flag of a bad value (exit 1) and explains usage on --help', async () => {
    repo = makeRepo();
    const env = cliEnv('http://127.0.0.1:9/v1');
    const bad: [string[], RegExp][] = [
      [['--budget', 'lots'], /Invalid value for --budget \(got "lots"\)/],
      [['--log-level', 'loud'], /Invalid value for --log-level/],
      [['--max-iterations', '-3'], /Invalid value for --max-iterations/],
      [['--base-url', 'ftp://example.com'], /Invalid value for --base-url/],
      [['--review-frequency', 'sometimes'], /Invalid value for --review-frequency/],
      [['--goal-id', 'has space'], /Invalid value for --goal-id/],
    ];
    for (const [flags, message] of bad) {
      const result = await runCli(['run', 'Fix the add function in math.js so that the tests pass.', ...flags], { cwd: repo.dir, env });
      assert.equal(result.code, 1, `${flags.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    const unknown = await runCli(['run', '--no-such-flag'], { cwd: repo.dir, env });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown option '--no-such-flag'/);
    assert.equal(fs.existsSync(path.join(repo.dir, '.goalpost')), false);

    const help = await runCli(['run', '--help'], { cwd: repo.dir, env });
    assert.equal(help.code, 0);
    for (const text of ['--goal-file', '--resume', '--budget', '--snapshot', '--validate', 'Exit codes', 'OPENAI_API_KEY', 'Examples']) {
      assert.ok(help.stdout.includes(text), `run --help mentions ${text}`);
    }
    const top = await runCli(['--help'], { cwd: repo.dir, env });
    assert.equal(top.code, 0);
    for (const command of ['run', 'status', 'pause', 'clear']) assert.match(top.stdout, new RegExp(`\\n\\s+${command}\\b`));
    assert.ok(fs.readFileSync(cliPath(), 'utf8').startsWith('#!/usr/bin/env node'), 'the bundle is executable as `goalpost`');
  });

  it('refuses a dirty tree unless --snapshot, and a folder that is not a git repository', async () => {
    repo = makeRepo();
    fs.writeFileSync(path.join(repo.dir, 'wip.txt'), 'uncommitted\n');
    const env = cliEnv('http://127.0.0.1:9/v1');
    const dirty = await runCli(['run', 'Fix the add function in math.js so that the tests pass.', ...FAST, '--max-iterations', '1'], { cwd: repo.dir, env });
    assert.equal(dirty.code, 1);
    assert.match(dirty.stderr, /--snapshot/);
    assert.equal(gitLog(repo.dir).length, 1, 'nothing committed when refused');

    // --snapshot commits the dirty tree first; --current-branch stays on main.
    server = await startScriptedServer(() => ({ fault: { kind: 'status', status: 503, retryAfterMs: 1 } }));
    const snap = await runCli(['run', 'Fix the add function in math.js so that the tests pass.', ...FAST, '--snapshot', '--current-branch'], { cwd: repo.dir, env: cliEnv(server.baseUrl) });
    assert.equal(snap.code, 4, `${snap.stdout}\n${snap.stderr}`);
    const log = gitLog(repo.dir);
    assert.equal(log[0].subject, 'Goalpost: snapshot before goal');
    assert.equal(readGoal(repo.dir).git.branch, 'main');
    assert.equal(readGoal(repo.dir).git.baseCommit, log[0].sha, 'the goal starts after the snapshot');
    const plain = path.join(repo.base, 'plain');
    fs.mkdirSync(plain);
    const notRepo = await runCli(['run', 'Fix the add function in math.js so that the tests pass.', '--project-root', plain, ...FAST], { cwd: repo.base, env });
    assert.equal(notRepo.code, 1);
    assert.match(notRepo.stderr, /not a git repository/);
    assert.equal(fs.existsSync(path.join(plain, '.goalpost')), false, 'no state left in a folder that is not a repository');
  });
});

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else out.push(fs.readFileSync(full, 'utf8'));
  }
  return out;
}
