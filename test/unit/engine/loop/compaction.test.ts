// Context stays bounded inside one iteration: older tool results are compacted (compaction role) when a
// request would pass contextWindowTokens, and a context-length error triggers one compaction and retry.
import * as assert from 'node:assert/strict';
import type { ChatMessage, ModelRequest } from '../../../../src/engine/ports';
import { shrinkOversized } from '../../../../src/engine/loop/compaction';
import { call, fail, reply, say } from '../../../support/fakes/scriptedModel';
import { approve, finish, plan, requestText, startGoal } from './loopKit';

const SUMMARY = 'Read f1..f3: each holds filler text; nothing to change there yet.';

/** Eight files of ~3,500 characters each, different so no read repeats. */
function bigFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 8; i++) files[`docs/f${i}.txt`] = `${`file ${i} line of filler text for the context window\n`.repeat(64)}`;
  return files;
}

function size(r: ModelRequest): number {
  return JSON.stringify(r.messages).length;
}

async function readEightFiles(contextWindowTokens: number): Promise<{ actor: ModelRequest[]; compaction: ModelRequest[]; statusLines: string[] }> {
  const { rig, controller } = await startGoal({ files: bigFiles(), settings: { contextWindowTokens } });
  rig.model.script('planner', plan(['Survey the docs']));
  for (let i = 1; i <= 8; i++) rig.model.script('actor', reply(call('read_file', { path: `docs/f${i}.txt` })));
  rig.model.script('actor', finish('Surveyed.'));
  rig.model.otherwise('compaction', say(SUMMARY));
  rig.model.otherwise('reviewer', approve());
  const goal = await controller.run();
  assert.equal(goal.status, 'achieved');
  return { actor: rig.model.requestsFor('actor'), compaction: rig.model.requestsFor('compaction'), statusLines: rig.statusLog.lines() };
}

describe('loop: compaction', () => {
  it('compacts older tool results when the request would pass contextWindowTokens, so later requests are smaller', async () => {
    const small = await readEightFiles(6000);
    const large = await readEightFiles(128_000);

    assert.ok(small.compaction.length >= 1, 'a compaction-role request happened');
    assert.equal(large.compaction.length, 0);
    const compaction = small.compaction[0];
    assert.deepEqual(compaction.tools, []);
    assert.equal(typeof compaction.maxTokens, 'number');
    assert.match(requestText(compaction), /Summarise the earlier steps of this iteration/);
    assert.match(requestText(compaction), /file 1 line of filler text/, 'the history to summarise is in the request');

    // Same script, same number of actor requests; the last one is much smaller with compaction.
    assert.equal(small.actor.length, large.actor.length);
    const lastSmall = small.actor[small.actor.length - 1];
    const lastLarge = large.actor[large.actor.length - 1];
    assert.ok(size(lastSmall) < size(lastLarge) * 0.7, `compacted ${size(lastSmall)} vs uncompacted ${size(lastLarge)}`);
    assert.ok(requestText(lastSmall).includes(`Summary of your earlier steps in this iteration (older tool results were compacted):\n${SUMMARY}`));
    // The task message and the system prompt survive compaction verbatim.
    assert.deepEqual(lastSmall.messages.slice(0, 2), lastLarge.messages.slice(0, 2));
    assert.ok(small.statusLines.some((l) => /compacted \d+ earlier messages of this iteration/.test(l)));
  });

  it('keeps every assistant tool call next to its tool result after compacting', async () => {
    const { actor } = await readEightFiles(6000);
    for (const r of actor) {
      r.messages.forEach((m, i) => {
        if (m.role !== 'tool') return;
        const owner = r.messages.slice(0, i).reverse().find((x) => x.role !== 'tool');
        assert.ok(owner?.role === 'assistant' && owner.toolCalls.some((c) => c.id === m.toolCallId), `tool result ${m.toolCallId} has its call`);
      });
    }
  });

  it('a context-length error compacts and retries once', async () => {
    const { rig, controller } = await startGoal({ files: bigFiles() });
    rig.model.script('planner', plan(['Survey the docs']));
    rig.model.script('actor',
      reply(call('read_file', { path: 'docs/f1.txt' })),
      reply(call('read_file', { path: 'docs/f2.txt' })),
      reply(call('read_file', { path: 'docs/f3.txt' })),
      fail('context-length', 'This model\'s maximum context length is 8192 tokens.', 400),
      finish('Surveyed.'));
    rig.model.script('compaction', say(SUMMARY));
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    const roles = rig.model.requests.map((r) => r.role);
    assert.deepEqual(roles.slice(1, 7), ['actor', 'actor', 'actor', 'actor', 'compaction', 'actor']);
    const failed = rig.model.requests[4].request;
    const retried = rig.model.requests[6].request;
    assert.ok(size(retried) < size(failed));
    assert.ok(requestText(retried).includes(SUMMARY));
    assert.equal(goal.usage.byRole.compaction.requests, 1);
  });

  it('a context-length error with nothing to compact pauses the goal with the error', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', fail('context-length', 'maximum context length exceeded', 400));

    const goal = await controller.run();

    assert.equal(goal.status, 'paused');
    assert.match(goal.reason ?? '', /maximum context length exceeded/);
    assert.match(goal.reason ?? '', /did not fit the model's context window .*Set goalpost\.contextWindowTokens \/ --context-window to the server's real window/);
    assert.equal(rig.model.requestsFor('compaction').length, 0);
  });
});

describe('loop: answers too long for the window', () => {
  it('shrinkOversized cuts the recent messages compaction cannot touch, keeping tool-call arguments valid JSON', () => {
    const huge = 'z'.repeat(50_000);
    const messages: ChatMessage[] = [
      { role: 'system', content: huge },
      { role: 'user', content: huge },
      { role: 'assistant', content: huge, toolCalls: [{ id: 'c1', name: 'write_file', arguments: JSON.stringify({ path: 'a', content: huge }) }] },
      { role: 'tool', toolCallId: 'c1', content: 'ok' },
    ];
    const out = shrinkOversized(messages, 1000);
    assert.equal(out[0], messages[0], 'the system prompt is never cut');
    assert.equal(out[1], messages[1], 'nor the task message');
    const answer = out[2];
    assert.ok(answer.role === 'assistant' && (answer.content ?? '').length <= 1000 + 120);
    assert.ok(answer.role === 'assistant' && /characters cut/.test(answer.content ?? ''));
    assert.ok(answer.role === 'assistant' && typeof (JSON.parse(answer.toolCalls[0].arguments) as { cut: string }).cut === 'string');
    assert.equal(out[3], messages[3]);
    assert.equal(shrinkOversized(out, 100_000), out, 'nothing too long: the same array');
  });

  it('a context-length error after one huge answer cuts it and goes on instead of pausing', async () => {
    const { rig, controller } = await startGoal({ settings: { contextWindowTokens: 16_384 } });
    rig.model.script('planner', plan(['Do it']));
    rig.model.script('actor', say('w'.repeat(60_000)));
    rig.model.script('actor', fail('context-length', "This model's maximum context length is 16384 tokens. However, you requested 17367 tokens.", 400));
    rig.model.script('actor', finish('Done.'));
    rig.model.otherwise('reviewer', approve());
    const goal = await controller.run();
    assert.equal(goal.status, 'achieved', goal.reason ?? '');
    const last = rig.model.requestsFor('actor').at(-1);
    assert.ok(last && size(last) < 20_000, `the retried request carried ${last ? size(last) : 0} chars`);
  });
});
