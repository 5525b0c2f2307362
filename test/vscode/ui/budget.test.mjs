// The budget gauge and chart, and the panel's times, in a real VS Code (the harness's browser workbench).
// Five folders in one workspace, each holding a goal record as the engine leaves it (built with the compiled
// engine, so it matches the schema): budget stops at 73 %, 80 % (8,000 of 10,000) and 100 %, and paused goals
// at 80 % and 73 %. Issue 11 saw a stop at 73 % drawn blue with no warning, and a stop at 8,000 stay amber:
// a stop is a stop whatever the fraction. The chart's axes, units and values are written under it, and every
// time the panel shows is in the one local format (src/timeFormat.ts). Screenshots in dark and High Contrast.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkbench, runCommand } from '../../../scripts/vscode-test/ui.mjs';
import { removeWorkspace } from './workspace.mjs';
import { keepFailureEvidence, panelFrame, repoRoot, shoot, until, waitForTheme } from './panelDriver.mjs';

const require = createRequire(import.meta.url);
const { newGoal } = require(join(repoRoot, 'out', 'src', 'engine', 'goal.js'));
const { formatStatusLine } = require(join(repoRoot, 'out', 'src', 'engine', 'statusLine.js'));

const BUDGET = 10_000;
const NOW = new Date();
// Another local day for sure (26 h also covers a daylight-saving change), and one two days back.
const YESTERDAY = new Date(NOW.getTime() - 26 * 3600_000);
const EARLIER = new Date(NOW.getTime() - 50 * 3600_000);
// The chart's points: running totals of tokens per finished iteration, and tasks done.
const POINTS = [{ n: 1, tokens: 2000, tasksDone: 0 }, { n: 2, tokens: 5000, tasksDone: 1 }, { n: 3, tokens: 7300, tasksDone: 2 }];
const THEMES = [
  ['Default Dark Modern', 'vs-dark', 'dark'],
  ['Default High Contrast', 'hc-black', 'hc-dark'],
  ['Default High Contrast Light', 'hc-light', 'hc-light'],
];

const two = (n) => String(n).padStart(2, '0');
/** The times as people read them: the local clock, with the local date when it is not today. */
const clock = (d) => `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
const dated = (d) => `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${clock(d)}`;

function git(dir, ...args) {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@localhost', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@localhost' } });
}

/** A goal record at `tokens` of the budget, stopped (`budget-limited`) or paused by the user. */
function record(dir, id, tokens, status, extra = {}) {
  const goal = newGoal({
    id, folder: dir, tokenBudget: BUDGET, now: EARLIER.toISOString(),
    spec: { objective: `Goal ${id}: make add() in src/calc.js return the sum`, acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: ['npm test'] },
    validation: { commands: ['npm test'], source: 'goal-file' },
  });
  const stopped = status === 'budget-limited';
  Object.assign(goal, {
    revision: 1, status, phase: null, iteration: 3,
    reason: stopped ? `The token budget is used up (${tokens.toLocaleString('en-US')} of 10,000). Raise the budget to continue.` : 'Paused by the user.',
    pause: { cause: stopped ? 'budget' : 'user', errorKind: null },
    checkpointSummary: stopped ? 'Wrap-up: add() is fixed; multiply is left.' : '',
    budget: { tokenBudget: BUDGET, warned80: tokens >= 8000 },
    updatedAt: NOW.toISOString(),
  }, extra);
  goal.usage.total = { ...goal.usage.total, tokens, inputTokens: tokens - 500, outputTokens: 500, requests: 6 };
  return goal;
}

/** One folder: a git repository with its goal record (and optionally log lines and an ended goal in history). */
function folder(parent, name, goal, { log = [], history = null } = {}) {
  const dir = join(parent, name);
  mkdirSync(join(dir, '.goalpost', 'history'), { recursive: true });
  writeFileSync(join(dir, 'README.md'), `# ${name}\n`);
  writeFileSync(join(dir, '.gitignore'), '.goalpost/\ngoal_status.log\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  writeFileSync(join(dir, '.goalpost', 'goal.json'), JSON.stringify(goal(dir), null, 2));
  if (log.length > 0) writeFileSync(join(dir, 'goal_status.log'), `${log.map(formatStatusLine).join('\n')}\n`);
  if (history) writeFileSync(join(dir, '.goalpost', 'history', `${history(dir).id}.json`), JSON.stringify(history(dir), null, 2));
  return dir;
}

function writeWorkspace(file, names, theme) {
  writeFileSync(file, JSON.stringify({
    folders: names.map((path) => ({ path })),
    settings: { 'workbench.colorTheme': theme, 'workbench.startupEditor': 'none', 'goalpost.iterationDelayMs': 0 },
  }, null, 2));
}

/** Each card's gauge, notice, chart and times, keyed by folder name (one evaluate: a consistent snapshot). */
function readCards(frame) {
  return frame.evaluate(() => {
    // A colour as the theme resolves it, through CSSOM (the panel's CSP forbids style attributes).
    const resolve = (value) => {
      const probe = document.createElement('span');
      probe.style.color = value;
      document.body.append(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    };
    const cards = {};
    for (const card of document.querySelectorAll('article.goal')) {
      const gauge = card.querySelector('.gauge');
      const fill = card.querySelector('.gauge .fill');
      const notice = card.querySelector('.budget-notice');
      const chart = card.querySelector('svg.chart');
      const axes = card.querySelector('.legend.axes');
      cards[card.querySelector('.folder-name')?.textContent ?? '?'] = {
        level: ['ok', 'warn', 'exhausted'].filter((l) => gauge.classList.contains(l)),
        fill: getComputedStyle(fill).backgroundColor,
        track: getComputedStyle(gauge).backgroundColor,
        width: fill.style.width,
        valueNow: gauge.getAttribute('aria-valuenow'),
        valueMax: gauge.getAttribute('aria-valuemax'),
        percent: card.querySelector('.figures .percent')?.textContent ?? '',
        notice: notice.hidden ? null : notice.textContent,
        noticeWarning: notice.classList.contains('warning'),
        chartLabel: chart?.getAttribute('aria-label') ?? null,
        chartTitle: chart?.querySelector('title')?.textContent ?? null,
        bars: [...(chart?.querySelectorAll('rect.bar') ?? [])].map((r) => Number(r.getAttribute('height'))),
        line: (chart?.querySelector('polyline.done-line')?.getAttribute('points') ?? '').split(' ').filter(Boolean).map((p) => Number(p.split(',')[1])),
        axes: axes && !axes.hidden ? axes.textContent : null,
        legend: card.querySelector('.legend:not(.axes)')?.textContent ?? '',
        activityTimes: [...card.querySelectorAll('.activity .log li .time')].map((t) => t.textContent),
        commitMeta: [...card.querySelectorAll('.commits .commit-list li .meta')].map((m) => m.textContent),
        reviewWhen: [...card.querySelectorAll('.reviews .review .when')].map((m) => m.textContent),
      };
    }
    return {
      cards,
      colours: {
        stop: resolve('var(--vscode-errorForeground)'),
        warn: resolve('var(--vscode-editorWarning-foreground)'),
        ok: resolve('var(--vscode-progressBar-background)'),
      },
      history: [...document.querySelectorAll('.history .history-item .meta:not(.reason-line)')].map((m) => m.textContent),
    };
  });
}

describe('the budget gauge at a budget stop, the chart, and the panel\'s times, in a real VS Code', function () {
  this.timeout(240_000);
  const names = ['stop-73', 'stop-80', 'stop-100', 'paused-80', 'paused-73'];
  let parent;
  let wsFile;
  let wb;
  let frame;

  before(async () => {
    parent = realpathSync(mkdtempSync(join(tmpdir(), 'goalpost-ui-budget-')));
    folder(parent, 'stop-73', (dir) => record(dir, 'stop-73', 7300, 'budget-limited', {
      iterations: POINTS.map((p) => ({ ...p, at: EARLIER.toISOString() })),
      backlog: [{ id: 't1', title: 'Fix add', details: '', acceptance: '', status: 'done', source: 'planner', attempts: [], blockedReason: null, commit: 'a'.repeat(40), commands: [] }],
      commits: [{ sha: 'a'.repeat(40), taskId: 't1', title: 'Fix add', at: NOW.toISOString(), filesChanged: ['src/calc.js'], reviewId: 'r1' }],
      reviews: [{ id: 'r1', taskId: 't1', attempt: 1, at: YESTERDAY.toISOString(), verdict: 'approve', summary: 'Small and correct.', notes: [], commit: 'a'.repeat(40) }],
    }), {
      log: [
        // The ended goal's line is history, not this goal's activity: the tail leaves it out.
        { at: EARLIER, goalId: 'earlier-goal', phase: 'goal', message: 'Verified.' },
        { at: YESTERDAY, goalId: 'stop-73', phase: 'act', message: 'started the work yesterday' },
        { at: NOW, goalId: 'stop-73', phase: 'goal', message: 'The token budget is used up (7,300 of 10,000).' },
      ],
      history: (dir) => ({ ...record(dir, 'earlier-goal', 4000, 'achieved'), status: 'achieved', pause: null, reason: 'Verified.', endedAt: EARLIER.toISOString() }),
    });
    folder(parent, 'stop-80', (dir) => record(dir, 'stop-80', 8000, 'budget-limited'));
    folder(parent, 'stop-100', (dir) => record(dir, 'stop-100', 10_000, 'budget-limited'));
    folder(parent, 'paused-80', (dir) => record(dir, 'paused-80', 8000, 'paused'));
    folder(parent, 'paused-73', (dir) => record(dir, 'paused-73', 7300, 'paused'));
    wsFile = join(parent, 'budget.code-workspace');
    writeWorkspace(wsFile, names, THEMES[0][0]);
    wb = await openWorkbench({ workspace: wsFile, viewport: { width: 1300, height: 1600 } });
    await runCommand(wb.page, 'Goalpost: Show Panel');
    frame = await panelFrame(wb.page, { timeout: 60_000 });
  });

  afterEach(async function () {
    await keepFailureEvidence(this.currentTest, wb?.page, wb?.server);
  });

  after(async () => {
    await wb?.close();
    if (parent) removeWorkspace(parent);
  });

  /** The cards once all five show their gauge (and `also` holds: the activity tail follows its card's state). */
  async function snapshot(what = 'the five goal cards', also = () => true) {
    return until(what, async () => {
      const snap = await readCards(frame).catch(() => null);
      if (!snap) frame = await panelFrame(wb.page).catch(() => frame);
      return snap && names.every((n) => snap.cards[n]?.valueNow) && also(snap) ? snap : null;
    }, { timeout: 60_000 });
  }

  it('shows every budget stop in the stopped colour with the stop notice, whatever the fraction; 80 % warns; 73 % is calm', async () => {
    const { cards, colours } = await snapshot();
    for (const name of ['stop-73', 'stop-80', 'stop-100']) {
      const c = cards[name];
      assert.deepEqual(c.level, ['exhausted'], `${name}: the gauge is in the stopped state (${JSON.stringify(c)})`);
      assert.equal(c.fill, colours.stop, `${name}: the fill has the stopped colour`);
      assert.ok(c.noticeWarning, `${name}: the notice is a warning`);
      assert.match(c.notice ?? '', /^Stopped at the token budget \(\d+ % used: the next request would not fit\)\. Raise the budget to continue\.$/, name);
    }
    assert.match(cards['stop-73'].notice, /\(73 % used/);
    assert.match(cards['stop-80'].notice, /\(80 % used/);
    assert.match(cards['stop-100'].notice, /\(100 % used/);
    assert.equal(parseFloat(cards['stop-73'].width), 73, 'the fill still shows how much was used');
    assert.equal(parseFloat(cards['stop-100'].width), 100);
    assert.equal(cards['stop-73'].percent, '(73 %)');

    // Not stopped: amber with the 80 % warning at 80 %, the normal colour and no notice at 73 %.
    assert.deepEqual(cards['paused-80'].level, ['warn']);
    assert.equal(cards['paused-80'].fill, colours.warn);
    assert.equal(cards['paused-80'].notice, 'Warning: 80 % of the token budget is used.');
    assert.deepEqual(cards['paused-73'].level, ['ok']);
    assert.equal(cards['paused-73'].fill, colours.ok);
    assert.equal(cards['paused-73'].notice, null);
    assert.notEqual(colours.stop, colours.warn);
    assert.notEqual(colours.stop, colours.ok);
    await shoot(wb.page, 'budget-stops-dark');
  });

  it('labels the chart: its axes, units and values under it, and the same in its accessible name', async () => {
    const { cards } = await snapshot();
    const c = cards['stop-73'];
    // Tokens spent per iteration: 2,000, 3,000, 2,300 (the points carry running totals).
    assert.equal(c.axes, 'x: iterations 1–3 · bars: tokens per iteration, 0–3.0k (last 2.3k) · line: tasks done, 0–2 (now 2)');
    assert.match(c.legend, /tokens per iteration[\s\S]*tasks done/);
    const label = 'Tokens per iteration and tasks done, over 3 iterations; last iteration 2.3k tokens, 2 tasks done.';
    assert.equal(c.chartLabel, label);
    assert.equal(c.chartTitle, label);
    // One bar per iteration, scaled to the tokens spent; the line rises (smaller y) as tasks get done.
    assert.equal(c.bars.length, 3);
    assert.ok(c.bars[1] > c.bars[2] && c.bars[2] > c.bars[0], `bars follow 2,000 / 3,000 / 2,300 tokens: ${c.bars}`);
    assert.equal(c.line.length, 3);
    assert.ok(c.line[0] > c.line[1] && c.line[1] > c.line[2], `the line rises with tasks done: ${c.line}`);
    // Before the first iteration ends there is no axis text, and the chart says why it is empty.
    assert.equal(cards['stop-80'].axes, null);
    assert.equal(cards['stop-80'].chartLabel, 'No iteration finished yet.');
  });

  it('shows every time in the one local format: the clock today, the date on other days', async () => {
    const { cards, history } = await snapshot('the five goal cards and the two lines of stop-73\'s activity tail', (snap) => snap.cards['stop-73'].activityTimes.length >= 2);
    const c = cards['stop-73'];
    assert.deepEqual(c.activityTimes, [dated(YESTERDAY), clock(NOW)], 'the activity tail: this goal\'s two lines, not the ended goal\'s');
    assert.deepEqual(c.commitMeta, [` t1 · ${clock(NOW)}`], 'the commit list');
    assert.deepEqual(c.reviewWhen, [` · ${dated(YESTERDAY)}`], 'the self-review notes');
    assert.ok(history.some((m) => m.endsWith(` · ${dated(EARLIER)}`)), `the goal history: ${JSON.stringify(history)}`);
  });

  it('keeps track and fill apart in High Contrast, and the stop in the stopped colour', async () => {
    for (const [theme, kind, name] of THEMES.slice(1)) {
      writeWorkspace(wsFile, names, theme);
      await waitForTheme(wb.page, kind);
      frame = await panelFrame(wb.page);
      const { cards, colours } = await snapshot();
      for (const n of names) assert.notEqual(cards[n].fill, cards[n].track, `${theme}, ${n}: fill and track differ (${JSON.stringify(cards[n])})`);
      for (const n of ['stop-73', 'stop-80', 'stop-100']) {
        assert.deepEqual(cards[n].level, ['exhausted'], `${theme}, ${n}`);
        assert.equal(cards[n].fill, colours.stop, `${theme}, ${n}: the stopped colour`);
      }
      assert.equal(cards['paused-80'].fill, colours.warn, `${theme}: 80 % is the warning colour`);
      assert.notEqual(cards['paused-73'].fill, colours.stop, `${theme}: 73 % while paused is not a stop`);
      await shoot(wb.page, `budget-stops-${name}`);
    }
  });
});
