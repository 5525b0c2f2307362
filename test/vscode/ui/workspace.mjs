// The UI tests' workspace: a small Node package with a failing test, committed in git, with the
// settings the extension reads (the scripted model's base URL, the theme) in .vscode/settings.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The one definition of the state folder's names (compiled; the UI tests need `out/` anyway).
const { statePath } = createRequire(import.meta.url)('../../../out/src/engine/stateFiles.js');

export const BUGGY_CALC = `'use strict';

function add(a, b) {
  return a - b;
}

module.exports = { add };
`;

export const FIXED_CALC = `'use strict';

function add(a, b) {
  return a + b;
}

module.exports = { add };
`;

export const MULTIPLY_CALC = `'use strict';

function add(a, b) {
  return a + b;
}

function multiply(a, b) {
  return a * b;
}

module.exports = { add, multiply };
`;

const TEST = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { add } = require('../src/calc');

test('add sums two numbers', () => {
  assert.equal(add(2, 3), 5);
});
`;

function git(dir, ...args) {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@localhost', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@localhost' } });
}

/** Creates the workspace; returns its path. */
export function createWorkspace(settings) {
  const dir = mkdtempSync(join(tmpdir(), 'goalpost-ui-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'test'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ui-calc', version: '1.0.0', private: true, scripts: { test: 'node --test test/' } }, null, 2));
  writeFileSync(join(dir, 'src', 'calc.js'), BUGGY_CALC);
  writeFileSync(join(dir, 'test', 'calc.test.js'), TEST);
  writeFileSync(join(dir, 'README.md'), '# ui-calc\n\nA tiny calculator.\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  // The settings file must not make the tree dirty (Goalpost asks about a dirty tree before it starts).
  writeFileSync(join(dir, '.git', 'info', 'exclude'), '.vscode/\n');
  writeSettings(dir, settings);
  return dir;
}

/** (Re)writes .vscode/settings.json; VS Code applies a changed file at once. */
export function writeSettings(dir, settings) {
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * The engine's record, or null: the snapshot .goalpost/goal.json with the saves of .goalpost/goal.journal
 * applied (the format of src/adapters/store/journal.ts: a header naming the snapshot, then one
 * {"r", "ops"} line per save; a last line without its newline is dropped).
 */
export function goalJson(dir) {
  const file = join(dir, statePath('goal'));
  if (!existsSync(file)) return null;
  const goal = JSON.parse(readFileSync(file, 'utf8'));
  const journal = join(dir, statePath('journal'));
  if (!existsSync(journal)) return goal;
  const lines = readFileSync(journal, 'utf8').split('\n').slice(0, -1);
  const header = lines.length > 0 ? JSON.parse(lines[0]) : null;
  if (!header || header.id !== goal.id || header.createdAt !== goal.createdAt || header.base !== goal.revision) return goal;
  for (const line of lines.slice(1)) {
    const { r, ops } = JSON.parse(line);
    for (const [kind, path, value] of ops) {
      const parent = path.slice(0, -1).reduce((node, key) => node[key], goal);
      const last = path[path.length - 1];
      if (kind === 's') parent[last] = value;
      else if (kind === 'd') delete parent[last];
      else parent[last].length = value;
    }
    goal.revision = r;
  }
  return goal;
}

/** Goals in .goalpost/history/. */
export function historyJson(dir) {
  const d = join(dir, statePath('history'));
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(d, f), 'utf8'))) : [];
}

/** Subjects of the commits on the goal's branch since the initial commit. */
export function agentCommits(dir) {
  return git(dir, 'log', '--format=%s', '--all', '--grep=^Goalpost-Task: ').trim().split('\n').filter(Boolean);
}

export function removeWorkspace(dir) {
  rmSync(dir, { recursive: true, force: true });
}
