// The activity tail a card gets when it appears: the file's lines of its goal, plus announced lines the file lacks.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatStatusLine } from '../../../src/engine/statusLine';
import { ActivityFeed, goalIdOfLine, mergeTail, readTail, type LogBatch } from '../../../src/vscode/activityTail';

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

  it('does not bring back a line announced before the last one the file holds: it is in the file or scrolled out', () => {
    const old = line(0, 'g1', 'long ago');
    assert.deepEqual(mergeTail([a1, a2], 'g1', [old, a1, a2], 50), [a1, a2]);
  });

  it('trusts the order lines were announced in, not their time field (the clock can step back)', () => {
    const stepBack = line(0, 'g1', 'after the clock stepped back');
    assert.deepEqual(mergeTail([a1, a2], 'g1', [a1, a2, stepBack, a3], 50), [a1, a2, stepBack, a3]);
    // A line with a time from the future in the file (anyone can write it) moves nothing.
    const future = formatStatusLine({ at: new Date(Date.UTC(2099, 0, 1)), goalId: 'g1', phase: 'act', message: 'planted' });
    assert.deepEqual(mergeTail([future, a1], 'g1', [a1, a2], 50), [future, a1, a2]);
  });

  it('with an empty file (a new status log path) shows the announced lines of the goal', () => {
    assert.deepEqual(mergeTail([], 'g1', [a1, line(2, 'g0', 'other'), a2], 50), [a1, a2]);
  });

  it('keeps the last `limit` lines', () => {
    assert.deepEqual(mergeTail([a1, a2], 'g1', [a3], 2), [a2, a3]);
  });

  it('reads the last lines of a file, [] when it does not exist, and the goal id of a line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-tail-'));
    try {
      const file = path.join(dir, 'goal_status.log');
      fs.writeFileSync(file, `${a1}\n\n${a2}\n${a3}\n`);
      assert.deepEqual(readTail(file, 2), [a2, a3]);
      // Saved with CRLF: the lines still match the announced ones, so none is shown twice.
      fs.writeFileSync(file, `${a1}\r\n${a2}\r\n`);
      assert.deepEqual(mergeTail(readTail(file, 50), 'g1', [a1, a2, a3], 50), [a1, a2, a3]);
      assert.deepEqual(readTail(path.join(dir, 'none.log'), 2), []);
      assert.equal(goalIdOfLine(a1), 'g1');
      assert.equal(goalIdOfLine('not a status line'), null);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** What the feed sent, and a way to wait for its next batch (with a message when none comes). */
function recorder(): { sent: LogBatch[]; send: (b: LogBatch) => void; next: () => Promise<LogBatch> } {
  const sent: LogBatch[] = [];
  let wake: ((b: LogBatch) => void) | null = null;
  return {
    sent,
    send: (b) => {
      sent.push(b);
      wake?.(b);
    },
    next: () =>
      new Promise<LogBatch>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no batch was sent within 5 s')), 5000);
        wake = (b) => {
          clearTimeout(timer);
          wake = null;
          resolve(b);
        };
      }),
  };
}

describe('the activity feed (the panel\'s status lines)', () => {
  const a1 = line(1, 'g1', 'plan');
  const a2 = line(2, 'g1', 'act');
  const a3 = line(3, 'g1', 'check');
  const a4 = line(4, 'g1', 'commit');
  let dir: string;
  let log: string;
  let feed: ActivityFeed | null = null;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-feed-'));
    log = path.join(dir, 'goal_status.log');
    fs.writeFileSync(log, `${a1}\n${a2}\n`);
  });

  afterEach(() => {
    feed?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends announced lines in one batch, and a new card\'s tail still has the one sent before the file held it', async () => {
    const r = recorder();
    feed = new ActivityFeed(r.send, { flushMs: 1, limit: 50, listening: () => true });
    const batch = r.next();
    feed.announce('/w', a3);
    assert.deepEqual(await batch, { folder: '/w', reset: false, lines: [a3] });
    // The state replaced the card a3 went to; the file does not hold a3 yet.
    assert.deepEqual(feed.tail('/w', log, 'g1'), { folder: '/w', reset: true, lines: [a1, a2, a3] });
  });

  it('remembers lines while no webview listens, and the tail at its ready carries them', async () => {
    const r = recorder();
    let listening = false;
    feed = new ActivityFeed(r.send, { flushMs: 1, limit: 50, listening: () => listening });
    feed.announce('/w', a3);
    listening = true;
    assert.deepEqual(feed.tail('/w', log, 'g1').lines, [a1, a2, a3]);
    // Nothing was batched while no one listened: the next batch holds only the next line.
    const batch = r.next();
    feed.announce('/w', a4);
    assert.deepEqual((await batch).lines, [a4]);
    assert.equal(r.sent.length, 1);
  });

  it('sends a waiting line with the tail, not again after it; another goal\'s waiting line is dropped', async () => {
    const r = recorder();
    feed = new ActivityFeed(r.send, { flushMs: 50, limit: 50, listening: () => true });
    feed.announce('/w', line(2, 'g0', 'the cleared goal'));
    feed.announce('/w', a3);
    assert.deepEqual(feed.tail('/w', log, 'g1').lines, [a1, a2, a3]);
    const batch = r.next();
    feed.announce('/w', a4);
    assert.deepEqual(await batch, { folder: '/w', reset: false, lines: [a4] }, 'only the line after the tail');
  });

  it('keeps folders apart, and remembers the last `limit` lines per folder', async () => {
    const r = recorder();
    feed = new ActivityFeed(r.send, { flushMs: 1, limit: 2, listening: () => true });
    const empty = path.join(dir, 'none.log');
    for (const l of [a1, a2, a3]) feed.announce('/w', l);
    feed.announce('/v', a4);
    assert.deepEqual(feed.tail('/w', empty, 'g1').lines, [a2, a3]);
    assert.deepEqual(feed.tail('/v', empty, 'g1').lines, [a4]);
    assert.deepEqual(feed.tail('/u', empty, 'g1').lines, []);
  });
});
