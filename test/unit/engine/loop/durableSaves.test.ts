// Every step boundary is saved, but an iteration waits for the disk twice: the engine marks its own
// progress inside an iteration lazy (SaveOptions), and the real store makes it durable with the
// iteration's last save; only the move of a task to IN PROGRESS is durable too (a power loss must not
// turn a committed task back to TODO: powerLoss.test.ts). A kill -9 loses none of it (test/e2e-cli/crash*.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../../../../src/adapters/fileGoalStore';
import { GoalController } from '../../../../src/engine/loop/controller';
import { makeDeps } from '../../../support/fakes/makeDeps';
import { approve, plan, SPEC, writeAndFinish } from './loopKit';

describe('loop: durable saves per iteration', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-durable-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('saves every step of an iteration and waits for the disk twice: the task\'s move to IN PROGRESS and the iteration\'s end', async () => {
    const rig = await makeDeps({ settings: { validationCommands: ['npm test'] } });
    const store = new FileGoalStore(folder);
    const deps = { ...rig.deps, store };
    rig.model.script('planner', plan(['A', 'B', 'C', 'D']));
    for (let i = 1; i <= 4; i++) rig.model.script('actor', ...writeAndFinish(`f${i}.txt`, `${i}\n`));
    rig.model.otherwise('reviewer', approve());
    const marks: { appends: number; durable: number; snapshots: number }[] = [];
    rig.clock.onSleep = () => {
      marks.push({ appends: store.writes.appends, durable: store.writes.appends - store.writes.lazyAppends, snapshots: store.writes.snapshots });
    };
    const controller = new GoalController(deps);
    await controller.start({ spec: SPEC, tokenBudget: null, id: 'g1' });
    const goal = await controller.run();
    assert.equal(goal.status, 'achieved');
    assert.equal(marks.length, 4);
    for (let i = 1; i < marks.length; i++) {
      const saves = marks[i].appends - marks[i - 1].appends;
      const durable = marks[i].durable - marks[i - 1].durable;
      assert.equal(marks[i].snapshots, marks[i - 1].snapshots, `iteration ${i + 1} wrote no snapshot`);
      assert.ok(saves >= 6, `iteration ${i + 1} saved each step (${saves} saves)`);
      assert.equal(durable, 2, `iteration ${i + 1}: two durable saves of ${saves}`);
    }
    const stored = await new FileGoalStore(folder).load();
    assert.equal(stored?.status, 'achieved', 'another process reads the same goal back');
    assert.equal(stored.backlog.filter((t) => t.status === 'done').length, 4);
  });
});
