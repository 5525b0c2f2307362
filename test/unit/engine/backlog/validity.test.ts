// Which BACKLOG.md texts are no backlog at all (set aside instead of merged as "every task deleted").
import * as assert from 'node:assert/strict';
import { renderBacklog } from '../../../../src/engine/backlog/markdown';
import { backlogProblem } from '../../../../src/engine/backlog/validity';

describe('backlog: telling garbage from an edit', () => {
  it('names the problem of a binary, undecodable, empty or heading-less file', () => {
    assert.match(backlogProblem('PK\u0003\u0004\u0000\u0000junk') ?? '', /binary/);
    assert.match(backlogProblem('caf\uFFFD menu\n## TODO\n') ?? '', /UTF-8/);
    assert.match(backlogProblem('') ?? '', /empty/);
    assert.match(backlogProblem(' \n\n\t\n') ?? '', /empty/);
    assert.match(backlogProblem('some notes\n- [ ] a bullet\n# Ideas\n') ?? '', /no TODO, IN PROGRESS, DONE or BLOCKED heading/);
  });

  it('accepts what the engine renders, a hand-written file, and a backlog with every task removed', () => {
    assert.equal(backlogProblem(renderBacklog([], 'g1')), null);
    assert.equal(backlogProblem('\uFEFF# Backlog\n\n### Doing\n- [ ] x\n'), null);
    assert.equal(backlogProblem('## TODO\n\n## DONE\n'), null);
  });
});
