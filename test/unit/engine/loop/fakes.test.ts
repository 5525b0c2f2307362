// The in-memory fakes behave like the adapters they stand in for, so the loop tests (and benchmarks)
// built on them prove something about the real product.
import * as assert from 'node:assert/strict';
import { Aborted } from '../../../../src/engine/errors';
import { ModelError, WorkspaceError } from '../../../../src/engine/ports';
import { FakeGit } from '../../../support/fakes/fakeGit';
import { FakeRunner } from '../../../support/fakes/fakeRunner';
import { ManualClock } from '../../../support/fakes/manualClock';
import { MemoryWorkspace } from '../../../support/fakes/memoryWorkspace';
import { call, hang, reply, ScriptedModel } from '../../../support/fakes/scriptedModel';

describe('test fakes', () => {
  describe('MemoryWorkspace', () => {
    it('refuses absolute paths, escapes and .git like the real workspace', async () => {
      const ws = new MemoryWorkspace({ 'a/b.txt': 'one\ntwo\nthree\n' });
      for (const bad of ['/etc/passwd', 'C:\\Windows\\x', '../x', 'a/../../x', '.git/config', 'sub/.git/HEAD', '~/x']) {
        await assert.rejects(ws.readFile(bad), WorkspaceError, bad);
        await assert.rejects(ws.writeFile(bad, 'x'), WorkspaceError, bad);
      }
      assert.equal(ws.resolve('a/./c/../b.txt'), 'a/b.txt');
      assert.deepEqual(await ws.readFile('a/b.txt', { startLine: 2, endLine: 3 }),
        { text: 'two\nthree', startLine: 2, endLine: 3, totalLines: 3, truncated: false });
      await assert.rejects(ws.readFile('missing.txt'), /"missing\.txt" does not exist/);
      await assert.rejects(ws.deleteFile('missing.txt'), WorkspaceError);
    });

    it('lists and searches without .git/ and .goalpost/', async () => {
      const ws = new MemoryWorkspace({ 'src/x.ts': 'const needle = 1;\n', '.goalpost/state.json': 'needle', 'README.md': 'no\n' });
      const { entries } = await ws.listFiles('.');
      assert.deepEqual(entries.map((e) => `${e.type}:${e.path}`), ['file:README.md', 'dir:src', 'file:src/x.ts']);
      const { matches } = await ws.searchText('needle');
      assert.deepEqual(matches, [{ path: 'src/x.ts', line: 1, text: 'const needle = 1;' }]);
    });
  });

  describe('FakeGit', () => {
    it('computes changed files and diffs against the last commit, honouring exclusions', async () => {
      const ws = new MemoryWorkspace({ 'a.txt': 'a\n' });
      const git = new FakeGit(ws);
      await git.ensureExcluded(['.goalpost/']);
      assert.equal(await git.isDirty(), false);
      ws.put('a.txt', 'A\n');
      ws.put('b.txt', 'b\n');
      ws.put('.goalpost/x', 'ignored');
      assert.deepEqual(await git.changedFiles(), ['a.txt', 'b.txt']);
      const diff = await git.diff();
      assert.match(diff, /--- a\/a\.txt\n\+\+\+ b\/a\.txt\n@@ -1,1 \+1,1 @@\n-a\n\+A/);
      assert.match(diff, /new file mode 100644\n--- \/dev\/null\n\+\+\+ b\/b\.txt/);
      const base = await git.headSha();
      const sha = await git.commit('Change\n\nGoalpost-Goal: g1\nGoalpost-Task: t1');
      assert.match(sha ?? '', /^[0-9a-f]{40}$/);
      assert.equal(await git.commit('nothing'), null);
      assert.equal(await git.diff(), '');
      assert.match(await git.diff(base ?? undefined), /\+A/);
    });

    it('finds a commit only by both trailers in the last paragraph, on the current branch', async () => {
      const ws = new MemoryWorkspace({ 'a.txt': 'a\n' });
      const git = new FakeGit(ws);
      git.commitNow('Mentions Goalpost-Goal: g1 in the subject\n\nGoalpost-Task: t1');
      git.commitNow('Body\n\nGoalpost-Goal: g1\nGoalpost-Task: t2\n\nNot trailers any more');
      assert.equal(await git.findCommitByTrailers('g1', 't1'), null);
      assert.equal(await git.findCommitByTrailers('g1', 't2'), null);
      await git.checkoutBranch('goalpost/g1');
      const sha = git.commitNow('Task\n\nGoalpost-Goal: g1\nGoalpost-Task: t3');
      assert.equal(await git.findCommitByTrailers('g1', 't3'), sha);
      await git.checkoutBranch('main');
      assert.equal(await git.findCommitByTrailers('g1', 't3'), null, 'not on this branch');
    });
  });

  describe('FakeRunner', () => {
    it('plays a sequence per command (the last repeats) and kills a hanging command on abort', async () => {
      const runner = new FakeRunner().on('npm test', [{ exitCode: 1, output: 'fail' }, { exitCode: 0 }]);
      const run = (command: string, signal?: AbortSignal): ReturnType<FakeRunner['run']> => runner.run({ command, timeoutMs: 1000, label: 'x', signal });
      assert.equal((await run('npm test')).exitCode, 1);
      assert.equal((await run('npm test')).exitCode, 0);
      assert.equal((await run('npm test')).exitCode, 0);
      assert.equal((await run('echo hi')).exitCode, 0);
      runner.on('sleep 100', { hang: true });
      const abort = new AbortController();
      const pending = run('sleep 100', abort.signal);
      await runner.whenStarted(5);
      abort.abort();
      const result = await pending;
      assert.equal(result.aborted, true);
      assert.equal(result.exitCode, null);
    });
  });

  // FakeGit runs the Git/UserGit contract suite beside the real GitRepo (test/unit/adapters/node/gitContract.test.ts).
  // MemoryStore runs the GoalStore contract suite beside the real stores (test/unit/adapters/store/goalStoreContract.test.ts).

  describe('ScriptedModel and ManualClock', () => {
    it('hangs until aborted, then throws ModelError aborted; an empty script fails loudly', async () => {
      const model = new ScriptedModel().script('actor', hang(), reply(call('finish_task', { summary: 's' })));
      const abort = new AbortController();
      const pending = model.complete({ role: 'actor', model: 'm', messages: [], tools: [] }, abort.signal);
      abort.abort();
      await assert.rejects(pending, (e: unknown) => e instanceof ModelError && e.kind === 'aborted');
      const answer = await model.complete({ role: 'actor', model: 'm', messages: [], tools: [] });
      assert.deepEqual(answer.toolCalls.map((c) => [c.name, c.arguments]), [['finish_task', '{"summary":"s"}']]);
      await assert.rejects(model.complete({ role: 'reviewer', model: 'm', messages: [], tools: [] }), /no answer scripted for reviewer request #1/);
    });

    it('sleep moves time at once but honours abort', async () => {
      const clock = new ManualClock('2026-01-01T00:00:00.000Z');
      await clock.sleep(60_000);
      assert.equal(clock.now().toISOString(), '2026-01-01T00:01:00.000Z');
      const abort = new AbortController();
      abort.abort();
      await assert.rejects(clock.sleep(10, abort.signal), Aborted);
    });
  });
});
