// Commit review in a real VS Code (the harness's browser workbench), driven by playwright like a user:
// "Goalpost: Review Agent Commits" from the command palette, pick the agent's commit, and the changes
// editor shows the diff with the reviewer's notes as comment threads. A screenshot is saved under
// test-results/review/ (copy it to media/screenshots/review.png by hand to refresh the README's picture).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorkbench, runCommand } from '../../../scripts/vscode-test/ui.mjs';
import { keepFailureEvidence, statusBarText, until } from '../ui/panelDriver.mjs';

const require = createRequire(import.meta.url);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { newGoal } = require(join(repoRoot, 'out', 'src', 'engine', 'goal.js'));
const { formatCommitMessage } = require(join(repoRoot, 'out', 'src', 'engine', 'commitMessage.js'));

/**
 * Runs "Goalpost: Review Agent Commits" until its list shows `row`. The list is built from git and the goal records
 * after the palette closed (seconds on a loaded machine), and a workbench still starting can close the picker again
 * when it takes the focus (as it took the palette away in fresh run #13): then the command is run once more.
 */
async function pickFromCommitList(page, row, { timeout }) {
  const deadline = Date.now() + timeout;
  const picker = page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: 'agent commits in' }) });
  const gaveUp = async (runs) => {
    const shown = await page.locator('.quick-input-widget').innerText({ timeout: 1000 }).catch(() => '(no quick pick)');
    return new Error(`the agent commit did not show within ${timeout / 1000} s (${runs} run(s) of the command); the quick pick shows: ${JSON.stringify(shown.slice(0, 500))}`);
  };
  for (let runs = 1; ; runs++) {
    if (Date.now() > deadline) throw await gaveUp(runs - 1);
    await runCommand(page, 'Goalpost: Review Agent Commits', { timeout: Math.max(5000, deadline - Date.now()) });
    const ran = Date.now();
    let seen = false;
    for (;;) {
      if (await row.isVisible().catch(() => false)) return;
      const open = await picker.isVisible().catch(() => false);
      seen ||= open;
      // Shown and closed again, or never shown: the command runs once more (said in the output, so a run that
      // needed it shows).
      if ((seen && !open) || (!seen && Date.now() - ran > 30_000)) {
        process.stdout.write(`      [review ui] the commit picker ${seen ? 'closed again' : 'did not show within 30 s'}: running the command again\n`);
        break;
      }
      if (Date.now() > deadline) throw await gaveUp(runs);
      await page.waitForTimeout(200);
    }
  }
}

const CALC = `'use strict';

function add(a, b) {
  return a + b;
}

function divide(a, b) {
  if (b === 0) throw new RangeError('division by zero');
  return a / b;
}

function multiply(a, b) {
  return a * b;
}

module.exports = { add, divide, multiply };
`;
const NOTES = [
  { path: 'src/calc.js', line: 13, severity: 'warning', message: 'multiply should reject non-numbers, as divide rejects zero.' },
  { path: 'src/calc.js', line: 3, severity: 'info', message: 'add could share an argument check with multiply.' },
];

function git(dir, ...args) {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@localhost', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@localhost' } });
}

/** The review's time as people read it (src/timeFormat.ts): the local clock, dated only when not today. */
function shownTime(at) {
  const two = (n) => String(n).padStart(2, '0');
  return `(?:\\d{4}-\\d{2}-\\d{2} )?${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}

/** A repository with one agent commit (trailers) and the goal record holding its review, as a finished goal leaves them. */
function preparedWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'goalpost-ui-review-'));
  cpSync(join(repoRoot, 'test', 'vscode', 'fixtures', 'workspace'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  writeFileSync(join(dir, '.git', 'info', 'exclude'), '.vscode/\n.goalpost/\ngoal_status.log\n');
  const base = git(dir, 'rev-parse', 'HEAD').trim();
  writeFileSync(join(dir, 'src', 'calc.js'), CALC);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', formatCommitMessage({ title: 'Add multiply to calc', summary: 'Added multiply(a, b) and exported it.', checks: [{ command: 'npm test', exitCode: 0 }], verdict: 'approve', goalId: 'ui-review', taskId: 't1' }));
  const sha = git(dir, 'rev-parse', 'HEAD').trim();
  const now = new Date().toISOString();
  const goal = newGoal({
    id: 'ui-review', folder: dir, tokenBudget: 100000, now,
    spec: { objective: 'Add multiply(a, b) to src/calc.js', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: ['npm test'] },
    validation: { commands: ['npm test'], source: 'goal-file' },
  });
  Object.assign(goal, {
    revision: 1, status: 'achieved', reason: 'Verified: every check passed and the reviewer approved.', phase: null, endedAt: now,
    git: { branch: 'main', baseCommit: base },
    backlog: [{ id: 't1', title: 'Add multiply to calc', details: '', acceptance: '', status: 'done', source: 'planner', attempts: [], blockedReason: null, commit: sha, commands: [] }],
    reviews: [{ id: 'r1', taskId: 't1', attempt: 1, at: now, verdict: 'approve', summary: 'Small and correct.', notes: NOTES, commit: sha }],
    commits: [{ sha, taskId: 't1', title: 'Add multiply to calc', at: now, filesChanged: ['src/calc.js'], reviewId: 'r1' }],
  });
  mkdirSync(join(dir, '.goalpost'), { recursive: true });
  writeFileSync(join(dir, '.goalpost', 'goal.json'), JSON.stringify(goal, null, 2));
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': 'Default Dark Modern', 'workbench.startupEditor': 'none', 'goalpost.iterationDelayMs': 0 }, null, 2));
  // The commit list shows git's commit time; the comment label the review's time from the record.
  return { dir, sha, commitAt: new Date(git(dir, 'log', '-1', '--format=%cI').trim()), reviewAt: new Date(now) };
}

describe('commit review in a real VS Code', function () {
  this.timeout(240_000);
  let workspace;
  let wb;

  before(async () => {
    workspace = preparedWorkspace();
    wb = await openWorkbench({ folder: workspace.dir, viewport: { width: 1280, height: 800 } });
  });

  afterEach(async function () {
    await keepFailureEvidence(this.currentTest, wb?.page, wb?.server);
  });

  after(async () => {
    await wb?.close();
    if (workspace) rmSync(workspace.dir, { recursive: true, force: true });
  });

  it('opens an agent commit from "Goalpost: Review Agent Commits" as a diff with the review notes as comment threads', async () => {
    const { page } = wb;
    // The extension is up and has restored the goal once its status bar item shows: the first command then finds it.
    await until('the Goalpost status bar item', async () => /Goalpost:/.test(await statusBarText(page)), { timeout: 60_000 });
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Add multiply to calc' }).first();
    await pickFromCommitList(page, row, { timeout: 90_000 });
    assert.match(await row.innerText(), new RegExp(`${workspace.sha.slice(0, 8)}[^]*t1[^]*approved[^]*2 notes`));
    // The commit's time in Goalpost's one local format, not the locale's (no "AM"/"PM", no "12/2/2026").
    assert.match(await row.innerText(), new RegExp(`(^|\\s)${shownTime(workspace.commitAt)} · 1 file: src/calc\\.js · goal ui-review`));
    await row.click();

    // The changes editor opens with the commit's file, and the threads render on the modified side.
    const threads = page.locator('.review-widget');
    await threads.first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.review-widget', { hasText: 'multiply should reject non-numbers' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const moved = page.locator('.review-widget', { hasText: 'add could share an argument check' }).first();
    await moved.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await moved.innerText(), /Originally\s+on\s+line\s+3/);
    // The comment's label carries the review's time in the same format (not VS Code's "2 hours ago").
    assert.match(await moved.innerText(), new RegExp(`r1 · attempt 1 · approved · ${shownTime(workspace.reviewAt)}`));
    const tab = page.locator('.tabs-container .tab.active');
    assert.match(await tab.innerText(), /Review: Add multiply to calc/);
    // The thread actions are there: Send to Agent and Resolve.
    assert.ok(await page.locator('.review-widget .review-actions [aria-label="Send to Agent"]').count() >= 1, 'Send to Agent on the thread');
    assert.ok(await page.locator('.review-widget .review-actions [aria-label="Resolve"]').count() >= 1, 'Resolve on the thread');

    // The screenshot waits for the fonts (codicons) to be in, not for a fixed time.
    await page.evaluate(() => document.fonts.ready.then(() => true));
    const shots = join(repoRoot, 'test-results', 'review');
    mkdirSync(shots, { recursive: true });
    const file = join(shots, 'review.png');
    await page.locator('.part.editor').screenshot({ path: file });
    // Tests never write tracked files: media/screenshots/review.png is refreshed from here by hand.
  });
});
