// BACKLOG.md faults through the built CLI (issue 12): garbage written mid-run is set aside with a warning
// and never committed or merged as deletions; a TODO the user adds while the completion audit runs is
// read before the goal may end `achieved`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startScriptedServer, toolCall, type RecordedRequest, type ScriptedServer, type ScriptStep } from '../support/scriptedServer';
import { steadyAgent } from '../support/steadyAgent';
import {
  cliEnv, commitsPerTask, FAST, gitStatus, makeRepo, readBacklog, readGoal, runCli, SLOW_MS, useBuiltCli, type TestRepo,
} from './helpers';

const OBJECTIVE = 'Fix add() in math.js so npm test passes, document it in NOTES.md and start CHANGES.md.';

function lastUserText(req: RecordedRequest): string {
  return req.body.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
}

function show(dir: string, rev: string, file: string): string {
  return spawnSync('git', ['show', `${rev}:${file}`], { cwd: dir, encoding: 'utf8' }).stdout;
}

describe('goalpost run: BACKLOG.md faults', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  it('a binary BACKLOG.md written during a task is set aside with a warning, not committed, nothing redone', async () => {
    repo = makeRepo();
    const garbage = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x41]);
    let planted = false;
    server = await startScriptedServer((req): ScriptStep => {
      // While t2 is being worked on, the file is clobbered (an editor crash, a bad merge…).
      if (!planted && req.role === 'actor' && lastUserText(req).includes('<untrusted_task>\n[t2]')) {
        planted = true;
        fs.writeFileSync(path.join(repo.dir, 'BACKLOG.md'), garbage);
      }
      return steadyAgent(req);
    });
    const result = await runCli(['run', OBJECTIVE, '--goal-id', 'garbage', ...FAST], { cwd: repo.dir, env: cliEnv(server.baseUrl) , timeoutMs: SLOW_MS });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.ok(planted);

    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'achieved');
    assert.deepEqual(goal.backlog.map((t) => [t.id, t.status, t.attempts.length]), [['t1', 'done', 1], ['t2', 'done', 1], ['t3', 'done', 1]]);
    assert.deepEqual([...commitsPerTask(repo.dir).entries()].sort(), [['t1', 1], ['t2', 1], ['t3', 1]]);
    const aside = fs.readdirSync(path.join(repo.dir, '.goalpost')).filter((f) => f.startsWith('BACKLOG.md.invalid-'));
    assert.equal(aside.length, 1, 'set aside under .goalpost/');
    assert.deepEqual(fs.readFileSync(path.join(repo.dir, '.goalpost', aside[0])), garbage, 'kept byte for byte');
    assert.match(`${result.stdout}\n${result.stderr}`, /BACKLOG\.md was not read: it holds binary data/);
    // The t2 commit carries the engine's BACKLOG.md, never the garbage.
    const t2Commit = goal.backlog[1].commit ?? '';
    assert.match(show(repo.dir, t2Commit, 'BACKLOG.md'), /## DONE \(2\)/);
    assert.match(readBacklog(repo.dir), /## DONE \(3\)/);
    assert.equal(gitStatus(repo.dir).trim(), '');
  });

  it('a TODO added to BACKLOG.md while the completion audit runs is done before the goal is achieved', async () => {
    repo = makeRepo();
    let audits = 0;
    server = await startScriptedServer((req): ScriptStep => {
      const text = lastUserText(req);
      if (req.role === 'reviewer' && text.includes('# Completion audit')) {
        audits++;
        if (audits === 1) {
          // The user's edit lands a moment before the audit's verdict.
          const file = path.join(repo.dir, 'BACKLOG.md');
          fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/## TODO[^\n]*\n/, (h) => `${h}\n- [ ] Add a LICENSE note\n`));
        }
      }
      if (req.role === 'actor' && text.includes('<untrusted_task>\n[t4]')) {
        const last = req.body.messages[req.body.messages.length - 1];
        return last?.role !== 'tool'
          ? toolCall('write_file', { path: 'LICENSE-NOTE.md', content: 'MIT\n' })
          : toolCall('finish_task', { summary: 'Wrote the note.' });
      }
      return steadyAgent(req);
    });
    const result = await runCli(['run', OBJECTIVE, '--goal-id', 'late-edit', ...FAST], { cwd: repo.dir, env: cliEnv(server.baseUrl) , timeoutMs: SLOW_MS });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.equal(audits, 2, 'the first audit was set aside by the edit; the second one ended the goal');
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'achieved');
    const added = goal.backlog.find((t) => t.title === 'Add a LICENSE note');
    assert.equal(added?.status, 'done');
    assert.equal(added?.source, 'user');
    assert.equal(commitsPerTask(repo.dir).get(added?.id ?? ''), 1);
  });
});
