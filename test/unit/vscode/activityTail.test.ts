// The activity tail a card gets when it appears: the file's lines of its goal, plus announced lines the file lacks.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatStatusLine } from '../../../src/engine/statusLine';
import { AnnouncedLines, goalIdOfLine, mergeTail, readTail } from '../../../src/vscode/activityTail';

const line = (second: number, goalId: string, message: string): string =>
  formatStatusLine({ at: new Date(Date.UTC(2026, 11, 2, 9, 0, second)), goalId, phase: 'act', message });

describe('the activity tail of a new card', () => {
  const a1 = line(1, 'g1', 'plan');
  const a2 = line(2, 'g1', 'act');
  const a3 = line(3, 'g1', 'check');

  it('keeps a line that was announced (and sent to the card the state replaced) before the file held it', () => {
    // The race: a3 was flushed to the webview, then a new card was built and its tail read before a3 was appended.
    assert.deepEqual(mergeTail([a1, a2], 'g1', [a1, a2, a3], 50), [a1, a2, a3]);
  });

  it('shows a line the file and the announcements both hold once', () => {
    assert.deepEqual(mergeTail([a1, a2, a3], 'g1', [a2, a3], 50), [a1, a2, a3]);
  });

  it("leaves out another goal's lines (a cleared goal's events are history)", () => {
    assert.deepEqual(mergeTail([a1], 'g1', [line(2, 'g0', 'old goal'), a2], 50), [a1, a2]);
  });

  it('does not bring back a line older than the whole tail: it scrolled out of the window', () => {
    const old = line(0, 'g1', 'long ago');
    assert.deepEqual(mergeTail([a1, a2], 'g1', [old], 50), [a1, a2]);
  });

  it('puts a missing line in its place by time, and a batch of same-time lines in their own order', () => {
    assert.deepEqual(mergeTail([a1, a3], 'g1', [a2], 50), [a1, a2, a3]);
    const b1 = line(3, 'g1', 'first of a batch');
    const b2 = line(3, 'g1', 'second of a batch');
    assert.deepEqual(mergeTail([a1], 'g1', [b1, b2], 50), [a1, b1, b2]);
  });

  it('with an empty file (a new status log path) shows the announced lines of the goal', () => {
    assert.deepEqual(mergeTail([], 'g1', [a1, line(2, 'g0', 'other'), a2], 50), [a1, a2]);
  });

  it('keeps the last `limit` lines', () => {
    assert.deepEqual(mergeTail([a1, a2], 'g1', [a3], 2), [a2, a3]);
  });

  it('remembers the last lines announced per folder, no more', () => {
    const heard = new AnnouncedLines(2);
    heard.add('/w', a1);
    heard.add('/w', a2);
    heard.add('/w', a3);
    heard.add('/v', a1);
    assert.deepEqual(heard.of('/w'), [a2, a3]);
    assert.deepEqual(heard.of('/v'), [a1]);
    assert.deepEqual(heard.of('/none'), []);
  });

  it('reads the last lines of a file, [] when it does not exist, and the goal id of a line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-tail-'));
    try {
      const file = path.join(dir, 'goal_status.log');
      fs.writeFileSync(file, `${a1}\n\n${a2}\n${a3}\n`);
      assert.deepEqual(readTail(file, 2), [a2, a3]);
      assert.deepEqual(readTail(path.join(dir, 'none.log'), 2), []);
      assert.equal(goalIdOfLine(a1), 'g1');
      assert.equal(goalIdOfLine('not a status line'), null);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
