// The guards inside one turn: the single reminder when a turn ends without submitting, the repetition
// guard (warning at 3, end at 5) and the per-iteration step cap.
import * as assert from 'node:assert/strict';
import { call, reply, say } from '../../../support/fakes/scriptedModel';
import { approve, attemptStarts, plan, startGoal, taskById, toolResults, writeAndFinish } from './loopKit';

const REMINDER = 'Your turn ended without calling finish_task (or report_blocker).';

describe('loop: turn guards', () => {
  it('a turn without finish_task gets exactly one reminder, then counts as a no-submit attempt', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor',
      say('I believe the work is complete.'),
      say('Really, it is done.'),
      ...writeAndFinish('src/greet.js', 'ok\n'));
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    const actor = rig.model.requestsFor('actor');
    assert.equal(actor.length, 4);
    const second = actor[1];
    const last = second.messages[second.messages.length - 1];
    assert.equal(last.role, 'user');
    assert.ok(last.role === 'user' && last.content.startsWith(REMINDER), 'the reminder is the last message of the next request');
    assert.equal(actor.filter((r) => r.messages.some((m) => m.role === 'user' && m.content.startsWith(REMINDER))).length, 1,
      'exactly one request carries the reminder');
    // The no-submit attempt ended; the next one starts fresh and is told what happened.
    assert.equal(actor[2].messages.length, 2);
    assert.match(actor[2].messages[1].role === 'user' ? actor[2].messages[1].content : '', /Attempt 1 ended: no-submit\./);
    const t1 = taskById(goal, 't1');
    assert.deepEqual(t1.attempts.map((a) => [a.n, a.outcome]), [[1, 'no-submit'], [2, 'finished']]);
    assert.deepEqual(t1.attempts[0].checks, [], 'no checks run for an attempt that never finished');
    assert.ok(rig.statusLog.has('t1 attempt 1 not accepted (the turn ended without finish_task); trying again'));
    assert.equal(goal.status, 'achieved');
  });

  it('warns on the 3rd identical call and ends the attempt on the 5th (outcome repetition)', async () => {
    const { rig, controller } = await startGoal({ files: { 'README.md': '# hi\n' }, settings: { maxAttemptsPerTask: 1 } });
    rig.model.script('planner', plan(['Loop forever']));
    const same = reply(call('read_file', { path: 'README.md' }));
    rig.model.script('actor', same, same, same, same, same);
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    const actor = rig.model.requestsFor('actor');
    assert.equal(actor.length, 5, 'the 5th identical call is not answered with another request');
    const results = toolResults(actor[4]);
    assert.equal(results.length, 4);
    assert.ok(!results[0].includes('Warning:') && !results[1].includes('Warning:'), 'the first two calls are not warned');
    assert.match(results[2], /Warning: you have made this exact read_file call 3 times in this turn\./);
    assert.match(results[3], /4 times/);
    assert.match(results[2], /^README\.md lines 1-1 of 1\n# hi/, 'the warning comes with the real result');
    const t1 = taskById(goal, 't1');
    assert.deepEqual(t1.attempts.map((a) => a.outcome), ['repetition']);
    assert.equal(t1.status, 'blocked');
    assert.match(t1.blockedReason ?? '', /1 attempts without success \(last: the same tool call was repeated\)/);
    assert.ok(rig.statusLog.has('repetition guard: read_file called 5 times with the same arguments; attempt ended'));
    assert.equal(goal.status, 'unmet');
  });

  it('counts calls with the same arguments as identical even when the JSON is spaced differently', async () => {
    const { rig, controller } = await startGoal({ settings: { maxAttemptsPerTask: 1 } });
    rig.model.script('planner', plan(['Spin']));
    const a = { kind: 'reply' as const, content: null, calls: [{ name: 'list_files', raw: '{"path":"."}' }] };
    const b = { kind: 'reply' as const, content: null, calls: [{ name: 'list_files', raw: '{ "path" : "." }' }] };
    rig.model.script('actor', a, b, a, b, a);

    const goal = await controller.run();

    assert.deepEqual(taskById(goal, 't1').attempts.map((x) => x.outcome), ['repetition']);
  });

  it('ends the attempt at the step cap (outcome step-cap) and does not run checks', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 5; i++) files[`f${i}.txt`] = `file ${i}\n`;
    const { rig, controller } = await startGoal({ files, settings: { maxStepsPerIteration: 3, maxAttemptsPerTask: 1 } });
    rig.model.script('planner', plan(['Read a lot']));
    for (let i = 1; i <= 5; i++) rig.model.script('actor', reply(call('read_file', { path: `f${i}.txt` })));

    const goal = await controller.run();

    assert.equal(rig.model.requestsFor('actor').length, 3, 'three model requests, then the cap');
    const t1 = taskById(goal, 't1');
    assert.deepEqual(t1.attempts.map((a) => a.outcome), ['step-cap']);
    assert.match(t1.blockedReason ?? '', /the step cap was reached/);
    assert.deepEqual(rig.runner.commands(), []);
    assert.equal(goal.status, 'unmet');
  });

  it('calls after the terminal one in the same response are not run', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Finish early']));
    rig.model.script('actor', reply(
      call('write_file', { path: 'a.txt', content: 'a\n' }),
      call('finish_task', { summary: 'done' }),
      call('write_file', { path: 'b.txt', content: 'b\n' }),
    ));
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    assert.equal(rig.workspace.get('a.txt'), 'a\n');
    assert.equal(rig.workspace.get('b.txt'), undefined, 'the call after finish_task was not run');
    assert.equal(attemptStarts(rig.model.requestsFor('actor')).length, 1);
  });
});
