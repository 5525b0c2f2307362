import { strict as assert } from 'node:assert';
import type { GoalSpec } from '../../../../src/engine/goal';
import { WorkspaceError } from '../../../../src/engine/ports';
import { detectValidation, hasMakeTestTarget, resolveValidation } from '../../../../src/engine/validationDetect';

/** An in-memory folder: readText returns the file or null, like the real Workspace. */
function files(contents: Record<string, string>): { readText(path: string): Promise<string | null>; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readText(p: string): Promise<string | null> {
      reads.push(p);
      return Promise.resolve(Object.prototype.hasOwnProperty.call(contents, p) ? contents[p] : null);
    },
  };
}

function spec(validationCommands: string[] = []): GoalSpec {
  return { objective: 'Make it work well enough for users.', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands };
}

const NPM_REAL = JSON.stringify({ name: 'x', scripts: { test: 'mocha' } });
const NPM_INIT = JSON.stringify({ name: 'x', scripts: { test: 'echo "Error: no test specified" && exit 1' } });

describe('engine/validationDetect', () => {
  describe('resolveValidation order', () => {
    it('prefers the goal file', async () => {
      const v = await resolveValidation({ spec: spec(['make check']), settingsCommands: ['npm run ci'], files: files({ 'package.json': NPM_REAL }) });
      assert.deepEqual(v, { commands: ['make check'], source: 'goal-file' });
    });
    it('then the setting', async () => {
      const v = await resolveValidation({ spec: spec(), settingsCommands: ['npm run ci', '  '], files: files({ 'package.json': NPM_REAL }) });
      assert.deepEqual(v, { commands: ['npm run ci'], source: 'settings' });
    });
    it('then detection', async () => {
      const v = await resolveValidation({ spec: spec(), settingsCommands: [], files: files({ 'package.json': NPM_REAL }) });
      assert.deepEqual(v, { commands: ['npm test'], source: 'detected' });
    });
    it('else none', async () => {
      const v = await resolveValidation({ spec: spec(), settingsCommands: [], files: files({ 'README.md': '# hi' }) });
      assert.deepEqual(v, { commands: [], source: 'none' });
    });
    it('does not read the folder when the goal file names commands', async () => {
      const fake = files({ 'package.json': NPM_REAL });
      await resolveValidation({ spec: spec(['make check']), settingsCommands: [], files: fake });
      assert.deepEqual(fake.reads, []);
    });
  });

  describe('npm', () => {
    it('detects a real test script', async () => {
      assert.deepEqual(await detectValidation(files({ 'package.json': NPM_REAL })), ['npm test']);
    });
    it("ignores npm init's placeholder, an empty script and no script", async () => {
      assert.deepEqual(await detectValidation(files({ 'package.json': NPM_INIT })), []);
      assert.deepEqual(await detectValidation(files({ 'package.json': JSON.stringify({ scripts: { test: '  ' } }) })), []);
      assert.deepEqual(await detectValidation(files({ 'package.json': JSON.stringify({ scripts: { build: 'tsc' } }) })), []);
      assert.deepEqual(await detectValidation(files({ 'package.json': JSON.stringify({ scripts: { test: 42 } }) })), []);
    });
    it('skips a corrupt package.json without throwing', async () => {
      assert.deepEqual(await detectValidation(files({ 'package.json': '{ "scripts": { "test": "mocha" ', 'go.mod': 'module x' })), ['go test ./...']);
      assert.deepEqual(await detectValidation(files({ 'package.json': 'null' })), []);
    });
  });

  describe('pytest', () => {
    for (const [name, content] of [
      ['pytest.ini', '[pytest]\n'],
      ['conftest.py', 'import pytest\n'],
      ['pyproject.toml', '[tool.pytest.ini_options]\naddopts = "-q"\n'],
      ['setup.cfg', '[tool:pytest]\ntestpaths = tests\n'],
      ['tox.ini', '[testenv]\ncommands = pytest\n'],
    ] as const) {
      it(`detects pytest from ${name}`, async () => {
        assert.deepEqual(await detectValidation(files({ [name]: content })), ['pytest']);
      });
    }
    it('does not detect pytest from a pyproject.toml that never mentions it', async () => {
      assert.deepEqual(await detectValidation(files({ 'pyproject.toml': '[project]\nname = "x"\n', 'setup.cfg': '[metadata]\nname = x\n' })), []);
    });
  });

  it('detects go and cargo', async () => {
    assert.deepEqual(await detectValidation(files({ 'go.mod': 'module example.com/x\n' })), ['go test ./...']);
    assert.deepEqual(await detectValidation(files({ 'Cargo.toml': '[package]\nname = "x"\n' })), ['cargo test']);
  });

  describe('make', () => {
    it('detects a test target in Makefile, makefile or GNUmakefile', async () => {
      for (const name of ['Makefile', 'makefile', 'GNUmakefile']) {
        assert.deepEqual(await detectValidation(files({ [name]: 'build:\n\tcc x.c\n\ntest: build\n\t./x --self-test\n' })), ['make test'], name);
      }
    });
    it('needs a real test target', async () => {
      assert.deepEqual(await detectValidation(files({ Makefile: 'build:\n\tcc x.c\n.PHONY: test\n' })), []);
      assert.equal(hasMakeTestTarget('test := 1\n'), false);
      assert.equal(hasMakeTestTarget('tests:\n\tx\n'), false);
      assert.equal(hasMakeTestTarget('pretest:\n\tx\n'), false);
      assert.equal(hasMakeTestTarget('# test: in a comment\n'), false);
      assert.equal(hasMakeTestTarget('test:\n\tx\n'), true);
      assert.equal(hasMakeTestTarget('lint test: deps\n\tx\n'), true);
      assert.equal(hasMakeTestTarget('test::\n\tx\n'), true);
    });
  });

  it('returns every command that applies, in the documented order', async () => {
    const all = files({
      Makefile: 'test:\n\tnpm test\n',
      'Cargo.toml': '[package]\n',
      'go.mod': 'module x\n',
      'pytest.ini': '[pytest]\n',
      'package.json': NPM_REAL,
    });
    assert.deepEqual(await detectValidation(all), ['npm test', 'pytest', 'go test ./...', 'cargo test', 'make test']);
    const v = await resolveValidation({ spec: spec(), settingsCommands: [], files: files({ 'package.json': NPM_REAL, Makefile: 'test:\n\tx\n' }) });
    assert.deepEqual(v, { commands: ['npm test', 'make test'], source: 'detected' });
  });

  it('treats a file the workspace refuses to read as missing', async () => {
    const refusing = {
      readText(p: string): Promise<string | null> {
        if (p === 'package.json') return Promise.reject(new WorkspaceError('package.json is a directory'));
        return Promise.resolve(p === 'go.mod' ? 'module x\n' : null);
      },
    };
    assert.deepEqual(await detectValidation(refusing), ['go test ./...']);
  });
});
