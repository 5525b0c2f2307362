// The one composition root (adapters/goalParts.ts): what it wires reads the host's settings and secrets
// live, so a change applies to the next command or status line; its files are where stateFiles says.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { wireGoal, type GoalHost } from '../../../../src/adapters/goalParts';
import { loadPromptLibrary } from '../../../../src/adapters/promptFiles';
import { sandboxStatus } from '../../../../src/adapters/sandbox';
import type { Model, StatusEvent, StatusLog } from '../../../../src/engine/ports';
import { EngineSettings } from '../../../../src/engine/settings';
import { statePath } from '../../../../src/engine/stateFiles';

const unusedModel: Model = { complete: () => Promise.reject(new Error('no model request is expected here')) };

function gitRepo(dir: string): void {
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('-c', 'user.name=T', '-c', 'user.email=t@localhost', 'commit', '-q', '--allow-empty', '-m', 'initial');
}

const event = (message: string): StatusEvent => ({ at: new Date('2026-01-02T03:04:05.000Z'), goalId: 'g-wire', phase: 'act', message });

describe('wireGoal (the one composition root)', function () {
  this.timeout(30_000);
  let root: string;
  let settings: EngineSettings;
  let secrets: string[];

  async function wire(extra: Partial<GoalHost> = {}): Promise<ReturnType<typeof wireGoal>> {
    return wireGoal({
      root,
      settings: () => settings,
      secrets: () => secrets,
      model: unusedModel,
      prompts: await loadPromptLibrary(),
      env: { PATH: process.env.PATH, PROBE_VALUE: 'probe-secret-0123456789' },
      ...extra,
    });
  }

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-wire-')));
    gitRepo(root);
    settings = EngineSettings.parse({ sandbox: 'off' });
    secrets = [];
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('runs each command under the sandbox setting of that moment', async () => {
    const { deps, runner } = await wire();
    const run = async (): Promise<string> => (await deps.commands.run({ command: 'echo "pid=$$"', timeoutMs: 10_000, label: 'probe' })).output;
    assert.match(runner.sandboxStatus().reason, /sandbox is off/);
    const plain = Number(/pid=(\d+)/.exec(await run())?.[1]);
    settings = { ...settings, sandbox: 'workspace-write' };
    const expected = sandboxStatus({ mode: 'workspace-write', network: false });
    assert.deepEqual(runner.sandboxStatus(), expected, 'the status follows the setting without a new runner');
    const after = Number(/pid=(\d+)/.exec(await run())?.[1]);
    assert.ok(plain >= 10, `the plain command saw the host's PIDs (${plain})`);
    if (expected.active) assert.ok(after < 10, `the next command ran in the sandbox's PID namespace (${after})`);
    else assert.ok(after >= 10, 'without a usable bubblewrap it still runs, plainly');
  });

  it('strips a secret from the commands\' environment as soon as the host knows it', async () => {
    const { deps } = await wire();
    const run = async (): Promise<string> => (await deps.commands.run({ command: 'echo "value=${PROBE_VALUE:-none}"', timeoutMs: 10_000, label: 'env' })).output;
    assert.match(await run(), /value=probe-secret-0123456789/);
    secrets = ['probe-secret-0123456789'];
    assert.match(await run(), /value=none/);
  });

  it('writes each status line to the status log path of that moment, and keeps a new path out of git', async () => {
    const { deps } = await wire();
    await deps.statusLog.append(event('before the change'));
    settings = { ...settings, statusLogPath: 'logs/moved.log' };
    await deps.statusLog.append(event('after the change'));
    assert.match(fs.readFileSync(path.join(root, 'goal_status.log'), 'utf8'), /before the change/);
    assert.doesNotMatch(fs.readFileSync(path.join(root, 'goal_status.log'), 'utf8'), /after the change/);
    assert.match(fs.readFileSync(path.join(root, 'logs', 'moved.log'), 'utf8'), /after the change/);
    const exclude = fs.readFileSync(path.join(root, '.git', 'info', 'exclude'), 'utf8').split('\n');
    assert.ok(exclude.includes('/logs/moved.log'), 'the moved log is excluded from git (anchored at the folder: it has a slash inside)');
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }), '', 'neither log shows as a change');
  });

  it('writes a status line even where git cannot keep it out (not a repository)', async () => {
    fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
    const { deps } = await wire();
    await deps.statusLog.append(event('no repository'));
    assert.match(fs.readFileSync(path.join(root, 'goal_status.log'), 'utf8'), /no repository/);
  });

  it('takes the host\'s store, command wrapper and status log label; command logs and transcripts go under .goalpost/', async () => {
    const seen: string[] = [];
    const labelled: StatusLog[] = [];
    const { deps } = await wire({
      commands: (inner) => ({
        run: (request) => {
          seen.push(request.command);
          return inner.run(request);
        },
      }),
      statusLog: (plain) => {
        const log: StatusLog = { append: (e) => plain.append({ ...e, message: `LABEL ${e.message}` }) };
        labelled.push(log);
        return log;
      },
    });
    assert.equal(deps.statusLog, labelled[0]);
    await deps.statusLog.append(event('labelled'));
    assert.match(fs.readFileSync(path.join(root, 'goal_status.log'), 'utf8'), /LABEL labelled/);
    const result = await deps.commands.run({ command: 'echo wrapped', timeoutMs: 10_000, label: 'wrapped' });
    assert.deepEqual(seen, ['echo wrapped']);
    assert.ok(result.logPath?.startsWith(`${statePath('logs')}/`), `command log under ${statePath('logs')}: ${result.logPath}`);
    await deps.transcript.append({ goal: 'g-wire', kind: 'request' });
    assert.ok(fs.existsSync(path.join(root, statePath('transcripts'), 'g-wire.jsonl')));
    assert.equal(deps.workspace.root, root);
  });
});
