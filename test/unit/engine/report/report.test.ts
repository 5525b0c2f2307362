// The report's pure parts: what it contains, the timeline cap, and escaping of agent-written text in
// both formats (the agent's words are hostile input to the page a user opens).
import assert from 'node:assert/strict';
import { newGoal, type Goal } from '../../../../src/engine/goal';
import { buildReport, TIMELINE_MAX } from '../../../../src/engine/report/reportModel';
import { mdInline, renderReportMarkdown } from '../../../../src/engine/report/reportMarkdown';
import { escapeHtml, renderReportHtml } from '../../../../src/engine/report/reportHtml';
import type { StatusEvent } from '../../../../src/engine/ports';

const EVIL = '</blockquote><script>alert(1)</script> ![x](http://e.example/x.png) <b>';

function goal(): Goal {
  const g = newGoal({
    id: 'g1', folder: '/w', now: '2026-11-21T10:00:00.000Z', tokenBudget: 1000,
    spec: { objective: `Fix it. ${EVIL}`, acceptanceCriteria: ['works'], nonGoals: [], constraints: [], validationCommands: [] },
    validation: { commands: ['npm test'], source: 'goal-file' },
  });
  return {
    ...g,
    status: 'unmet',
    reason: 'Stopped.',
    backlog: [{
      id: 't1', title: `Task ${EVIL}`, details: '', acceptance: '', status: 'blocked', source: 'planner', blockedReason: EVIL, commit: null, commands: [],
      attempts: [{ n: 1, startedAt: g.createdAt, endedAt: g.createdAt, outcome: 'blocker', summary: null, blocker: EVIL, reviewId: null, filesChanged: [],
        checks: [{ command: 'echo `x`', exitCode: 1, signal: null, timedOut: false, durationMs: 1500, output: '', logPath: null }] }],
    }],
    reviews: [{ id: 'r1', taskId: 't1', attempt: 1, at: g.createdAt, verdict: 'request_changes', summary: EVIL, notes: [{ path: 'a.js', line: 3, severity: 'error', message: EVIL }], commit: null }],
  };
}

function events(n: number, goalId = 'g1'): StatusEvent[] {
  return Array.from({ length: n }, (_, i) => ({ at: new Date(Date.UTC(2026, 10, 21, 10, 0, i)), goalId, phase: 'act' as const, message: `event ${i}` }));
}

describe('goal report', () => {
  it('keeps only the goal\'s own events and caps the timeline, saying how many were left out', () => {
    const model = buildReport(goal(), [...events(TIMELINE_MAX + 10), ...events(3, 'other')]);
    assert.equal(model.timeline.length, TIMELINE_MAX);
    assert.equal(model.timelineOmitted, 10);
    assert.equal(model.timeline[0].message, 'event 0');
    assert.equal(model.timeline[TIMELINE_MAX - 1].message, `event ${TIMELINE_MAX + 9}`);
    assert.match(renderReportMarkdown(model), /… 10 event\(s\) left out/);
  });

  it('Markdown: every agent text is inert (no HTML, images, links), commands keep their backticks', () => {
    const md = renderReportMarkdown(buildReport(goal(), events(2)));
    assert.doesNotMatch(md, /<script|<b>|<\/blockquote>|!\[x\]\(/);
    assert.ok(md.includes(mdInline(EVIL)));
    assert.match(md, /✖ `` echo `x` `` — exit 1 in 1\.5 s/);
    assert.match(md, /review requested changes/);
    assert.match(md, /error ` a\.js:3 `/);
    assert.match(md, /\*\*Acceptance criteria\*\*\n\n- works/);
  });

  it('shows its times in the one local format, always dated (a report is read later), in both formats', () => {
    const savedTz = process.env.TZ;
    // UTC+05:30 all year: 10:00:00Z reads 15:30:00 here.
    process.env.TZ = 'Asia/Kolkata';
    try {
      const g = { ...goal(), endedAt: '2026-11-21T20:15:00.000Z' };
      const md = renderReportMarkdown(buildReport(g, events(2)));
      assert.match(md, /^Started 2026-11-21 15:30:00, ended 2026-11-22 01:45:00 · /m);
      assert.match(md, /^- 2026-11-21 15:30:01 \*\*act\*\* event 1$/m);
      const html = renderReportHtml(buildReport(g, events(2)));
      assert.match(html, /Started 2026-11-21 15:30:00, ended 2026-11-22 01:45:00 · /);
      assert.match(html, /<li><code>2026-11-21 15:30:01<\/code> <strong>act<\/strong> event 1<\/li>/);
      assert.doesNotMatch(md + html, /T10:00|10:00:0\d\.000Z/, 'no ISO UTC time is shown to the reader');
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });

  it('HTML: self-contained, no script or remote resource, every text escaped', () => {
    const html = renderReportHtml(buildReport(goal(), events(2)));
    assert.match(html, /default-src 'none'/);
    assert.doesNotMatch(html, /<script|<b>|<img|src=|href=/);
    assert.ok(html.includes(escapeHtml(EVIL)));
    assert.equal((html.match(/<\/blockquote>/g) ?? []).length, 1, 'the objective cannot close its quote');
  });
});
