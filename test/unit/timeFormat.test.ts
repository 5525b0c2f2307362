// The one time format people read (src/timeFormat.ts), on a fixed clock in a fixed time zone: Asia/Kolkata
// (UTC+05:30, no daylight saving), so a UTC date and the local date differ for part of each day.
import assert from 'node:assert/strict';
import { formatTime } from '../../src/timeFormat';

describe('formatTime: one local time format for people', () => {
  const savedTz = process.env.TZ;
  // 2026-12-02 10:00:00 local.
  const now = new Date('2026-12-02T04:30:00.000Z');

  before(() => {
    process.env.TZ = 'Asia/Kolkata';
    assert.equal(new Date('2026-12-02T00:00:00Z').getHours(), 5, 'the time zone took effect');
  });

  after(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('shows only the local clock for a time today', () => {
    assert.equal(formatTime('2026-12-02T03:04:05.678Z', now), '08:34:05');
    // Still 1 December in UTC, already 2 December here: today is the local day, not the UTC one.
    assert.equal(formatTime('2026-12-01T20:00:00.000Z', now), '01:30:00');
    assert.equal(formatTime(new Date('2026-12-02T18:29:59Z'), now), '23:59:59');
  });

  it('adds the local date for yesterday, and for a UTC "today" that is yesterday here', () => {
    assert.equal(formatTime('2026-12-01T12:00:00.000Z', now), '2026-12-01 17:30:00');
    assert.equal(formatTime('2026-12-01T18:29:59.000Z', now), '2026-12-01 23:59:59');
    assert.equal(formatTime('2026-12-02T18:30:00.000Z', now), '2026-12-03 00:00:00', 'tomorrow (a clock ahead) is dated too');
  });

  it('adds the year for the same day of another year', () => {
    assert.equal(formatTime('2025-12-02T04:30:00.000Z', now), '2025-12-02 10:00:00');
    assert.equal(formatTime(new Date('0999-01-01T00:00:00Z'), now).slice(0, 10), '0999-01-01');
  });

  it('always shows the date without a clock to compare with (a kept page such as the report)', () => {
    assert.equal(formatTime('2026-12-02T03:04:05.000Z'), '2026-12-02 08:34:05');
    assert.equal(formatTime('2026-12-02T03:04:05.000Z', new Date(Number.NaN)), '2026-12-02 08:34:05');
  });

  it('returns text that is not an ISO time as it is, and "" for an invalid Date', () => {
    assert.equal(formatTime('not a time', now), 'not a time');
    // V8 would read "1" as the year 2001 and "May 3" as a date: only ISO 8601 is a time here.
    assert.equal(formatTime('1', now), '1');
    assert.equal(formatTime('May 3', now), 'May 3');
    assert.equal(formatTime('2026-13-45T99:99:00Z', now), '2026-13-45T99:99:00Z');
    assert.equal(formatTime('', now), '');
    assert.equal(formatTime(new Date(Number.NaN), now), '');
  });
});
