// kill -9 of the built CLI at the dangerous instants (issue 12), deterministically: GOALPOST_TEST_CRASH_AT
// makes the CLI SIGKILL itself at a named point, and a `git` wrapper on PATH holds the commit open so the
// test can kill the CLI while its git child is mid-commit. After each crash `--resume` must reach
// `achieved` with exactly one commit per task, and the record must never say DONE without a commit.
// Assertions are on outcomes (status --json, git history, BACKLOG.md), not on how the store keeps them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';
import { STEADY_TASKS, steadyAgent } from '../support/steadyAgent';
import {
  cliEnv, cliPath, commitsPerTask, FAST, gitLog, gitStatus, makeRepo, processesMatching, readBacklog, readGoal, readStatusLog, runCli, startCli,
  SLOW_MS, useBuiltCli, waitFor, type CliResult, type TestRepo,
} from './helpers';

const OBJECTIVE = 'Fix add() in math.js so npm test passes, document it in NOTES.md and start CHANGES.md.';

/** What `goalpost status --json` says about the folder. */
function statusJson(dir: string, env: NodeJS.ProcessEnv): { status: string; tasks: { done: number; inProgress: number }; commits: number } {
  const r = spawnSync(process.execPath, [cliPath(), 'status', '--json'], { cwd: dir, env, encoding: 'utf8' });
  return JSON.parse(r.stdout) as { status: string; tasks: { done: number; inProgress: number }; commits: number };
}

/** The record's tasks DONE and the agent commits in git agree: no DONE without its own commit. */
function assertNoDoneWithoutCommit(dir: string, env: NodeJS.ProcessEnv, what: string): void {
  const s = statusJson(dir, env);
  const committedTasks = commitsPerTask(dir).size;
  assert.ok(s.tasks.done <= committedTasks, `${what}: ${s.tasks.done} tasks DONE but only ${committedTasks} committed`);
  assert.ok(s.commits <= committedTasks, `${what}: the record lists commits git does not have`);
}

/** After the resume: achieved, every task DONE with exactly one commit, the record's shas are git's. */
function assertAchievedOnce(dir: string, resumed: CliResult): void {
  assert.equal(resumed.code, 0, `resume exit code\n${resumed.stdout}\n${resumed.stderr}`);
  const goal = readGoal(dir);
  assert.equal(goal.status, 'achieved');
  const perTask = commitsPerTask(dir);
  assert.deepEqual([...perTask.entries()].sort(), STEADY_TASKS.map((_, i) => [`t${i + 1}`, 1]), 'one commit per task, none twice');
  const shaOf = new Map(gitLog(dir).map((c) => [/^Goalpost-Task:\s*(\S+)/m.exec(c.body)?.[1], c.sha]));
  for (const t of goal.backlog) {
    assert.equal(t.status, 'done', `${t.id} done`);
    assert.equal(t.commit, shaOf.get(t.id), `${t.id}'s recorded commit is the one in git`);
  }
  assert.deepEqual(goal.commits.map((c) => c.taskId).sort(), STEADY_TASKS.map((_, i) => `t${i + 1}`));
  assert.match(readBacklog(dir), /## DONE \(3\)/);
  assert.equal(gitStatus(dir).trim(), '', 'nothing left uncommitted');
}

describe('goalpost run: kill -9 at the dangerous instants, then --resume', function () {
  // Two runs of up to SLOW_MS each (and a wait for the marker): the suite's 120 s must not end a test first.
  this.timeout(2 * SLOW_MS + 120_000);
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  const points: [string, string][] = [
    ['before-commit', 'after BACKLOG.md is rendered for the commit, before git runs'],
    ['after-commit', 'after the commit, before the record knows it'],
    ['after-done', 'after DONE is recorded, before the iteration\'s next save'],
    ['after-commit:2', 'after the second task\'s commit'],
    ['audit', 'during the completion audit'],
  ];
  for (const [point, when] of points) {
    it(`${when} (${point})`, async () => {
      repo = makeRepo();
      server = await startScriptedServer(steadyAgent);
      const env = cliEnv(server.baseUrl);
      const killed = await runCli(['run', OBJECTIVE, '--goal-id', 'crash', ...FAST], { cwd: repo.dir, env: { ...env, GOALPOST_TEST_CRASH_AT: point } , timeoutMs: SLOW_MS });
      assert.equal(killed.signal, 'SIGKILL', `the CLI killed itself at ${point}\n${killed.stdout}\n${killed.stderr}`);
      assertNoDoneWithoutCommit(repo.dir, env, `at ${point}`);
      if (point === 'audit') assert.equal(statusJson(repo.dir, env).tasks.done, 3);

      const resumed = await runCli(['run', '--resume', ...FAST], { cwd: repo.dir, env , timeoutMs: SLOW_MS });
      assertAchievedOnce(repo.dir, resumed);
      if (point.startsWith('after-commit')) {
        const id = point === 'after-commit' ? 't1' : 't2';
        assert.ok(readStatusLog(repo.dir).some((l) => l.includes(`${id} was already committed as`)), 'the commit was adopted, not redone');
      }
    });
  }

  it('while its git child is mid-commit: the commit the orphaned git finishes is adopted, never duplicated', async () => {
    repo = makeRepo();
    server = await startScriptedServer(steadyAgent);
    const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    const bin = path.join(repo.base, 'bin');
    const marker = path.join(repo.base, 'commit-started');
    fs.mkdirSync(bin);
    // The first `git … commit` announces itself and waits a moment: the CLI is killed meanwhile, and the
    // orphaned git then finishes the commit on its own.
    fs.writeFileSync(path.join(bin, 'git'), [
      '#!/bin/sh',
      // Its output goes nowhere: the killed CLI's pipes are gone, and a write to them (SIGPIPE) must not be what
      // decides whether the orphan finishes (it did once on a loaded machine).
      `for a in "$@"; do if [ "$a" = commit ] && [ ! -e '${marker}' ]; then : > '${marker}'; sleep 2; exec '${realGit}' "$@" >/dev/null 2>&1 </dev/null; fi; done`,
      `exec '${realGit}' "$@"`,
      '',
    ].join('\n'), { mode: 0o755 });
    const env = cliEnv(server.baseUrl);
    const run = startCli(['run', OBJECTIVE, '--goal-id', 'crash', ...FAST], { cwd: repo.dir, env: { ...env, PATH: `${bin}:${env.PATH ?? ''}` } , timeoutMs: SLOW_MS });
    await waitFor(() => fs.existsSync(marker), 90_000, 'the first commit to start');
    run.child.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL');
    await waitFor(() => processesMatching('Goalpost-Goal: crash').length === 0, 10_000, 'the orphaned git commit to end');
    assert.equal(commitsPerTask(repo.dir).get('t1'), 1, 'the orphaned git did commit t1');
    assertNoDoneWithoutCommit(repo.dir, env, 'mid-commit');

    const resumed = await runCli(['run', '--resume', ...FAST], { cwd: repo.dir, env , timeoutMs: SLOW_MS });
    assertAchievedOnce(repo.dir, resumed);
    assert.ok(readStatusLog(repo.dir).some((l) => l.includes('t1 was already committed as')), 'the orphan\'s commit was adopted');
  });
});
