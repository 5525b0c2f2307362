import assert from 'node:assert/strict';
import { Lexer } from 'marked';
import type { Tokens } from 'marked';
import type { Task } from '../../../../src/engine/goal';
import { parseBacklog, renderBacklog } from '../../../../src/engine/backlog/markdown';
import { inFileOrder, int, itemOf, pick, randomBacklog, seeded, task } from './randomBacklog';

const sample: Task[] = [
  task('t1', 'Add the --json flag', { details: 'In src/cli/args.ts.\nKeep the old flag working.', acceptance: 'goalpost status --json prints JSON' }),
  task('t2', 'Write the README', { status: 'done', commit: 'abc' }),
  task('t3', 'Fix flaky test', { status: 'in-progress' }),
  task('t4', 'Publish', { status: 'blocked', blockedReason: 'needs an npm token' }),
  task('t5', 'Tidy imports'),
];

function roundTrip(backlog: Task[]): void {
  const text = renderBacklog(backlog, 'g-test');
  const parsed = parseBacklog(text);
  assert.deepEqual(parsed.warnings, [], `warnings for:\n${text}`);
  assert.deepEqual(parsed.items, inFileOrder(backlog).map(itemOf), `round trip of:\n${text}`);
}

describe('BACKLOG.md', () => {
  describe('renderBacklog', () => {
    it('writes the four sections with counts, checkboxes, id markers, indented details and fields', () => {
      const text = renderBacklog(sample, 'g-1');
      const lines = text.split('\n');
      assert.equal(lines[0], '# Backlog');
      assert.match(text, /<!--[\s\S]*Edit freely[\s\S]*new task[\s\S]*-->/);
      const headings = lines.filter((l) => l.startsWith('## '));
      assert.deepEqual(headings, ['## TODO (2)', '## IN PROGRESS (1)', '## DONE (1)', '## BLOCKED (1)']);
      const at = (s: string): number => lines.indexOf(s);
      assert.ok(at('- [ ] Add the --json flag <!-- t1 -->') > at('## TODO (2)'));
      assert.equal(lines[at('- [ ] Add the --json flag <!-- t1 -->') + 1], '  In src/cli/args.ts.');
      assert.equal(lines[at('- [ ] Add the --json flag <!-- t1 -->') + 3], '  Acceptance: goalpost status --json prints JSON');
      assert.ok(at('- [ ] Tidy imports <!-- t5 -->') > at('- [ ] Add the --json flag <!-- t1 -->'));
      assert.ok(at('- [ ] Tidy imports <!-- t5 -->') < at('## IN PROGRESS (1)'));
      assert.ok(at('- [x] Write the README <!-- t2 -->') > at('## DONE (1)'));
      assert.equal(lines[at('- [ ] Publish <!-- t4 -->') + 1], '  Blocked: needs an npm token');
      assert.ok(text.endsWith('  Blocked: needs an npm token\n'), 'ends with the last task and one newline');
    });

    it('is a Markdown document a preview shows as four headings with one list item per task', () => {
      const tokens = new Lexer().lex(renderBacklog(sample, 'g-1'));
      const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading');
      assert.deepEqual(headings.map((h) => [h.depth, h.text]), [[1, 'Backlog'], [2, 'TODO (2)'], [2, 'IN PROGRESS (1)'], [2, 'DONE (1)'], [2, 'BLOCKED (1)']]);
      const lists = tokens.filter((t): t is Tokens.List => t.type === 'list');
      assert.deepEqual(lists.map((l) => l.items.length), [2, 1, 1, 1]);
      const done = lists[2].items[0];
      assert.equal(done.task, true);
      assert.equal(done.checked, true);
    });
  });

  describe('parseBacklog', () => {
    it('reads its own rendering back exactly', () => {
      roundTrip(sample);
      roundTrip([]);
    });

    it('accepts hand edits: any heading level and case, counts, * + and numbered bullets, no checkboxes, CRLF, tabs, blank lines', () => {
      const text = [
        '\uFEFF# My backlog',
        '',
        '### to-do (7)',
        '',
        '',
        '* [ ] First <!-- t1 -->',
        '\tdetail with a tab',
        '',
        '',
        '\tAcceptance: it works',
        '+ Second, no checkbox',
        '1. Third numbered',
        '   numbered detail',
        '2) [x] Fourth is done by its checkbox <!-- t4 -->',
        '# Doing',
        '- Busy <!-- id: t5 -->',
        '#### Completed',
        '- [ ] Finished even without a tick <!--t6-->',
        '## Blocked:',
        '- [ ] Stuck <!-- t7 -->',
        '    **Blocked:** waiting for review',
      ].join('\r\n');
      const { items, warnings } = parseBacklog(text);
      assert.deepEqual(warnings, []);
      assert.deepEqual(items, [
        { id: 't1', title: 'First', details: 'detail with a tab', acceptance: 'it works', status: 'todo', blockedReason: null },
        { id: null, title: 'Second, no checkbox', details: '', acceptance: '', status: 'todo', blockedReason: null },
        { id: null, title: 'Third numbered', details: 'numbered detail', acceptance: '', status: 'todo', blockedReason: null },
        { id: 't4', title: 'Fourth is done by its checkbox', details: '', acceptance: '', status: 'done', blockedReason: null },
        { id: 't5', title: 'Busy', details: '', acceptance: '', status: 'in-progress', blockedReason: null },
        { id: 't6', title: 'Finished even without a tick', details: '', acceptance: '', status: 'done', blockedReason: null },
        { id: 't7', title: 'Stuck', details: '', acceptance: '', status: 'blocked', blockedReason: 'waiting for review' },
      ]);
    });

    it('keeps multi-line fields, nested lists and lazy continuation lines with their task', () => {
      const text = [
        '## TODO',
        '- [ ] Refactor <!-- t2 -->',
        'continued lazily',
        '  - sub point',
        '    - deeper',
        '',
        '  after a blank',
        '  Acceptance criteria: tests pass',
        '  and lint is clean',
        '- [ ] Next <!-- t3 -->',
      ].join('\n');
      const { items, warnings } = parseBacklog(text);
      assert.deepEqual(warnings, []);
      assert.equal(items.length, 2);
      assert.equal(items[0].details, 'continued lazily\n- sub point\n  - deeper\n\nafter a blank');
      assert.equal(items[0].acceptance, 'tests pass\nand lint is clean');
      assert.equal(items[1].title, 'Next');
    });

    it('reads items outside any section as TODO (checked ones as DONE) and says so', () => {
      const { items, warnings } = parseBacklog('- [ ] Loose task\n- [x] Loose done\n## Notes\n- [ ] Under an unknown heading\n');
      assert.deepEqual(items.map((i) => [i.title, i.status]), [['Loose task', 'todo'], ['Loose done', 'done'], ['Under an unknown heading', 'todo']]);
      assert.equal(warnings.length, 3);
      assert.match(warnings[0], /line 1: “Loose task” is not under a TODO, IN PROGRESS, DONE or BLOCKED heading; read as TODO/);
      assert.match(warnings[1], /read as DONE/);
    });

    it('keeps a sub-heading inside a section, and an unknown heading at section level ends it', () => {
      const { items } = parseBacklog('## DONE\n### Sprint 1\n- [x] a\n## Ideas\n- [ ] b\n');
      assert.deepEqual(items.map((i) => i.status), ['done', 'todo']);
    });

    it('warns about stray text, a task without a title, and a duplicated id (read as a new task)', () => {
      const text = '## TODO\n- [ ] a <!-- t1 -->\n\nA note between tasks.\n- [ ]  <!-- t2 -->\n- [ ] copy <!-- t1 -->\n- [ ]\n';
      const { items, warnings } = parseBacklog(text);
      assert.deepEqual(items.map((i) => [i.id, i.title]), [['t1', 'a'], ['t2', ''], [null, 'copy']]);
      assert.deepEqual(warnings, [
        'line 4: text outside any task was ignored: “A note between tasks.”',
        'line 5: a task has no title',
        'line 6: t1 appears more than once; this copy is read as a new task',
      ]);
    });

    it('skips HTML comments and horizontal rules between sections', () => {
      const { items, warnings } = parseBacklog('<!-- a\n- [ ] not a task\n-->\n## TODO\n---\n- [ ] real\n***\n');
      assert.deepEqual(warnings, []);
      assert.deepEqual(items.map((i) => i.title), ['real']);
    });

    it('never throws on garbage', () => {
      const random = seeded(7);
      const alphabet = ['#', '-', '*', ' ', '\t', '\n', '\r', '[', ']', 'x', '<!--', '-->', 't1', '1.', 'A', ':', '\\', '&#', ';'];
      for (let i = 0; i < 300; i++) {
        let text = '';
        for (let j = 0; j < 80; j++) text += pick(random, alphabet);
        const parsed = parseBacklog(text);
        assert.ok(Array.isArray(parsed.items));
      }
    });
  });

  describe('round trip', () => {
    it('survives Markdown-significant and whitespace-edge text in titles, details, acceptance and reasons', () => {
      const nasty = [
        '# not a heading', '- not a bullet', '[x] not a checkbox', '[ ]', '<!-- t9 -->', 'ends with <!-- t9 -->',
        '`code` and ``` fences', '[t9] looks like an id', 'trailing spaces   ', '  leading spaces', '\ttab', 'uni ☃ 日本語 😀',
        'back\\slash', 'ends with backslash\\', '\\', '\\\\*', '&amp; &#32; &copy;', 'a <b>tag</b>', 'Acceptance: fake',
        'Blocked: fake', '**Acceptance:** fake', '\u00a0nbsp\u00a0', 'line\u2028separator', 'cr\rinside', ' ',
      ];
      const backlog = nasty.map((s, i) => task(`t${i + 1}`, s, {
        details: `${s}\n  ${s}\n\n${s}`,
        acceptance: s,
        status: i % 4 === 0 ? 'blocked' : 'todo',
        blockedReason: i % 4 === 0 ? `${s}\nsecond` : null,
      }));
      for (const t of backlog) roundTrip([t]);
      roundTrip(backlog);
    });

    it('keeps leading and trailing blank lines and indentation-only details', () => {
      roundTrip([
        task('t1', 'a', { details: '\n\nmiddle\n\n' }),
        task('t2', 'b', { details: '    indented code\n  also indented' }),
        task('t3', 'c', { details: '\n', acceptance: '\n  x\n' }),
        task('t4', 'd', { status: 'blocked', blockedReason: '' }),
        task('t5', 'e', { details: '\t\n  \n' }),
      ]);
    });

    it('holds for 600 generated backlogs full of nasty strings (seeded)', () => {
      for (let seed = 1; seed <= 600; seed++) {
        const backlog = randomBacklog(seeded(seed));
        const text = renderBacklog(backlog, `g-${seed}`);
        const parsed = parseBacklog(text);
        assert.deepEqual(parsed.warnings, [], `seed ${seed}`);
        assert.deepEqual(parsed.items, inFileOrder(backlog).map(itemOf), `seed ${seed}:\n${text}`);
      }
    });

    it('is not disturbed by cosmetic edits a person or an editor makes (seeded)', () => {
      for (let seed = 1; seed <= 300; seed++) {
        const random = seeded(seed * 31);
        const backlog = randomBacklog(random);
        let text = renderBacklog(backlog, 'g-x');
        const edits: string[] = [];
        if (random() < 0.5) {
          edits.push('CRLF');
          text = text.replace(/\n/g, '\r\n');
        }
        if (random() < 0.5) {
          edits.push('* bullets');
          text = text.replace(/^- \[/gm, '* [');
        }
        if (random() < 0.5) {
          edits.push('tab indentation');
          text = text.replace(/^ {2}/gm, '\t');
        } else if (random() < 0.5) {
          edits.push('numbered, re-indented');
          text = text.replace(/^- \[/gm, '1. [').replace(/^ {2}/gm, '   ');
        }
        if (random() < 0.5) {
          edits.push('checkboxes removed outside DONE');
          text = text.replace(/^([-*]|1\.) \[ \] /gm, '$1 ');
        }
        if (random() < 0.5) {
          edits.push('headings renamed');
          const level = '#'.repeat(int(random, 3) + 2);
          text = text
            .replace(/^## TODO \(\d+\)/m, `${level} To do`)
            .replace(/^## IN PROGRESS \(\d+\)/m, `${level} Doing`)
            .replace(/^## DONE \(\d+\)/m, `${level} completed (yay)`)
            .replace(/^## BLOCKED \(\d+\)/m, `${level} Blocked`);
        }
        if (random() < 0.5) {
          edits.push('extra blank lines');
          text = text.replace(/^(#+ .*)$/gm, '\n$1\n\n');
        }
        const parsed = parseBacklog(text);
        assert.deepEqual(parsed.warnings, [], `seed ${seed} (${edits.join(', ')})`);
        assert.deepEqual(parsed.items, inFileOrder(backlog).map(itemOf), `seed ${seed} (${edits.join(', ')}):\n${text}`);
      }
    });
  });
});

describe('BACKLOG.md rendering of stored (frozen) tasks', () => {
  const deepFreeze = <T>(value: T): T => {
    if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const v of Object.values(value)) deepFreeze(v);
    }
    return value;
  };

  it('renders the same text as for fresh tasks, and a changed task anew', () => {
    const rnd = seeded(7);
    let backlog = randomBacklog(rnd, 30);
    while (backlog.length < 4) backlog = randomBacklog(rnd, 30);
    const fresh = renderBacklog(structuredClone(backlog), 'g1');
    const stored = deepFreeze(structuredClone(backlog));
    assert.equal(renderBacklog(stored, 'g1'), fresh);
    assert.equal(renderBacklog(stored, 'g1'), fresh, 'the kept text is the same on the second render');
    const changed = stored.map((t, i) => (i === 3 ? deepFreeze({ ...t, title: 'A new title for task four', status: 'done' as const }) : t));
    const expected = renderBacklog(structuredClone(changed), 'g1');
    assert.equal(renderBacklog(changed, 'g1'), expected);
    assert.match(expected, /A new title for task four/);
  });
});
