// The user's BACKLOG.md edits win: reordering and adding tasks while the agent works on one task
// changes what the next iteration works on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byRole, startScriptedServer, toolCall, type RecordedRequest, type ScriptedServer } from '../support/scriptedServer';
import { useBuiltCli, cliEnv, FAST, makeRepo, readBacklog, readGoal, runCli, task, type TestRepo } from './helpers';

/** The task the actor was given: the `[tN] title` line of its continuation prompt. */
function currentTask(req: RecordedRequest): string {
  const user = req.body.messages.find((m) => m.role === 'user');
  const m = /<untrusted_task>\s*\n\[(t\d+)\] ([^\n]+)/.exec(String(user?.content ?? ''));
  return m ? `${m[1]} ${m[2]}` : '(none)';
}

describe('goalpost run: user edits to BACKLOG.md', function () {
  let repo: TestRepo;
  let server: ScriptedServer;

  useBuiltCli(() => ({ repo, server }));

  it('works next on the task the user put first, including one the user added', async () => {
    repo = makeRepo();
    const finish = (summary: string): ReturnType<typeof toolCall> => toolCall('finish_task', { summary });
    const approve = toolCall('submit_review', { verdict: 'approve', summary: 'ok', notes: [] });
    const queues = byRole({
      planner: [toolCall('submit_plan', {
        tasks: [task('Fix add in math.js'), task('Write NOTES.md'), task('Write CHANGELOG.md')],
        validation_commands: [],
      })],
      actor: [
        toolCall('edit_file', { path: 'math.js', old_text: 'return a - b;', new_text: 'return a + b;' }),
        finish('Fixed add.'),
        toolCall('write_file', { path: 'USER.md', content: 'user task\n' }),
        finish('Did the user task.'),
        toolCall('write_file', { path: 'CHANGELOG.md', content: '# Changes\n' }),
        finish('Changelog.'),
        toolCall('write_file', { path: 'NOTES.md', content: 'notes\n' }),
        finish('Notes.'),
      ],
      reviewer: [approve, approve, approve, approve, approve],
    });
    let edited = false;
    server = await startScriptedServer((req) => {
      if (req.role === 'actor' && !edited) {
        edited = true;
        // The user reorders TODO (CHANGELOG before NOTES) and adds a task of their own on top.
        const file = path.join(repo.dir, 'BACKLOG.md');
        const text = fs.readFileSync(file, 'utf8');
        const lines = text.split('\n');
        const notes = lines.findIndex((l) => l.includes('Write NOTES.md'));
        const changelog = lines.findIndex((l) => l.includes('Write CHANGELOG.md'));
        assert.ok(notes > 0 && changelog > notes, text);
        const reordered = [...lines];
        reordered[notes] = lines[changelog];
        reordered[changelog] = lines[notes];
        reordered.splice(notes, 0, '- [ ] Create USER.md as the user asks', '  The user added this task by hand.', '');
        fs.writeFileSync(file, reordered.join('\n'));
      }
      return queues(req);
    });

    const result = await runCli(['run', 'Fix the add function in math.js and write the docs the backlog lists for it.', ...FAST, '--validate', 'node test.js'], {
      cwd: repo.dir, env: cliEnv(server.baseUrl),
    });
    assert.deepEqual(server.requests.filter((r) => r.error).map((r) => r.error), []);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);

    // The first actor request of each iteration names its task: user order wins from iteration 2 on.
    const firstOfIteration = server.requests.filter((r) => r.role === 'actor' && r.body.messages.length === 2);
    assert.deepEqual(firstOfIteration.map(currentTask), [
      't1 Fix add in math.js',
      't4 Create USER.md as the user asks',
      't3 Write CHANGELOG.md',
      't2 Write NOTES.md',
    ]);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'achieved');
    const userTask = goal.backlog.find((t) => t.title === 'Create USER.md as the user asks');
    assert.equal(userTask?.source, 'user');
    assert.equal(userTask?.details, 'The user added this task by hand.');
    assert.match(readBacklog(repo.dir), /## DONE \(4\)/);
    // Many requests on one run signal: no listener leak warning from Node.
    assert.ok(server.requests.length > 11);
    assert.doesNotMatch(result.stderr, /MaxListenersExceeded/);
  });
});
