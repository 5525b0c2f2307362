// A BACKLOG.md turned into garbage mid-run (issue 12) is set aside with a warning, never merged as "the
// user deleted every task", never committed; the backlog is rewritten from the record.
import * as assert from 'node:assert/strict';
import { dynamic } from '../../../support/fakes/scriptedModel';
import { approve, finish, plan, startGoal, write, writeAndFinish } from './loopKit';

const GARBAGE: Record<string, string> = {
  binary: '\u0000\u0001\u0002PK\u0003\u0004 not text',
  empty: '',
  'text without sections': 'Shopping list\n- milk\n- eggs\n',
};

describe('loop: a garbage BACKLOG.md', () => {
  for (const [kind, garbage] of Object.entries(GARBAGE)) {
    it(`between iterations (${kind}): set aside, nothing deleted or redone, BACKLOG.md rewritten`, async () => {
      const { rig, controller } = await startGoal();
      rig.model.script('planner', plan(['A', 'B']));
      rig.model.script('actor', ...writeAndFinish('a.txt', 'a\n'), ...writeAndFinish('b.txt', 'b\n'));
      rig.model.otherwise('reviewer', approve());
      rig.clock.onSleep = (count) => {
        if (count === 1) rig.workspace.put('BACKLOG.md', garbage);
      };
      const done = await controller.run();

      assert.equal(done.status, 'achieved');
      assert.deepEqual(done.backlog.map((t) => [t.id, t.status, t.attempts.length]), [['t1', 'done', 1], ['t2', 'done', 1]]);
      assert.deepEqual(done.commits.map((c) => c.taskId), ['t1', 't2']);
      const aside = [...rig.workspace.files.keys()].filter((p) => p.startsWith('.goalpost/BACKLOG.md.invalid-'));
      assert.equal(aside.length, 1, 'the garbage was kept under .goalpost/');
      assert.equal(rig.workspace.get(aside[0]), garbage);
      assert.ok(rig.warnings.some((w) => w.includes('BACKLOG.md was not read') && w.includes(aside[0])), rig.warnings.join('\n'));
      assert.ok((rig.workspace.get('BACKLOG.md') ?? '').includes('<!-- t1 -->'), 'rewritten from the record');
      assert.ok(!rig.statusLog.has('user deleted t1 “A”'));
    });
  }

  it('written during an attempt: it is not in the task\'s commit, and the commit\'s BACKLOG.md is the engine\'s', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['A']));
    rig.model.script('actor', write('a.txt', 'a\n'), dynamic(() => {
      rig.workspace.put('BACKLOG.md', GARBAGE.binary);
      return finish();
    }));
    rig.model.otherwise('reviewer', approve());
    const done = await controller.run();

    assert.equal(done.status, 'achieved');
    const commit = rig.git.log()[0];
    assert.equal(commit.sha, done.commits[0].sha);
    const committed = commit.files.get('BACKLOG.md') ?? '';
    assert.ok(!committed.includes('\u0000'), 'the garbage was not committed');
    assert.match(committed, /## DONE \(1\)[\s\S]*<!-- t1 -->/);
    assert.ok([...commit.files.keys()].every((p) => !p.includes('invalid')));
  });
});
