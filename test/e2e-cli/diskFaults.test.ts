// A full disk or a read-only .goalpost/ mid-run (issue 12), made to really fail although the tests run as
// root (root ignores chmod): goal_status.log becomes a symlink to /dev/full (every write: ENOSPC), and
// .goalpost/ is made immutable with `chattr +i` (creating the store's temp file: EPERM). The CLI must say
// what happened and what to do, never "unexpected error", and `--resume` must finish the goal afterwards.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startScriptedServer, type RecordedRequest, type ScriptedServer, type ScriptStep } from '../support/scriptedServer';
import { steadyAgent } from '../support/steadyAgent';
import { cliEnv, commitsPerTask, FAST, makeRepo, readGoal, runCli, SLOW_MS, useBuiltCli, type TestRepo } from './helpers';

const OBJECTIVE = 'Fix add() in math.js so npm test passes, document it in NOTES.md and start CHANGES.md.';

/** Runs `inject` once, when the actor is first asked to work; then answers as the steady agent. */
function injectingAgent(inject: () => void): (req: RecordedRequest) => ScriptStep {
  let done = false;
  return (req) => {
    if (!done && req.role === 'actor') {
      done = true;
      inject();
    }
    return steadyAgent(req);
  };
}

function chattr(flag: '+i' | '-i', target: string): { ok: boolean; why: string } {
  const r = spawnSync('chattr', [flag, target], { encoding: 'utf8' });
  return { ok: r.status === 0, why: r.error ? r.error.message : r.stderr.trim() };
}

describe('goalpost run: a full disk or a read-only .goalpost/', function () {
  // Two runs of up to SLOW_MS each: the suite's 120 s must not end a test first.
  this.timeout(2 * SLOW_MS + 30_000);
  let repo: TestRepo;
  let server: ScriptedServer;
  let immutable: string | null = null;

  useBuiltCli(() => ({ repo, server }));
  afterEach(() => {
    // Before the repository is removed (an immutable folder cannot be).
    if (immutable) chattr('-i', immutable);
    immutable = null;
  });

  it('ENOSPC writing goal_status.log: says the disk is full, pauses, and resumes to achieved once space is back', async () => {
    repo = makeRepo();
    const log = path.join(repo.dir, 'goal_status.log');
    server = await startScriptedServer(injectingAgent(() => {
      fs.rmSync(log, { force: true });
      fs.symlinkSync('/dev/full', log);
    }));
    const env = cliEnv(server.baseUrl);
    const stopped = await runCli(['run', OBJECTIVE, '--goal-id', 'full', ...FAST], { cwd: repo.dir, env , timeoutMs: SLOW_MS });
    assert.equal(stopped.code, 4, `paused\n${stopped.stdout}\n${stopped.stderr}`);
    assert.match(stopped.stderr, /^goalpost: stopped: the disk is full: Goalpost could not write \S*goal_status\.log \(ENOSPC\)\. Free some space, then continue with `goalpost run --resume`\. Goal full is paused\./m);
    assert.doesNotMatch(`${stopped.stdout}${stopped.stderr}`, /unexpected error|\n\s+at /);
    assert.equal(readGoal(repo.dir).status, 'paused');

    fs.rmSync(log);
    const resumed = await runCli(['run', '--resume', ...FAST], { cwd: repo.dir, env , timeoutMs: SLOW_MS });
    assert.equal(resumed.code, 0, `${resumed.stdout}\n${resumed.stderr}`);
    assert.equal(readGoal(repo.dir).status, 'achieved');
    assert.deepEqual([...commitsPerTask(repo.dir).entries()].sort(), [['t1', 1], ['t2', 1], ['t3', 1]]);
  });

  it('a read-only .goalpost/ (chattr +i): says what is not writable and what to do; --resume finishes once it is writable', async function () {
    repo = makeRepo();
    const stateDir = path.join(repo.dir, '.goalpost');
    const probe = path.join(repo.base, 'chattr-probe');
    fs.mkdirSync(probe);
    const can = chattr('+i', probe);
    chattr('-i', probe);
    // Root ignores chmod; without chattr (or on a file system without the flag) there is no real
    // read-only folder to make, and the test says so instead of passing.
    if (!can.ok) this.skip();
    server = await startScriptedServer(injectingAgent(() => {
      const r = chattr('+i', stateDir);
      assert.ok(r.ok, r.why);
      immutable = stateDir;
    }));
    const env = cliEnv(server.baseUrl);
    const stopped = await runCli(['run', OBJECTIVE, '--goal-id', 'readonly', ...FAST], { cwd: repo.dir, env , timeoutMs: SLOW_MS });
    assert.equal(stopped.code, 1, `${stopped.stdout}\n${stopped.stderr}`);
    assert.match(stopped.stderr, /^goalpost: stopped: Goalpost is not allowed to write \S*\.goalpost\S* \(EPERM\)\. Make \.goalpost\/ and the files Goalpost keeps .* writable by this user .*then continue with `goalpost run --resume`\. Goal readonly keeps its last saved state\./m);
    assert.doesNotMatch(`${stopped.stdout}${stopped.stderr}`, /unexpected error|\n\s+at /);

    chattr('-i', stateDir);
    immutable = null;
    const resumed = await runCli(['run', '--resume', ...FAST], { cwd: repo.dir, env , timeoutMs: SLOW_MS });
    assert.equal(resumed.code, 0, `${resumed.stdout}\n${resumed.stderr}`);
    assert.equal(readGoal(repo.dir).status, 'achieved');
    assert.deepEqual([...commitsPerTask(repo.dir).entries()].sort(), [['t1', 1], ['t2', 1], ['t3', 1]]);
  });
});
