// Edit Goal (F1.6): the next turn is told once that the new objective supersedes the old one.
import * as assert from 'node:assert/strict';
import type { ModelRequest } from '../../../../src/engine/ports';
import { call, dynamic, reply } from '../../../support/fakes/scriptedModel';
import { approve, firstUserMessage, plan, startGoal, writeAndFinish } from './loopKit';

const NOTICE = '# The objective has changed';
const NEW_OBJECTIVE = 'Add greet(name) and farewell(name) to src/greet.js.';

function turnStarts(requests: ModelRequest[]): ModelRequest[] {
  return requests.filter((r) => r.messages.length === 2);
}

describe('loop: edit objective', () => {
  it('tells the next turn once, with both objectives, then never again', async () => {
    const { rig, controller } = await startGoal();
    const edited = await controller.editObjective(`  ${NEW_OBJECTIVE}\n`);
    assert.equal(edited.spec.objective, NEW_OBJECTIVE);
    assert.equal(edited.previousObjective, 'Add a greet(name) function to src/greet.js that returns "Hello, <name>!".');
    assert.ok(rig.statusLog.has(`objective edited: ${NEW_OBJECTIVE}`));
    rig.model.script('planner', plan(['Greet', 'Farewell']));
    rig.model.script('actor', ...writeAndFinish('a.js', 'a\n'), ...writeAndFinish('b.js', 'b\n'));
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    assert.equal(goal.previousObjective, null);
    const starts = turnStarts(rig.model.requests.map((r) => r.request));
    const withNotice = starts.filter((r) => firstUserMessage(r).includes(NOTICE));
    assert.equal(withNotice.length, 1, 'exactly one turn is told');
    assert.equal(withNotice[0], starts[0], 'and it is the very next turn (the planner\'s)');
    const notice = firstUserMessage(starts[0]);
    assert.match(notice, /Previous objective:\n[^\n]*\n<untrusted_previous_objective>\nAdd a greet\(name\) function/);
    assert.match(notice, /New objective:\n[^\n]*\n<untrusted_objective>\nAdd greet\(name\) and farewell\(name\)/);
    // Every later request carries the new objective in its goal block.
    for (const r of starts.slice(1)) {
      assert.ok(firstUserMessage(r).includes(NEW_OBJECTIVE));
      assert.ok(!firstUserMessage(r).includes('returns "Hello, <name>!"'));
    }
  });

  it('an edit made while a turn\'s first request is in flight reaches the next turn', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet', 'Farewell']));
    let edit: Promise<unknown> = Promise.resolve();
    rig.model.script('actor',
      dynamic(() => {
        // The user edits the goal while the actor's first request is being answered.
        edit = controller.editObjective(NEW_OBJECTIVE);
        return reply(call('write_file', { path: 'a.js', content: 'a\n' }));
      }),
      reply(call('finish_task', { summary: 'a' })),
      ...writeAndFinish('b.js', 'b\n'));
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();
    await edit;

    assert.equal(goal.status, 'achieved');
    const actorStarts = turnStarts(rig.model.requestsFor('actor'));
    assert.ok(!firstUserMessage(actorStarts[0]).includes(NOTICE), 'the turn in flight started before the edit');
    const told = turnStarts(rig.model.requests.map((r) => r.request)).filter((r) => firstUserMessage(r).includes(NOTICE));
    assert.equal(told.length, 1, 'a later turn is told exactly once');
    assert.equal(goal.previousObjective, null);
  });
});
