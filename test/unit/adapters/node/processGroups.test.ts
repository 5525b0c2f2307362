// PRODUCT.md F10: a command's whole process group dies with Goalpost, even on kill -9. A real child
// process plays Goalpost (a NodeCommandRunner running a command); the test kills it with SIGKILL while the
// command runs and watches /proc for what is left. A group left by a run whose watchdog died too is ended
// by the next runner's first command, from the record in .goalpost/running.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeCommandRunner } from '../../../../src/adapters/commandRunner';
import { sandboxStatus } from '../../../../src/adapters/sandbox';
import { bwrapWorks, exactSleeps, killAll, liveWith } from '../../../support/processes';
import { waitFor } from '../../../support/waitFor';

/** The records of running groups in `dir` (complete ones: temporary files are being written). */
function records(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.json')) : [];
}

describe('command process groups die with Goalpost', function () {
  this.timeout(40000);
  let root: string;
  let owner: ChildProcess | null = null;
  const tokens: string[] = [];

  /** A unique sleep duration, so /proc finds exactly this test's processes. */
  const token = (): string => {
    const t = `${200 + Math.floor(Math.random() * 700)}.${process.pid}${tokens.length}${Math.floor(Math.random() * 100)}`;
    tokens.push(t);
    return t;
  };

  /** Starts a process that runs `command` through a NodeCommandRunner, as Goalpost does. */
  const startOwner = (command: string, sandbox: 'off' | 'workspace-write'): ChildProcess => {
    const script = path.join(root, '..', `owner-${tokens.length}.js`);
    fs.writeFileSync(script, [
      `const { NodeCommandRunner } = require(${JSON.stringify(require.resolve('../../../../src/adapters/commandRunner'))});`,
      `const r = new NodeCommandRunner({ root: ${JSON.stringify(root)}, logDir: ${JSON.stringify(path.join(root, '.goalpost', 'logs'))}, sandbox: ${JSON.stringify(sandbox)} });`,
      `r.run({ command: ${JSON.stringify(command)}, timeoutMs: 60000, label: 'owner' });`,
    ].join('\n'));
    owner = spawn(process.execPath, [script], { stdio: 'ignore' });
    return owner;
  };

  beforeEach(() => {
    root = path.join(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-groups-'))), 'ws');
    fs.mkdirSync(root);
  });

  afterEach(() => {
    owner?.kill('SIGKILL');
    owner = null;
    for (const t of tokens.splice(0)) killAll(liveWith(t));
    fs.rmSync(path.dirname(root), { recursive: true, force: true });
  });

  for (const sandbox of ['off', 'workspace-write'] as const) {
    it(`kill -9 of Goalpost while a command runs leaves nothing of it (sandbox ${sandbox})`, async function () {
      if (sandbox === 'workspace-write' && !bwrapWorks()) return assert.equal(sandboxStatus({ mode: sandbox, network: false }).active, false);
      const [a, b, c] = [token(), token(), token()];
      // A background child, one that left the group with setsid, and the foreground one.
      startOwner(`sleep ${a} & setsid sleep ${b} & sleep ${c}`, sandbox);
      // (the shell's own command line names all three)
      await waitFor(() => [a, b, c].every((t) => exactSleeps(t).length === 1), 15000, 'the command and its children to start');
      await waitFor(() => records(path.join(root, '.goalpost', 'running')).length === 1, 5000, 'the running group to be recorded');
      owner?.kill('SIGKILL');
      await waitFor(() => [a, b, c].every((t) => liveWith(t).length === 0), 5000, 'every process of the command to die with its owner');
    });
  }

  it('the next runner ends a group left by a run whose watchdog died too, and only that', async () => {
    const [a, b] = [token(), token()];
    const victim = startOwner(`sleep ${a} & setsid sleep ${b}; wait`, 'off');
    await waitFor(() => exactSleeps(a).length === 1 && exactSleeps(b).length === 1, 15000, 'the command to start');
    const running = path.join(root, '.goalpost', 'running');
    await waitFor(() => records(running).length === 1, 5000, 'the running group to be recorded');
    const [record] = records(running);
    // Kill the watchdog first (as a crash of everything but the command would), then the owner.
    const marker = JSON.parse(fs.readFileSync(path.join(running, record), 'utf8')).marker as string;
    const dogs = liveWith(marker).filter((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('goalpost-watchdog'));
    assert.equal(dogs.length, 1, 'one watchdog per command');
    process.kill(dogs[0], 'SIGKILL');
    victim.kill('SIGKILL');
    await waitFor(() => victim.exitCode !== null || victim.signalCode !== null, 5000, 'the owner to die');
    assert.equal(exactSleeps(a).length + exactSleeps(b).length, 2, 'without the watchdog the group outlives its owner');
    // A garbage record next to it is removed without killing anything.
    fs.writeFileSync(path.join(running, '1.json'), 'not json');

    const next = new NodeCommandRunner({ root, logDir: path.join(root, '.goalpost', 'logs'), sandbox: 'off' });
    const r = await next.run({ command: 'true', timeoutMs: 10000, label: 'next' });
    assert.equal(r.exitCode, 0);
    await waitFor(() => liveWith(a).length + liveWith(b).length === 0, 5000, 'the leftover group to be ended');
    assert.deepEqual(records(running), []);
  });

  it('ends a group whose record was still a temporary file when its owner was killed (kill -9 between write and rename)', async () => {
    const a = token();
    const victim = startOwner(`sleep ${a}; wait`, 'off');
    await waitFor(() => exactSleeps(a).length === 1, 15000, 'the command to start');
    const running = path.join(root, '.goalpost', 'running');
    await waitFor(() => records(running).length === 1, 5000, 'the running group to be recorded');
    const [record] = records(running);
    const marker = JSON.parse(fs.readFileSync(path.join(running, record), 'utf8')).marker as string;
    for (const pid of liveWith(marker).filter((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('goalpost-watchdog'))) process.kill(pid, 'SIGKILL');
    victim.kill('SIGKILL');
    await waitFor(() => victim.exitCode !== null || victim.signalCode !== null, 5000, 'the owner to die');
    // What the kill would have left had it landed between RunningGroups.add's write and its rename.
    fs.renameSync(path.join(running, record), path.join(running, `${record}.${victim.pid}.tmp`));
    // A temporary record of a live writer (here: this process) is being written: it stays.
    const inFlight = `9.json.${process.pid}.tmp`;
    fs.writeFileSync(path.join(running, inFlight), '{"pgid":');
    assert.equal(exactSleeps(a).length, 1, 'without the watchdog the group outlives its owner');

    const next = new NodeCommandRunner({ root, logDir: path.join(root, '.goalpost', 'logs'), sandbox: 'off' });
    await next.reapLeftovers();
    await waitFor(() => liveWith(a).length === 0, 5000, 'the group of the temporary record to be ended');
    assert.deepEqual(fs.readdirSync(running), [inFlight]);
    fs.rmSync(path.join(running, inFlight));
  });

  it('leaves the records of a live Goalpost alone', async () => {
    const a = token();
    startOwner(`sleep ${a}`, 'off');
    await waitFor(() => exactSleeps(a).length === 1, 15000, 'the command to start');
    await waitFor(() => records(path.join(root, '.goalpost', 'running')).length === 1, 5000, 'the running group to be recorded');
    const other = new NodeCommandRunner({ root, logDir: path.join(root, '.goalpost', 'logs'), sandbox: 'off' });
    assert.deepEqual(await other.reapLeftovers(), []);
    assert.equal(exactSleeps(a).length, 1);
    assert.equal(records(path.join(root, '.goalpost', 'running')).length, 1);
  });

  it('keeps nothing behind after a command that ended normally', async () => {
    const runner = new NodeCommandRunner({ root, logDir: path.join(root, '.goalpost', 'logs'), sandbox: 'off' });
    const r = await runner.run({ command: 'echo hi', timeoutMs: 10000, label: 'plain' });
    assert.equal(r.exitCode, 0);
    assert.deepEqual(records(path.join(root, '.goalpost', 'running')), []);
  });
});
