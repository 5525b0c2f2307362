// Clearing a goal that already has its outcome (achieved, unmet) files it in the history with that
// outcome; clearing a live goal (paused, pursuing) records it as cleared.
import * as assert from 'node:assert/strict';
import { dynamic } from '../../../support/fakes/scriptedModel';
import { approve, finish, plan, startGoal, write } from './loopKit';

describe('clearing a goal keeps its outcome', () => {
  it('an achieved goal stays "achieved" in the history', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Create greet module']));
    rig.model.script('actor', write('src/greet.js', 'module.exports = (n) => `Hello, ${n}!`;\n'), finish());
    rig.model.script('reviewer', approve(), approve('Every criterion is met.'));
    rig.runner.on('npm test', { exitCode: 0, output: 'ok' });
    assert.equal((await controller.run()).status, 'achieved');
    const cleared = await controller.clear();
    assert.equal(cleared.status, 'achieved');
    const history = await rig.store.history();
    assert.deepEqual(history.map((g) => [g.id, g.status]), [['g1', 'achieved']]);
    assert.match(history[0].reason ?? '', /^Verified:/, 'its evidence stays too');
  });

  it('a paused goal is recorded as cleared', async () => {
    const { rig, controller } = await startGoal();
    await controller.pause();
    await controller.clear();
    assert.deepEqual((await rig.store.history()).map((g) => [g.id, g.status, g.reason]), [['g1', 'cleared', 'Cleared by the user.']]);
  });
});

describe('a new goal branches from the user\'s branch', () => {
  it('starts from the branch the user was on, not from the previous goal\'s branch', async () => {
    const { rig, controller, goal: first } = await startGoal();
    assert.equal(first.git.baseBranch, 'main');
    const mainHead = await rig.git.headSha();
    rig.model.script('planner', plan(['Create greet module']));
    rig.model.script('actor', write('src/greet.js', 'module.exports = (n) => `Hello, ${n}!`;\n'), finish());
    rig.model.script('reviewer', approve(), approve('Every criterion is met.'));
    rig.runner.on('npm test', { exitCode: 0, output: 'ok' });
    assert.equal((await controller.run()).status, 'achieved');
    assert.equal(await rig.git.currentBranch(), 'goalpost/g1', 'the workspace is left on the goal branch');
    assert.notEqual(await rig.git.headSha(), mainHead);

    const second = await controller.start({ spec: first.spec, tokenBudget: null, id: 'g2' });
    assert.equal(second.git.branch, 'goalpost/g2');
    assert.equal(second.git.baseBranch, 'main');
    assert.equal(second.git.baseCommit, mainHead, 'g2 branched from main, not from goalpost/g1');
  });
});

describe('elapsed time', () => {
  it('counts the time the loop ran, not the time the goal sat paused', async () => {
    const { rig, controller } = await startGoal();
    // The planner's request takes 5 s of (manual) time, then the user pauses.
    rig.model.script('planner', dynamic(() => {
      rig.clock.advance(5000);
      void controller.pause();
      return plan(['Create greet module']);
    }), plan(['Create greet module']));
    const paused = await controller.run();
    assert.equal(paused.status, 'paused');
    assert.equal(paused.activeMs, 5000);
    rig.clock.advance(3_600_000); // an hour paused: not working time
    rig.model.script('actor', dynamic(() => {
      rig.clock.advance(2000);
      return write('src/greet.js', 'module.exports = (n) => `Hello, ${n}!`;\n');
    }), finish());
    rig.model.script('reviewer', approve(), approve('Every criterion is met.'));
    rig.runner.on('npm test', { exitCode: 0, output: 'ok' });
    const done = await controller.resume();
    assert.equal(done.status, 'achieved');
    assert.equal(done.activeMs, 7000, 'the hour paused is not counted');
  });
});
