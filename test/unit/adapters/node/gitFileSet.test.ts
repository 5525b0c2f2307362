// list_files / search_text take the file set from git when the workspace is in a repository, so a goal
// folder below the repository root honours the root's .gitignore, info/exclude and the user's excludes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeWorkspace } from '../../../../src/adapters/nodeWorkspace';
import { walkWorkspace } from '../../../../src/adapters/workspaceWalk';

describe('file set from git (goal folder below the repository root)', function () {
  this.timeout(20000);
  let base: string;
  let repo: string;
  let pkg: string;
  let ws: NodeWorkspace;

  const write = (rel: string, content: string): void => {
    fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    fs.writeFileSync(path.join(repo, rel), content);
  };
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });

  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-fileset-')));
    repo = path.join(base, 'repo');
    pkg = path.join(repo, 'pkg');
    fs.mkdirSync(repo);
    git('init', '-q');
    write('.gitignore', 'secret.txt\npkg/build/\n');
    write('pkg/src/a.ts', 'export const a = 1; // needle\n');
    write('pkg/gone.txt', 'needle\n');
    write('pkg/node_modules/dep/index.js', 'needle\n');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
    fs.rmSync(path.join(pkg, 'gone.txt'));
    write('pkg/secret.txt', 'needle: the password\n');
    write('pkg/build/out.js', 'needle\n');
    write('pkg/local.cfg', 'needle\n');
    write('pkg/new.txt', 'needle, untracked but not ignored\n');
    write('pkg/.goalpost/goal.json', 'needle\n');
    fs.appendFileSync(path.join(repo, '.git', 'info', 'exclude'), 'pkg/local.cfg\n');
    ws = new NodeWorkspace(pkg);
  });

  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('a walk of the folder alone lists the secret the repository root ignores (the bug)', async () => {
    const walked: string[] = [];
    for await (const e of walkWorkspace(pkg, '')) walked.push(e.rel);
    assert.ok(walked.includes('secret.txt'));
  });

  it('list_files shows what git would track: root rules, info/exclude, untracked files, nothing deleted', async () => {
    const { entries } = await ws.listFiles('.');
    assert.deepEqual(entries.map((e) => `${e.type}:${e.path}`), [
      'file:new.txt',
      'dir:node_modules',
      'dir:src',
      'file:src/a.ts',
    ]);
  });

  it('search_text never reads an ignored file', async () => {
    const { matches } = await ws.searchText('needle');
    assert.deepEqual(matches.map((m) => m.path).sort(), ['new.txt', 'src/a.ts']);
    assert.ok(!JSON.stringify(matches).includes('password'));
  });

  it('lists a subfolder, and an ignored folder asked for by name', async () => {
    assert.deepEqual((await ws.listFiles('src')).entries.map((e) => e.path), ['src/a.ts']);
    assert.deepEqual((await ws.listFiles('build')).entries.map((e) => e.path), ['build/out.js']);
  });
});
