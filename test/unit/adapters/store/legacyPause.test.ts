// A goal.json written before pause causes existed has no `pause`: it is migrated once, at load, so nothing
// after the load (notifications, Set API Key, resume offers) decides anything from the reason text.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../../../../src/adapters/fileGoalStore';
import { newGoal, type Goal } from '../../../../src/engine/goal';

describe('a goal record from before pause causes', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-legacy-pause-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** Writes goal.json as the earlier version did (no `pause` key, no journal) and loads it with today's store. */
  async function loadLegacy(status: Goal['status'], reason: string | null, extra: Record<string, unknown> = {}): Promise<Goal | null> {
    const goal = newGoal({
      id: 'g-legacy-1', folder, tokenBudget: 1000, now: '2026-11-01T00:00:00.000Z', validation: { commands: [], source: 'none' },
      spec: { objective: 'x', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] },
    });
    const { pause: _dropped, ...legacy } = { ...goal, status, reason, phase: null };
    fs.mkdirSync(path.join(folder, '.goalpost'), { recursive: true });
    fs.writeFileSync(path.join(folder, '.goalpost', 'goal.json'), JSON.stringify({ ...legacy, ...extra }, null, 2));
    return new FileGoalStore(folder).load();
  }

  it('gets the cause its reason stood for: a user pause, an interruption, or a fault', async () => {
    const cases: [string | null, string][] = [
      ['Paused by the user.', 'user'],
      ['Paused by `goalpost pause`.', 'user'],
      ['Clearing the goal.', 'user'],
      [null, 'user'],
      ['Interrupted (Ctrl+C).', 'interrupted'],
      ['Interrupted: VS Code closed while the goal was pursuing.', 'interrupted'],
      ['The model endpoint is unreachable (fetch failed) (gave up after 5 tries).', 'fault'],
    ];
    for (const [reason, cause] of cases) {
      const loaded = await loadLegacy('paused', reason);
      assert.deepEqual(loaded?.pause, { cause, errorKind: null }, String(reason));
    }
  });

  it('a budget-limited one is paused by its budget; one that is not stopped gets no cause', async () => {
    assert.deepEqual((await loadLegacy('budget-limited', 'The token budget is used up.'))?.pause, { cause: 'budget', errorKind: null });
    assert.equal((await loadLegacy('pursuing', null))?.pause, null);
    assert.equal((await loadLegacy('achieved', 'Verified.'))?.pause, null);
  });

  it('a record that has a cause keeps it, whatever its reason says', async () => {
    const loaded = await loadLegacy('paused', 'Paused by the user.', { pause: { cause: 'model-error', errorKind: 'auth' } });
    assert.deepEqual(loaded?.pause, { cause: 'model-error', errorKind: 'auth' });
  });
});
