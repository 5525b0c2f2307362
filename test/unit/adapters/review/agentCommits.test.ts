// The review list's join of git's agent commits with the goal records, on the fake git (which runs the
// git contract suite beside the real one): a review's commit is the engine's answer (commitOfReview),
// so every attempt's notes count for the commit that finished the task, and a later commit of the same
// task keeps its own review.
import { strict as assert } from 'node:assert';
import { listAgentCommits, reviewsOfCommit } from '../../../../src/adapters/review/agentCommits';
import { newGoal, type Goal, type Review } from '../../../../src/engine/goal';
import { FakeGit } from '../../../support/fakes/fakeGit';
import { MemoryWorkspace } from '../../../support/fakes/memoryWorkspace';

const trailers = (goalId: string, taskId: string): string => `\n\nGoalpost-Goal: ${goalId}\nGoalpost-Task: ${taskId}`;

function review(id: string, taskId: string, verdict: Review['verdict'], notes: string[], commit: string | null = null): Review {
  return {
    id, taskId, attempt: 1, at: `2026-01-01T00:00:0${id.slice(1)}.000Z`, verdict, summary: id,
    notes: notes.map((message) => ({ path: 'a.txt', line: 1, severity: 'info' as const, message })), commit,
  };
}

describe('listAgentCommits', () => {
  let files: MemoryWorkspace;
  let git: FakeGit;
  const commit = async (path: string, text: string, message: string): Promise<string> => {
    files.put(path, text);
    const sha = await git.commit(message);
    assert.ok(sha);
    return sha;
  };

  beforeEach(() => {
    files = new MemoryWorkspace({ 'README.md': 'hello\n' });
    git = new FakeGit(files);
  });

  it('joins each agent commit with its goal: title, files, the approving review\'s verdict and every attempt\'s notes', async () => {
    const first = await commit('a.txt', 'a\n', `Write a${trailers('g1', 't1')}`);
    const redo = await commit('a.txt', 'a, again\n', `Write a${trailers('g1', 't1')}`);
    const cli = await commit('b.txt', 'b\n', `Subject of the CLI goal's commit${trailers('gone', 't1')}`);
    const base = newGoal({ id: 'g1', folder: '/memory/workspace', spec: { objective: 'o', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] }, tokenBudget: null, validation: { commands: [], source: 'none' }, now: '2026-01-01T00:00:00.000Z' });
    const goal: Goal = {
      ...base,
      backlog: [{ id: 't1', title: 'Write a', details: '', acceptance: '', status: 'done', source: 'planner', attempts: [], blockedReason: null, commit: redo, commands: [] }],
      reviews: [
        review('r1', 't1', 'request_changes', ['first try is wrong']),
        review('r2', 't1', 'approve', ['fine now']),
        // The task went back to TODO and was done again: its second commit has its own review.
        review('r3', 't1', 'approve', ['the redo is fine', 'one more']),
      ],
      commits: [
        { sha: first, taskId: 't1', title: 'Write a', at: base.createdAt, filesChanged: ['a.txt'], reviewId: 'r2' },
        { sha: redo, taskId: 't1', title: 'Write a', at: base.createdAt, filesChanged: ['a.txt'], reviewId: 'r3' },
      ],
    };
    const listed = await listAgentCommits(git, [goal]);
    assert.deepEqual(listed.map((c) => [c.sha, c.title, c.filesChanged, c.verdict, c.reviewId, c.noteCount, c.hasRecord]), [
      [cli, 'Subject of the CLI goal\'s commit', ['b.txt'], null, null, 0, false],
      [redo, 'Write a', ['a.txt'], 'approve', 'r3', 3, true],
      [first, 'Write a', ['a.txt'], 'approve', 'r2', 2, true],
    ]);
    // The approving review first, then the other attempts' (an unapproved attempt has no commit).
    assert.deepEqual(reviewsOfCommit(goal, 't1', first).map((r) => r.id), ['r2', 'r1']);
    assert.deepEqual(reviewsOfCommit(goal, 't1', redo).map((r) => r.id), ['r3', 'r1']);
  });

  it('still reads a record written before CommitRecord.reviewId (the review held the sha)', async () => {
    const sha = await commit('a.txt', 'a\n', `Write a${trailers('g1', 't1')}`);
    const base = newGoal({ id: 'g1', folder: '/memory/workspace', spec: { objective: 'o', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] }, tokenBudget: null, validation: { commands: [], source: 'none' }, now: '2026-01-01T00:00:00.000Z' });
    const goal: Goal = {
      ...base,
      reviews: [review('r1', 't1', 'approve', ['old note'], sha)],
      commits: [{ sha, taskId: 't1', title: 'Write a', at: base.createdAt, filesChanged: ['a.txt'], reviewId: null }],
    };
    const [listed] = await listAgentCommits(git, [goal]);
    assert.deepEqual([listed.verdict, listed.reviewId, listed.noteCount, listed.revertedBy], ['approve', 'r1', 1, null]);
  });
});
