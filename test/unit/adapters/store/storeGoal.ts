// The goal the store tests save: a spec, a budget and validation commands, so that a store which drops
// or mangles any of them fails a round trip.
import { newGoal, type Goal } from '../../../../src/engine/goal';

export function makeGoal(folder: string, id = 'g-store', now = '2026-01-02T03:04:05.000Z'): Goal {
  return newGoal({
    id,
    folder,
    spec: { objective: 'Make the tests pass.', acceptanceCriteria: ['npm test is green'], nonGoals: [], constraints: [], validationCommands: ['npm test'] },
    tokenBudget: 100_000,
    validation: { commands: ['npm test'], source: 'goal-file' },
    now,
  });
}
