// PRODUCT.md F10: what a command inside the bubblewrap sandbox cannot do. Each attack is first run with
// the sandbox off, where it works (so the test knows it is a real attack), then inside, where it fails.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeCommandRunner } from '../../../../src/adapters/commandRunner';
import { readOnlyInside, sandboxStatus } from '../../../../src/adapters/sandbox';
import { bwrapWorks } from '../../../support/processes';

describe('bubblewrap sandbox', function () {
  this.timeout(30000);
  let base: string;
  let root: string;
  let inside: NodeCommandRunner;
  let outside: NodeCommandRunner;
  let holder: ChildProcess | null = null;
  const works = bwrapWorks();

  const runIn = (runner: NodeCommandRunner, command: string): ReturnType<NodeCommandRunner['run']> =>
    runner.run({ command, timeoutMs: 15000, label: 'sandbox-test' });

  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-sandbox-')));
    root = path.join(base, 'repo');
    fs.mkdirSync(root);
    execFileSync('git', ['init', '-q'], { cwd: root });
    const logDir = path.join(root, '.goalpost', 'logs');
    fs.mkdirSync(logDir, { recursive: true });
    inside = new NodeCommandRunner({ root, logDir, sandbox: 'workspace-write' });
    outside = new NodeCommandRunner({ root, logDir, sandbox: 'off' });
  });

  afterEach(() => {
    holder?.kill('SIGKILL');
    holder = null;
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('is active where bubblewrap works, and says so', () => {
    const status = sandboxStatus({ mode: 'workspace-write', network: false });
    assert.equal(status.active, works, status.reason);
    if (works) assert.match(status.reason, /private \/tmp.*network is off/);
    else assert.match(status.reason, /bubblewrap|bwrap/);
  });

  it('keeps .git and .goalpost of the workspace read-only, also for a worktree whose .git is a file', () => {
    assert.deepEqual(readOnlyInside(root).sort(), [path.join(root, '.git'), path.join(root, '.goalpost')].sort());
    const sub = path.join(root, 'pkg');
    fs.mkdirSync(sub);
    assert.deepEqual(readOnlyInside(sub), [], 'the repository root is above the workspace: .git is outside, read-only anyway');
    const wt = path.join(base, 'wt');
    fs.mkdirSync(path.join(root, '.git', 'worktrees', 'wt'), { recursive: true });
    fs.writeFileSync(path.join(root, '.git', 'worktrees', 'wt', 'commondir'), '../..\n');
    fs.mkdirSync(wt);
    fs.writeFileSync(path.join(wt, '.git'), `gitdir: ${path.join(root, '.git', 'worktrees', 'wt')}\n`);
    assert.deepEqual(readOnlyInside(root).length, 2);
    assert.deepEqual(readOnlyInside(wt), [], 'the worktree\'s git dirs lie outside it');
  });

  it('hides every other process\'s /proc/N/environ (so Goalpost\'s API key)', async function () {
    if (!works) return assert.equal(sandboxStatus({ mode: 'workspace-write', network: false }).active, false);
    const secret = `sk-goalpost-test-${randomBytes(8).toString('hex')}`;
    // A process of ours carrying a key in its environment, as the Goalpost process does.
    holder = spawn('sleep', ['30'], { env: { ...process.env, OPENAI_API_KEY: secret }, stdio: 'ignore' });
    const probe = `cat /proc/${holder.pid}/environ /proc/$PPID/environ 2>/dev/null | tr '\\0' '\\n'; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$f"; done 2>/dev/null | grep -c ${secret}; true`;
    const plain = await runIn(outside, probe);
    assert.match(plain.output, new RegExp(secret), 'without the sandbox the key is readable: the probe is real');
    const confined = await runIn(inside, probe);
    assert.equal(confined.exitCode, 0, confined.output);
    assert.doesNotMatch(confined.output, new RegExp(secret));
    const pids = await runIn(inside, 'ls /proc | grep -c "^[0-9]"');
    assert.ok(Number(pids.output.trim()) < 10, `a private PID namespace shows only the sandbox's processes (${pids.output.trim()})`);
  });

  it('gives the command a private /tmp: nothing it writes there reaches the host, nothing of the host is seen', async function () {
    if (!works) return assert.equal(sandboxStatus({ mode: 'workspace-write', network: false }).active, false);
    const name = `goalpost-sbx-${randomBytes(6).toString('hex')}`;
    const hostFile = path.join('/tmp', `${name}-host`);
    fs.writeFileSync(hostFile, 'host secret\n');
    try {
      const r = await runIn(inside, `echo x > /tmp/${name} && echo "$TMPDIR" && cat /tmp/${name}-host; ls /tmp`);
      assert.match(r.output, /^\/tmp$/m);
      assert.doesNotMatch(r.output, /host secret/);
      assert.equal(fs.existsSync(path.join('/tmp', name)), false);
    } finally {
      fs.rmSync(hostFile, { force: true });
    }
  });

  it('refuses writes to .git (hooks, config) and .goalpost, but not to the workspace', async function () {
    if (!works) return assert.equal(sandboxStatus({ mode: 'workspace-write', network: false }).active, false);
    const attack = 'printf "#!/bin/sh\\ntouch planted\\n" > .git/hooks/pre-commit; git config core.fsmonitor ./fsmon.sh; echo "{}" > .goalpost/goal.json; echo ok > file.txt';
    const r = await runIn(inside, attack);
    assert.match(r.output, /Read-only file system/);
    assert.equal(fs.existsSync(path.join(root, '.git', 'hooks', 'pre-commit')), false);
    assert.doesNotMatch(fs.readFileSync(path.join(root, '.git', 'config'), 'utf8'), /fsmonitor/);
    assert.equal(fs.existsSync(path.join(root, '.goalpost', 'goal.json')), false);
    assert.equal(fs.readFileSync(path.join(root, 'file.txt'), 'utf8'), 'ok\n');
  });

  it('keeps .vscode/ read-only (the editor\'s settings of the folder), and takes the run\'s sandbox from the request', async function () {
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{}\n');
    assert.ok(readOnlyInside(root).includes(path.join(root, '.vscode')));
    if (!works) return assert.equal(sandboxStatus({ mode: 'workspace-write', network: false }).active, false);
    const attack = 'echo \'{"goalpost.sandbox":"off"}\' > .vscode/settings.json; echo ok > file.txt';
    const r = await runIn(inside, attack);
    assert.match(r.output, /Read-only file system/);
    assert.equal(fs.readFileSync(path.join(root, '.vscode', 'settings.json'), 'utf8'), '{}\n');
    // The engine passes the sandbox it pinned for the run; it wins over the runner's own (live) setting.
    const pinned = await outside.run({ command: 'touch .goalpost/x', timeoutMs: 15000, label: 'sandbox-test', sandbox: { mode: 'workspace-write', network: false } });
    assert.match(pinned.output, /Read-only file system/);
    assert.equal(fs.existsSync(path.join(root, '.goalpost', 'x')), false);
  });

  it('does not let a command create .vscode/settings.json where the folder had no .vscode/', async function () {
    if (!works) return assert.equal(sandboxStatus({ mode: 'workspace-write', network: false }).active, false);
    assert.equal(fs.existsSync(path.join(root, '.vscode')), false);
    const r = await runIn(inside, 'mkdir -p .vscode && echo \'{"goalpost.baseUrl":"http://evil.invalid/v1"}\' > .vscode/settings.json; echo ok > file.txt');
    assert.match(r.output, /Read-only file system/);
    assert.equal(fs.existsSync(path.join(root, '.vscode', 'settings.json')), false);
    assert.deepEqual(fs.readdirSync(path.join(root, '.vscode')), [], 'an empty .vscode/ is left, which git does not track');
    assert.equal(execFileSync('git', ['status', '--porcelain', '--', '.vscode'], { cwd: root, encoding: 'utf8' }), '');
    assert.equal(fs.readFileSync(path.join(root, 'file.txt'), 'utf8'), 'ok\n');
  });

  it('makes a push to a local bare remote outside the workspace fail', async function () {
    if (!works) return assert.equal(sandboxStatus({ mode: 'workspace-write', network: false }).active, false);
    const remote = path.join(base, 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', remote]);
    const setup = 'git -c user.name=t -c user.email=t@t commit -q --allow-empty -m x';
    execFileSync('sh', ['-c', setup], { cwd: root });
    const before = execFileSync('git', ['count-objects', '-v'], { cwd: remote, encoding: 'utf8' });
    const r = await runIn(inside, `git push -q ${remote} HEAD:refs/heads/main`);
    assert.notEqual(r.exitCode, 0, r.output);
    assert.equal(execFileSync('git', ['count-objects', '-v'], { cwd: remote, encoding: 'utf8' }), before);
    assert.equal(execFileSync('git', ['for-each-ref'], { cwd: remote, encoding: 'utf8' }), '');
  });
});
