// The kill -9 rig of the goal store's crash tests: a child process saves a goal in an endless loop, is
// SIGKILLed at a random moment, and the goal is loaded again, a number of times over one folder. Each test
// says what its writer saves and what a loaded goal must show; the rig checks what every such test needs:
// a goal loads after every kill, it is the writers' goal, and its revision never goes back.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { FileGoalStore } from '../../src/adapters/fileGoalStore';
import type { Goal } from '../../src/engine/goal';

/** The id of the goal the writers save. */
export const KILLED_GOAL_ID = 'g-crash';

export interface KillWriterRig {
  /** The project folder the writers save their goal in (and the rig loads it from). */
  folder: string;
  /**
   * A JavaScript expression the writer saves next, evaluated once per save with `goal` (the goal it saved
   * last) and `n` (goal.iteration + 1) in scope.
   */
  payload: string;
  /** How many writers are started and killed, one after the other. */
  kills: number;
  /** How long a writer runs after its first save before it is killed, in ms (called once per kill). */
  killAfterMs: () => number;
  /** What a test looks at after kill number `kill`, before the goal is loaded (what the kill left on disk). */
  afterKill?: (kill: number) => void;
  /** The test's own checks of the goal loaded after kill number `kill`. */
  check: (goal: Goal, kill: number) => void;
}

/** Runs the rig; resolves with the revision of the goal loaded after the last kill. */
export async function runKillWriterRig(rig: KillWriterRig): Promise<number> {
  const storeModule = path.resolve(__dirname, '../../src/adapters/fileGoalStore.js');
  const goalModule = path.resolve(__dirname, '../../src/engine/goal.js');
  const script = `
    const { FileGoalStore } = require(${JSON.stringify(storeModule)});
    const { newGoal } = require(${JSON.stringify(goalModule)});
    const folder = process.argv[1];
    (async () => {
      const store = new FileGoalStore(folder);
      let goal = await store.load();
      if (!goal) goal = await store.save(newGoal({ id: ${JSON.stringify(KILLED_GOAL_ID)}, folder, spec: { objective: 'o', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] }, tokenBudget: null, validation: { commands: [], source: 'none' }, now: new Date().toISOString() }));
      process.stdout.write('ready\\n');
      for (let saves = 0; ; saves++) {
        const n = goal.iteration + 1;
        goal = await store.save(${rig.payload});
        if (saves === 0) process.stdout.write('saved\\n');
      }
    })().catch((e) => { console.error(e); process.exit(3); });
  `;
  let lastRevision = 0;
  for (let i = 0; i < rig.kills; i++) {
    const child = spawn(process.execPath, ['-e', script, rig.folder], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // The kill's moment is counted from the writer's first save after it was ready, so every writer saves at least
    // once between kills however slow the disk is (each save is fdatasync'ed).
    await new Promise<void>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('saved\n')) resolve();
      });
      void exited.then(({ code }) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, rig.killAfterMs()));
    child.kill('SIGKILL');
    const { signal } = await exited;
    assert.equal(signal, 'SIGKILL', stderr);

    rig.afterKill?.(i);
    const goal = await new FileGoalStore(rig.folder).load();
    assert.ok(goal, `kill ${i}: no goal could be loaded`);
    assert.equal(goal.id, KILLED_GOAL_ID);
    assert.ok(goal.revision >= lastRevision, `kill ${i}: revision went back from ${lastRevision} to ${goal.revision}`);
    rig.check(goal, i);
    lastRevision = goal.revision;
  }
  return lastRevision;
}
