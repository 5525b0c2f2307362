import { strict as assert } from 'node:assert';
import { formatStatusLine, parseStatusLine } from '../../../../src/engine/statusLine';
import type { StatusEvent } from '../../../../src/engine/ports';

const at = new Date('2026-03-04T05:06:07.089Z');

function event(message: string, phase: StatusEvent['phase'] = 'act'): StatusEvent {
  return { at, goalId: 'g-20260304-050607-abcd', phase, message };
}

describe('statusLine', () => {
  it('formats time, goal, phase and message on one line', () => {
    assert.equal(formatStatusLine(event('running npm test')), '2026-03-04T05:06:07.089Z  g-20260304-050607-abcd  act      running npm test');
    assert.equal(formatStatusLine(event('done', 'iterate')), '2026-03-04T05:06:07.089Z  g-20260304-050607-abcd  iterate  done');
  });

  it('keeps a multi-line message on one line', () => {
    const line = formatStatusLine(event('first\nsecond\r\nthird'));
    assert.ok(!/[\r\n]/.test(line));
    assert.ok(line.endsWith('first\\nsecond\\r\\nthird'));
  });

  it('round-trips awkward messages', () => {
    const messages = ['', 'plain', '  leading spaces', 'tab\there', 'back\\slash\\n literal', 'bell\u0007 and nul\u0000', 'a\n2026-01-01T00:00:00.000Z  forged  goal  achieved', 'trailing  '];
    for (const message of messages) {
      for (const phase of ['plan', 'act', 'test', 'review', 'iterate', 'goal'] as const) {
        const parsed = parseStatusLine(formatStatusLine(event(message, phase)));
        assert.deepEqual(parsed, event(message, phase), JSON.stringify(message));
      }
    }
  });

  it('replaces whitespace in a goal id so the fields stay separable', () => {
    const parsed = parseStatusLine(formatStatusLine({ at, goalId: 'my goal', phase: 'goal', message: 'm' }));
    assert.equal(parsed?.goalId, 'my_goal');
    assert.equal(parsed?.message, 'm');
  });

  it('rejects lines it did not write', () => {
    for (const line of ['', 'hello world', 'yesterday  g1  act      x', '2026-03-04T05:06:07.089Z  g1  lunch    x', '2026-03-04T05:06:07.089Z  g1  act x']) {
      assert.equal(parseStatusLine(line), null, line);
    }
  });

  it('accepts a CRLF line and an empty message whose padding was trimmed', () => {
    assert.deepEqual(parseStatusLine(`${formatStatusLine(event('m'))}\r`), event('m'));
    assert.deepEqual(parseStatusLine('2026-03-04T05:06:07.089Z  g-20260304-050607-abcd  act'), event(''));
  });
});
