// Where review notes go in a commit's diff (pure logic, run in the extension host with the review suite).
import assert from 'node:assert/strict';
import { hunkAtLine, parseHunks } from '../../../src/vscode/review/diffHunks';
import { placeNotes, type NoteSource, type ReviewFile } from '../../../src/vscode/review/notePlacement';

const DIFF = [
  'diff --git a/src/calc.js b/src/calc.js',
  '--- a/src/calc.js',
  '+++ b/src/calc.js',
  '@@ -9,4 +9,8 @@ function divide(a, b) {',
  '   return a / b;',
  ' }',
  ' ',
  '-module.exports = { add, divide };',
  '+function multiply(a, b) {',
  '+  return a * b;',
  '+}',
  '+',
  '+module.exports = { add, divide, multiply };',
  '@@ -30 +34,0 @@',
  '-// gone',
  '',
].join('\n');

function note(path: string, line: number, index = 0): NoteSource {
  return { reviewId: 'r1', index, verdict: 'approve', attempt: 1, at: '2025-01-01T00:00:00.000Z', note: { path, line, severity: 'info', message: `note ${index}` } };
}

describe('review note placement', () => {
  it('parses hunk ranges of the modified side, a missing count meaning one line', () => {
    const hunks = parseHunks(DIFF);
    assert.deepEqual(hunks.map((h) => [h.oldStart, h.oldCount, h.newStart, h.newCount]), [[9, 4, 9, 8], [30, 1, 34, 0]]);
    assert.match(hunks[0].text, /^@@ -9,4 \+9,8 @@[^]*\+module\.exports = \{ add, divide, multiply \};$/);
    assert.equal(hunkAtLine(hunks, 16)?.newStart, 9);
    assert.equal(hunkAtLine(hunks, 17), null);
    assert.equal(hunkAtLine(hunks, 8), null);
    assert.equal(hunkAtLine(hunks, 34), null, 'a pure deletion spans no line of the modified side');
  });

  it('keeps a note on a shown line, moves the others to line 1 of the right file with the reason', () => {
    const files: ReviewFile[] = [
      { path: 'BACKLOG.md', status: 'M', hunks: parseHunks('@@ -1,2 +1,2 @@\n-a\n+b\n c\n') },
      { path: 'old.txt', status: 'D', hunks: parseHunks('@@ -1,2 +0,0 @@\n-x\n-y\n') },
      { path: 'src/calc.js', status: 'M', hunks: parseHunks(DIFF) },
    ];
    const placed = placeNotes([note('./src/calc.js', 12, 0), note('src/calc.js', 2, 1), note('README.md', 4, 2), note('old.txt', 1, 3), note('src\\calc.js', 0, 4)], files);
    assert.deepEqual(placed.map((p) => [p.path, p.line, p.onOwnLine, p.fileStatus]), [
      ['src/calc.js', 12, true, 'M'],
      ['src/calc.js', 1, false, 'M'],
      ['src/calc.js', 1, false, 'M'], // the file the other notes are about, not BACKLOG.md
      ['old.txt', 1, false, 'D'],
      ['src/calc.js', 1, false, 'M'],
    ]);
    assert.equal(placed[0].hunk?.newStart, 9);
    assert.equal(placed[0].movedBecause, null);
    assert.equal(placed[1].movedBecause, 'Originally on line 2, which is no longer a changed line.');
    assert.equal(placed[2].movedBecause, 'About README.md, line 4, which this commit did not change.');
    assert.equal(placed[3].movedBecause, 'Originally on line 1; this commit deleted the file.');
    assert.equal(placed[4].movedBecause, 'About the whole file.');
  });

  it('places nothing for a commit without files', () => {
    assert.deepEqual(placeNotes([note('a.js', 1)], []), []);
  });
});
