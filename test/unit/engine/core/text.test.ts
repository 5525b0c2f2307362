// Words for people: counted nouns and objectives cut at a word boundary with an ellipsis.
import assert from 'node:assert/strict';
import { plural, shorten } from '../../../../src/engine/text';

describe('plural and shorten', () => {
  it('counts nouns in the right number, never "(s)"', () => {
    assert.equal(plural(1, 'task'), '1 task');
    assert.equal(plural(0, 'task'), '0 tasks');
    assert.equal(plural(2, 'validation check'), '2 validation checks');
    assert.equal(plural(1200, 'request'), '1,200 requests');
    assert.equal(plural(3, 'match', 'matches'), '3 matches');
  });

  it('cuts at the last word boundary with an ellipsis, keeps short text whole, and uses the first line', () => {
    assert.equal(shorten('Make the date parser accept ISO week dates without breaking anything', 40), 'Make the date parser accept ISO week…');
    assert.equal(shorten('Short objective', 40), 'Short objective');
    assert.equal(shorten('\n  First line\nsecond line', 40), 'First line');
    assert.equal(shorten('a'.repeat(50), 10), `${'a'.repeat(9)}…`, 'one long word is cut inside it');
    assert.equal(shorten('Fix the parser, then document it everywhere please', 22), 'Fix the parser, then…', 'no dangling punctuation before the ellipsis');
    for (const s of [shorten('word '.repeat(40), 80)]) assert.ok(s.length <= 80 && s.endsWith('…') && !/\s…$/.test(s), s);
  });
});
