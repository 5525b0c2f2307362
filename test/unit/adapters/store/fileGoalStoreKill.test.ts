// FileGoalStore under kill -9 of its writer at random moments: a loadable goal every time, never an older one.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../../../../src/adapters/fileGoalStore';

describe('FileGoalStore: a write cut short', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-store-kill-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('always leaves a loadable goal when the writer is SIGKILLed at random moments', async function () {
    this.timeout(180_000);
    const storeModule = path.resolve(__dirname, '../../../../src/adapters/fileGoalStore.js');
    const goalModule = path.resolve(__dirname, '../../../../src/engine/goal.js');
    const script = `
      const { FileGoalStore } = require(${JSON.stringify(storeModule)});
      const { newGoal } = require(${JSON.stringify(goalModule)});
      const folder = process.argv[1];
      (async () => {
        const store = new FileGoalStore(folder);
        let goal = await store.load();
        if (!goal) goal = await store.save(newGoal({ id: 'g-crash', folder, spec: { objective: 'o', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] }, tokenBudget: null, validation: { commands: [], source: 'none' }, now: new Date().toISOString() }));
        process.stdout.write('ready\\n');
        for (;;) {
          // Big, varying payloads make the write take long enough to be cut in the middle.
          const size = 50000 + Math.floor(Math.random() * 400000);
          goal = await store.save({ ...goal, iteration: goal.iteration + 1, checkpointSummary: String(goal.iteration).repeat(size).slice(0, size) });
        }
      })().catch((e) => { console.error(e); process.exit(3); });
    `;
    let lastRevision = 0;
    let sawTemp = 0;
    const kills = 24;
    for (let i = 0; i < kills; i++) {
      const child = spawn(process.execPath, ['-e', script, folder], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
        void exited.then(({ code }) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 40)));
      child.kill('SIGKILL');
      const { signal } = await exited;
      assert.equal(signal, 'SIGKILL', stderr);

      const names = fs.readdirSync(path.join(folder, '.goalpost'));
      if (names.some((n) => n.includes('.tmp-'))) sawTemp++;
      const goal = await new FileGoalStore(folder).load();
      assert.ok(goal, `kill ${i}: no goal could be loaded`);
      assert.equal(goal.id, 'g-crash');
      assert.ok(goal.revision >= lastRevision, `kill ${i}: revision went back from ${lastRevision} to ${goal.revision}`);
      assert.equal(goal.checkpointSummary.length === 0 || goal.checkpointSummary.length >= 50000, true);
      lastRevision = goal.revision;
      assert.deepEqual(fs.readdirSync(path.join(folder, '.goalpost')).filter((n) => n.includes('.tmp-')), [], 'temp files are cleaned on load');
    }
    assert.ok(lastRevision > 1, `the writers saved between kills (revision ${lastRevision})`);
    // Not asserted (timing-dependent), but shows the test really cut writes short.
    if (process.env.GOALPOST_TEST_VERBOSE) console.log(`temp files left by ${sawTemp} of ${kills} kills`);
  });
});
