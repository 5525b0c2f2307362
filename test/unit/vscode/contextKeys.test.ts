// The `when` clauses of Pause, Resume and Revert Commit follow the goal's state.
import assert from 'node:assert/strict';
import { newGoal, type Goal } from '../../../src/engine/goal';
import { contextKeys } from '../../../src/vscode/contextKeys';

function goal(status: Goal['status'], commits = 0): Goal {
  const g = newGoal({
    id: 'g1', folder: '/w', tokenBudget: null, now: '2026-12-01T00:00:00.000Z', validation: { commands: [], source: 'none' },
    spec: { objective: 'x', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] },
  });
  return { ...g, status, commits: Array.from({ length: commits }, (_, i) => ({ sha: `abc${i}`, taskId: `t${i}`, title: 't', at: '', filesChanged: [], reviewId: null })) };
}

describe('context keys for when clauses', () => {
  it('offer Pause only while a loop runs, Resume only when something can resume, Revert only with agent commits', () => {
    assert.deepEqual(contextKeys([]), { 'goalpost.canPause': false, 'goalpost.canResume': false, 'goalpost.hasAgentCommits': false });
    assert.deepEqual(contextKeys([{ goal: goal('pursuing'), running: true }]), { 'goalpost.canPause': true, 'goalpost.canResume': false, 'goalpost.hasAgentCommits': false });
    assert.equal(contextKeys([{ goal: goal('pursuing'), running: false }])['goalpost.canResume'], true, 'an interrupted goal can resume');
    for (const s of ['paused', 'unmet', 'budget-limited'] as const) {
      assert.deepEqual(contextKeys([{ goal: goal(s), running: false }]), { 'goalpost.canPause': false, 'goalpost.canResume': true, 'goalpost.hasAgentCommits': false }, s);
    }
    assert.deepEqual(contextKeys([{ goal: goal('achieved', 2), running: false }]), { 'goalpost.canPause': false, 'goalpost.canResume': false, 'goalpost.hasAgentCommits': true });
    assert.equal(contextKeys([{ goal: goal('cleared', 2), running: false }])['goalpost.hasAgentCommits'], false);
  });
});
