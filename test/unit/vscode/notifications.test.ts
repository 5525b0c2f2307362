// The end-of-goal notifications: they name the objective (cut at a word, never the goal id), offer their
// own action first and "Open Panel" last, and a model error offers the way to the settings.
import assert from 'node:assert/strict';
import { newGoal, type Goal } from '../../../src/engine/goal';
import { ACTION_ORDER, actionLabel, notifyStatusChange } from '../../../src/vscode/notifications';
import type { Ui } from '../../../src/vscode/ui';

function goal(status: Goal['status'], reason: string | null, pause: Goal['pause'] = null): Goal {
  const g = newGoal({
    id: 'g-20261201-000000-abcd', folder: '/w', tokenBudget: 1000, now: '2026-12-01T00:00:00.000Z', validation: { commands: [], source: 'none' },
    spec: { objective: 'Make the date parser accept ISO week dates without breaking any of the existing formats\nmore', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] },
  });
  return { ...g, status, reason, pause };
}

function fakeUi(): { ui: Ui; shown: { text: string; actions: string[] }[] } {
  const shown: { text: string; actions: string[] }[] = [];
  const record = (text: string, ...actions: string[]): Promise<string | undefined> => {
    shown.push({ text, actions });
    return Promise.resolve(undefined);
  };
  return { ui: { info: record, warn: record, error: record } as unknown as Ui, shown };
}

describe('status notifications', () => {
  it('name the objective, and order their buttons the same way everywhere', async () => {
    const cases: [Goal['status'], string | null][] = [
      ['achieved', 'Verified.'], ['unmet', 'Stopped.'], ['budget-limited', 'The token budget is used up.'],
      ['paused', 'The model endpoint is unreachable (fetch failed) (gave up after 5 tries).'],
      ['paused', 'No API key: set one with "Goalpost: Set API Key".'],
    ];
    for (const [status, reason] of cases) {
      const { ui, shown } = fakeUi();
      await notifyStatusChange(ui, 'pursuing', goal(status, reason));
      assert.equal(shown.length, 1, status);
      const [{ text, actions }] = shown;
      assert.match(text, /Make the date parser accept ISO week dates without breaking any of the…/, `${status}: the objective, cut at a word`);
      assert.doesNotMatch(text, /g-20261201/, 'not the goal id');
      assert.equal(actions[actions.length - 1], 'Open Panel', `${status}: Open Panel last`);
      const order = actions.map((a) => ACTION_ORDER.map(actionLabel).indexOf(a));
      assert.deepEqual(order, [...order].sort((a, b) => a - b), `${status}: ${actions.join(', ')}`);
    }
  });

  it('offer the settings on a model error and the key when it is missing', async () => {
    const network = fakeUi();
    await notifyStatusChange(network.ui, 'pursuing', goal('paused', 'The model endpoint is unreachable (fetch failed).', { cause: 'model-error', errorKind: 'network' }));
    assert.deepEqual(network.shown[0].actions, ['Open Settings', 'Resume', 'Open Panel']);
    const key = fakeUi();
    // Decided by the cause, not the text: this reason never mentions a key.
    await notifyStatusChange(key.ui, 'pursuing', goal('paused', 'The endpoint refused the request (401).', { cause: 'model-error', errorKind: 'auth' }));
    assert.deepEqual(key.shown[0].actions, ['Set API Key', 'Resume', 'Open Panel']);
  });

  it('stay silent for a pause the user asked for, whatever its wording (the CLI says "Paused by `goalpost pause`.")', async () => {
    for (const cause of ['user', 'interrupted'] as const) {
      const { ui, shown } = fakeUi();
      await notifyStatusChange(ui, 'pursuing', goal('paused', 'Paused by `goalpost pause`.', { cause, errorKind: null }));
      assert.equal(shown.length, 0, cause);
    }
    const fault = fakeUi();
    await notifyStatusChange(fault.ui, 'pursuing', goal('paused', 'Paused by the user.', { cause: 'fault', errorKind: null }));
    assert.equal(fault.shown.length, 1, 'a fault is news even when its text looks like a user pause');
  });
});
