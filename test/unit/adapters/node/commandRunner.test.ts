import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeCommandRunner } from '../../../../src/adapters/commandRunner';
import type { CommandRequest } from '../../../../src/engine/ports';
import { WorkspaceError } from '../../../../src/engine/ports';
import { killAll, liveWith } from '../../../support/processes';

/** A sleep duration nobody else uses, so /proc can find exactly our processes. */
/** Polls `check` until it holds; fails with `what` after 10 s (a cold machine starts processes slowly). */
async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function uniqueSleep(): string {
  return `${100 + Math.floor(Math.random() * 800)}.${process.pid}${Math.floor(Math.random() * 1000)}`;
}

/**
 * A fresh folder the sandbox must keep read-only: outside every writable path. HOME, the checkout and the temp folder
 * may each lie under /tmp (CI runners, throwaway HOMEs), so the first candidate that is outside all of them is used.
 */
function dirOutsideSandbox(writable: string[]): string {
  const real = writable.map((p) => { try { return fs.realpathSync(p); } catch { return p; } });
  const inside = (dir: string): boolean => real.some((w) => dir === w || dir.startsWith(w + path.sep));
  for (const base of [os.homedir(), '/var/tmp', '/opt', '/srv', process.cwd()]) {
    try {
      const dir = fs.mkdtempSync(path.join(base, '.goalpost-sandbox-test-'));
      if (!inside(fs.realpathSync(dir))) return dir;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // not writable here; try the next
    }
  }
  throw new Error(`no writable folder outside the sandbox's writable paths (${real.join(', ')}) to test confinement with`);
}

describe('NodeCommandRunner', function () {
  this.timeout(30000);
  let root: string;
  let runner: NodeCommandRunner;
  const tokens: string[] = [];

  const run = (command: string, extra: Partial<CommandRequest> = {}): ReturnType<NodeCommandRunner['run']> =>
    runner.run({ command, timeoutMs: 15000, label: 'test', ...extra });

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-run-')));
    runner = new NodeCommandRunner({ root, logDir: path.join(root, '.goalpost', 'logs'), sandbox: 'off' });
  });

  afterEach(() => {
    for (const t of tokens.splice(0)) killAll(liveWith(t));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports exit codes exactly', async () => {
    assert.equal((await run('true')).exitCode, 0);
    assert.equal((await run('false')).exitCode, 1);
    const r = await run('echo out; echo err >&2; exit 42');
    assert.equal(r.exitCode, 42);
    assert.equal(r.signal, null);
    assert.equal(r.timedOut, false);
    assert.equal(r.aborted, false);
    assert.match(r.output, /out\n/);
    assert.match(r.output, /err\n/);
  });

  it('reports the signal that ended a command', async () => {
    const r = await run('kill -KILL $$');
    assert.equal(r.exitCode, null);
    assert.equal(r.signal, 'SIGKILL');
  });

  it('runs in the workspace root or a cwd inside it, and refuses a cwd outside', async () => {
    fs.mkdirSync(path.join(root, 'sub'));
    assert.equal((await run('pwd')).output.trim(), root);
    assert.equal((await run('pwd', { cwd: 'sub' })).output.trim(), path.join(root, 'sub'));
    await assert.rejects(run('pwd', { cwd: '../' }), WorkspaceError);
  });

  it('times out, killing the command and its grandchildren', async () => {
    const a = uniqueSleep();
    const b = uniqueSleep();
    tokens.push(a, b);
    const seen: string[] = [];
    const started = Date.now();
    const r = await run(`bash -c "sleep ${a} & sleep ${b}"`, { timeoutMs: 700, onOutput: (t) => seen.push(t) });
    assert.equal(r.timedOut, true);
    assert.equal(r.aborted, false);
    assert.equal(r.exitCode, null);
    assert.ok(r.signal, 'a signal name is reported');
    assert.ok(Date.now() - started < 5000, 'the kill does not wait for the sleeps');
    assert.deepEqual(liveWith(a), []);
    assert.deepEqual(liveWith(b), []);
    assert.match(r.output, /timed out/);
  });

  it('kills the process tree at once when the signal aborts, without waiting for its commands', async () => {
    const a = uniqueSleep();
    tokens.push(a);
    const controller = new AbortController();
    const started = Date.now();
    const pending = run(`sleep ${a} & sleep ${a}; echo never`, { signal: controller.signal, timeoutMs: 60000 });
    await waitUntil('both sleeps to run before the abort', () => liveWith(a).length >= 2);
    const abortedAt = Date.now();
    controller.abort();
    const r = await pending;
    // The sleeps last 100 s or more: a bound of a few seconds tells a kill from a wait without timing the kill
    // (the 1 s figure is bench/pauseLatency.ts's; a timed assertion flakes on a shared machine).
    assert.ok(Date.now() - abortedAt < 5000, `stopped ${Date.now() - abortedAt} ms after the abort`);
    assert.equal(r.aborted, true);
    assert.equal(r.timedOut, false);
    assert.equal(r.exitCode, null);
    assert.deepEqual(liveWith(a), []);
    assert.ok(!r.output.includes('never'));
    assert.ok(Date.now() - started < 20_000);
  });

  it('returns at once for an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await run('echo should-not-run > ran.txt', { signal: controller.signal });
    assert.equal(r.aborted, true);
    assert.equal(fs.existsSync(path.join(root, 'ran.txt')), false);
  });

  it('kills a child that left the process group with setsid', async () => {
    const a = uniqueSleep();
    tokens.push(a);
    const r = await run(`setsid sleep ${a} > /dev/null 2>&1 & sleep 0.3; sleep 100`, { timeoutMs: 800 });
    assert.equal(r.timedOut, true);
    assert.deepEqual(liveWith(a), []);
  });

  it('does not hang when a background child keeps stdout open after the command exits', async () => {
    const a = uniqueSleep();
    const b = uniqueSleep();
    tokens.push(a, b);
    const started = Date.now();
    const r = await run(`sleep ${a} & setsid sleep ${b} & echo started`, { timeoutMs: 60000 });
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.equal(r.exitCode, 0);
    assert.equal(r.timedOut, false);
    assert.match(r.output, /started/);
    assert.deepEqual(liveWith(a), []);
    assert.deepEqual(liveWith(b), []);
  });

  it('closes stdin, so a command waiting for input returns at once', async () => {
    const started = Date.now();
    const r = await run('cat; echo done', { timeoutMs: 10000 });
    assert.equal(r.exitCode, 0);
    assert.equal(r.timedOut, false);
    assert.equal(r.output.trim(), 'done');
    assert.ok(Date.now() - started < 3000);
  });

  it('strips API keys, tokens and extra secrets from the environment but keeps PATH', async () => {
    const secretRunner = new NodeCommandRunner({
      root,
      logDir: path.join(root, '.goalpost', 'logs'),
      sandbox: 'off',
      env: { ...process.env, OPENAI_API_KEY: 'sk-test-123', FOO_TOKEN: 'tok', MY_SECRET: 's', DB_PASSWORD: 'p', AWS_REGION: 'x', PLAIN: 'value-kept', CUSTOM: 'the-extension-secret-value', DATABASE_URL: 'postgres://me:hunter2@db/x' },
      extraSecrets: ['the-extension-secret-value'],
    });
    const r = await secretRunner.run({ command: 'env', timeoutMs: 10000, label: 'env' });
    const names = r.output.split('\n').map((l) => l.split('=')[0]);
    for (const gone of ['OPENAI_API_KEY', 'FOO_TOKEN', 'MY_SECRET', 'DB_PASSWORD', 'AWS_REGION', 'CUSTOM', 'DATABASE_URL']) {
      assert.ok(!names.includes(gone), `${gone} must not reach the command`);
    }
    assert.ok(!r.output.includes('sk-test-123'));
    assert.ok(names.includes('PATH'));
    assert.match(r.output, /^PLAIN=value-kept$/m);
    assert.match(r.output, /^GIT_TERMINAL_PROMPT=0$/m);
    assert.match(r.output, /^PAGER=cat$/m);
  });

  it('does not open a pager for git log', async () => {
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'first commit'], { cwd: root });
    const r = await run('git -c core.pager=less log', { timeoutMs: 10000 });
    assert.equal(r.timedOut, false);
    assert.equal(r.exitCode, 0);
    assert.match(r.output, /first commit/);
  });

  it('caps the output to head and tail and keeps everything in the log file', async () => {
    const capped = new NodeCommandRunner({ root, logDir: path.join(root, '.goalpost', 'logs'), sandbox: 'off', outputCapBytes: 4096 });
    const r = await capped.run({ command: 'for i in $(seq 1 100000); do echo "line $i"; done', timeoutMs: 20000, label: 'check npm test' });
    assert.equal(r.exitCode, 0);
    assert.equal(r.truncated, true);
    assert.ok(r.logPath && r.logPath.startsWith('.goalpost/logs/') && r.logPath.endsWith('-check-npm-test.log'), String(r.logPath));
    assert.ok(r.output.startsWith('line 1\nline 2\n'));
    assert.ok(r.output.trimEnd().endsWith('line 100000'));
    const omitted = /… (\d+) bytes omitted \(full log: (\S+)\) …/.exec(r.output);
    assert.ok(omitted, 'the marker names the omitted size and the log');
    assert.equal(omitted[2], r.logPath);
    assert.ok(Buffer.byteLength(r.output) < 4096 + 200);
    const full = fs.readFileSync(path.join(root, r.logPath), 'utf8');
    const lines = full.split('\n').filter((l) => l.startsWith('line '));
    assert.equal(lines.length, 100000);
    assert.ok(full.length > 1_000_000);
    assert.equal(Number(omitted[1]), Buffer.byteLength(lines.join('\n') + '\n') - (Buffer.byteLength(r.output) - Buffer.byteLength(omitted[0]) - 2));
  });

  it('streams output to onOutput as it arrives', async () => {
    const chunks: string[] = [];
    await run('echo one; sleep 0.2; echo two', { onOutput: (t) => chunks.push(t) });
    assert.equal(chunks.join(''), 'one\ntwo\n');
    assert.ok(chunks.length >= 2);
  });

  it('reports whether the bubblewrap sandbox is active, and confines commands when it is', async () => {
    const sandboxed = new NodeCommandRunner({ root, logDir: path.join(root, '.goalpost', 'logs'), sandbox: 'workspace-write' });
    const status = sandboxed.sandboxStatus();
    assert.ok(status.reason.length > 0);
    const off = new NodeCommandRunner({ root, logDir: path.join(root, '.goalpost', 'logs'), sandbox: 'off' }).sandboxStatus();
    assert.deepEqual([off.active, /sandbox is off/.test(off.reason)], [false, true]);
    let bwrapWorks = false;
    try {
      execFileSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', 'true'], { stdio: 'ignore' });
      bwrapWorks = true;
    } catch {
      bwrapWorks = false;
    }
    if (!bwrapWorks) {
      assert.equal(status.active, false);
      assert.match(status.reason, /bubblewrap|bwrap/);
      return;
    }
    assert.equal(status.active, true);
    const outsideDir = dirOutsideSandbox([root, '/tmp', os.tmpdir()]);
    try {
      const inside = await sandboxed.run({ command: 'echo ok > inside.txt', timeoutMs: 10000, label: 'w' });
      assert.equal(inside.exitCode, 0);
      assert.ok(fs.existsSync(path.join(root, 'inside.txt')));
      const escaped = await sandboxed.run({ command: `echo bad > ${outsideDir}/x.txt`, timeoutMs: 10000, label: 'w' });
      assert.notEqual(escaped.exitCode, 0);
      assert.equal(fs.existsSync(path.join(outsideDir, 'x.txt')), false);
      const net = await sandboxed.run({ command: 'exec 3<>/dev/tcp/1.1.1.1/80 && echo connected', timeoutMs: 10000, label: 'n' });
      assert.notEqual(net.exitCode, 0);
      assert.ok(!net.output.includes('connected'));
    } finally {
      fs.rmSync(outsideDir, { recursive: true, force: true });
    }
  });
});
