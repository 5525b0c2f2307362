// A commit review lists the source first and BACKLOG.md last; a backlog-only commit is not shown as reviewed work.
import assert from 'node:assert/strict';
import { onlyBookkeeping, reviewOrder } from '../../../src/vscode/review/fileOrder';

describe('commit review file order', () => {
  it('puts BACKLOG.md after the source files, keeping the rest in order', () => {
    assert.deepEqual(reviewOrder(['BACKLOG.md', 'src/calc.js', 'test/calc.test.js'], (p) => p), ['src/calc.js', 'test/calc.test.js', 'BACKLOG.md']);
    assert.deepEqual(reviewOrder([{ path: 'BACKLOG.md' }, { path: 'a.js' }], (f) => f.path).map((f) => f.path), ['a.js', 'BACKLOG.md']);
  });

  it('recognises a commit that changed only the backlog', () => {
    assert.equal(onlyBookkeeping(['BACKLOG.md']), true);
    assert.equal(onlyBookkeeping(['BACKLOG.md', 'src/a.js']), false);
    assert.equal(onlyBookkeeping([]), false);
  });
});
