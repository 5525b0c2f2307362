// The Goalpost panel in a real VS Code (the harness's browser workbench), driven by playwright like a
// user: Set Goal from the command palette, watch the panel go through the phases to `achieved`,
// Pause / Resume / Clear from the panel, a review note opening its file at its line, screenshots in
// a dark and a light theme. The scripted model server plays planner, actor and reviewer.
import assert from 'node:assert/strict';
import { openWorkbench, runCommand } from '../../../scripts/vscode-test/ui.mjs';
import { startModel, TASKS, NOTE } from './model.mjs';
import { agentCommits, createWorkspace, goalJson, historyJson, removeWorkspace, writeSettings } from './workspace.mjs';
import {
  answerDialog, answerInputBox, answerNotification, clickControl, keepFailureEvidence, panelFrame, panelSnapshot, shoot, statusBarText, until, waitForTheme,
} from './panelDriver.mjs';

const DARK = 'Default Dark Modern';
const LIGHT = 'Default Light Modern';

describe('the Goalpost panel in a real VS Code', function () {
  this.timeout(240_000);
  let dir;
  let model;
  let wb;
  let settings;
  let releaseGate;
  const gate = {};
  // Stops a test's panel watcher when the test fails before it does (a watcher left polling keeps mocha alive).
  let stopWatcher = () => {};

  before(async () => {
    gate.hold = new Promise((resolve) => {
      releaseGate = resolve;
    });
    dir = createWorkspace({});
    model = await startModel(dir, gate);
    settings = { 'goalpost.baseUrl': model.baseUrl, 'goalpost.iterationDelayMs': 300, 'workbench.colorTheme': DARK, 'workbench.startupEditor': 'none' };
    writeSettings(dir, settings);
    wb = await openWorkbench({ folder: dir, viewport: { width: 1300, height: 1000 } });
  });

  afterEach(async function () {
    stopWatcher();
    await keepFailureEvidence(this.currentTest, wb?.page, wb?.server);
  });

  after(async () => {
    releaseGate?.();
    await wb?.close();
    await model?.close();
    if (dir) removeWorkspace(dir);
  });

  it('shows the empty state with Set Goal and a goal template', async () => {
    // The first command on a cold workbench, while the extension activates: a loaded machine takes longer.
    await runCommand(wb.page, 'Goalpost: Show Panel', { timeout: 60_000 });
    const frame = await panelFrame(wb.page, { timeout: 60_000 });
    const snap = await panelSnapshot(frame);
    assert.equal(snap.empty, true);
    assert.equal(await frame.locator('vscode-button[aria-label="Set Goal"]').count(), 1);
    assert.match(await frame.locator('.template').innerText(), /## Acceptance criteria/);
  });

  it('runs a goal set from the command palette to achieved, pausing and resuming from the panel', async () => {
    const { page } = wb;
    // Watch the panel from before the goal starts, every snapshot kept: started after the questions, the watcher's
    // first snapshot could come after the short plan phase on a loaded machine.
    let frame = await panelFrame(page);
    const seen = [];
    let watching = true;
    stopWatcher = () => {
      watching = false;
    };
    const watcher = (async () => {
      while (watching) {
        try {
          seen.push(await panelSnapshot(frame));
        } catch {
          frame = await panelFrame(page).catch(() => frame);
        }
        await new Promise((r) => setTimeout(r, 80));
      }
    })();

    await runCommand(page, 'Goalpost: Set Goal');
    await answerInputBox(page, 'Goalpost: objective', 'Make add() in src/calc.js return the sum, add multiply(a, b), and document both; npm test passes');
    await answerInputBox(page, 'Goalpost: token budget', '400000');
    // An inline objective has no acceptance criteria: Goalpost warns, the user starts anyway.
    await answerDialog(page, 'acceptance criteria', 'Start Anyway');

    // The gate holds the actor before task 2: the panel shows it in progress, in the act phase.
    await until('task 2 in progress', async () => {
      const s = await panelSnapshot(frame);
      return s.state === 'pursuing' && s.phase === 'act' && s.done === 1 && s.inProgress === 1 ? s : null;
    }, { timeout: 60_000 });
    assert.match(await statusBarText(page), /Goalpost: pursuing/);
    await shoot(page, 'panel-midrun-dark');

    await clickControl(frame, 'Pause');
    await until('paused in the panel', async () => (await panelSnapshot(frame)).state === 'paused');
    await until('paused in the status bar', async () => /Goalpost: paused/.test(await statusBarText(page)));
    assert.equal(goalJson(dir).status, 'paused');
    assert.match(goalJson(dir).reason, /Paused/);
    const paused = await panelSnapshot(frame);
    assert.deepEqual(paused.controls, ['resume', 'editGoal', 'raiseBudget', 'openReport', 'clear']);
    await shoot(page, 'panel-paused-dark');

    // The light theme, mid-run.
    writeSettings(dir, { ...settings, 'workbench.colorTheme': LIGHT });
    await waitForTheme(page, 'vs');
    frame = await panelFrame(page);
    await shoot(page, 'panel-midrun-light');
    writeSettings(dir, settings);
    await waitForTheme(page, 'vs-dark');
    frame = await panelFrame(page);

    releaseGate();
    await clickControl(frame, 'Resume');
    await until('pursuing again', async () => (await panelSnapshot(frame)).state === 'pursuing' && goalJson(dir).status === 'pursuing');
    await until('pursuing in the status bar', async () => /Goalpost: (pursuing|achieved)/.test(await statusBarText(page)));

    const end = await until('achieved', async () => {
      const s = await panelSnapshot(frame);
      return s.state === 'achieved' ? s : null;
    }, { timeout: 90_000 });
    watching = false;
    await watcher;

    assert.equal(goalJson(dir).status, 'achieved');
    await until('achieved in the status bar', async () => /Goalpost: achieved/.test(await statusBarText(page)));
    // The panel went through the phases, the backlog filled and emptied, the gauge moved.
    const phases = new Set(seen.map((s) => s.phase).filter(Boolean));
    for (const p of ['plan', 'act', 'test', 'review']) assert.ok(phases.has(p), `the panel showed the ${p} phase (saw ${[...phases].join(', ')})`);
    assert.ok(seen.some((s) => s.todo >= 1), 'the backlog had tasks to do');
    assert.ok(seen.some((s) => s.done === 1) && seen.some((s) => s.done === 2), 'tasks were done one by one');
    const tokens = seen.map((s) => s.tokens).filter((t) => Number.isFinite(t));
    assert.ok(tokens.length > 2 && tokens.at(-1) > tokens[0], `the gauge moved (${tokens[0]} → ${tokens.at(-1)})`);
    assert.ok(seen.some((s) => s.notes === 1) && end.notes === TASKS.length, `review notes appeared one by one (${end.notes} at the end)`);
    assert.equal(end.todo, 0);
    assert.equal(end.inProgress, 0);
    assert.equal(end.done, TASKS.length);
    assert.equal(end.commits, TASKS.length);
    assert.deepEqual(agentCommits(dir).sort(), TASKS.map((t) => t.title).sort());
    assert.ok(end.logLines > 5, 'the activity tail shows goal_status.log lines');
    assert.match(await frame.locator('.activity .log').innerText(), /achieved|audit/i);

    await shoot(page, 'panel-achieved-dark');
    writeSettings(dir, { ...settings, 'workbench.colorTheme': LIGHT });
    await waitForTheme(page, 'vs');
    frame = await panelFrame(page);
    await shoot(page, 'panel-achieved-light');
    writeSettings(dir, settings);
    await waitForTheme(page, 'vs-dark');
  });

  it('opens a review note\'s file at its line', async () => {
    const { page } = wb;
    const frame = await panelFrame(page);
    await frame.locator(`.reviews .note[data-path="${NOTE.path}"][data-line="${NOTE.line}"]`).first().click();
    await until('calc.js in the active editor tab', async () => (await page.locator('.tabs-container .tab.active').first().getAttribute('aria-label').catch(() => '')) === 'calc.js');
    const position = await until('the cursor position', async () => {
      const text = await page.locator('.part.statusbar .statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first().innerText().catch(() => '');
      return /Ln \d+/.test(text) ? text : null;
    });
    assert.match(position, new RegExp(`Ln ${NOTE.line}, Col 1`));
  });

  it('keeps everything across hide and show, and across a window reload', async () => {
    const { page } = wb;
    const before = await panelSnapshot(await panelFrame(page));
    await runCommand(page, 'View: Show Explorer');
    await runCommand(page, 'Goalpost: Show Panel');
    const after = await until('the panel again', async () => {
      const s = await panelSnapshot(await panelFrame(page));
      return s.state === 'achieved' && s.logLines === before.logLines ? s : null;
    });
    assert.deepEqual({ ...after, phase: null }, { ...before, phase: null });

    // A window reload: the extension comes back from .goalpost/goal.json and the panel shows the same.
    // The old page stays up while the workbench saves its state before reloading: mark it, and wait for a page
    // without the mark, so nothing below is satisfied by the page about to go away.
    await page.evaluate(() => { window.goalpostBeforeReload = true; });
    await runCommand(page, 'Developer: Reload Window');
    await until('the reloaded page', () => page.evaluate(() => window.goalpostBeforeReload !== true).catch(() => false), { timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand(page, 'Goalpost: Show Panel');
    const reloaded = await until('the panel after the reload', async () => {
      const s = await panelSnapshot(await panelFrame(page));
      return s.state === 'achieved' && s.logLines === before.logLines ? s : null;
    }, { timeout: 60_000 });
    assert.deepEqual({ ...reloaded, phase: null }, { ...before, phase: null });
  });

  it('clears the achieved goal from the panel after confirmation: empty state, status bar, history keeps "achieved"', async () => {
    const { page } = wb;
    let frame = await panelFrame(page);
    const goalId = goalJson(dir).id;
    await clickControl(frame, 'Clear');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await dialog.innerText(), /Clear the goal/);
    await dialog.locator('.monaco-button', { hasText: 'Clear Goal' }).first().click();
    frame = await panelFrame(page);
    // The history arrives with a later push than the empty state (it is read from the store).
    const snap = await until('the empty state with the goal history', async () => {
      const s = await panelSnapshot(frame);
      return s.empty && s.history.length > 0 ? s : null;
    });
    // The goal was achieved: clearing files it away but keeps its outcome in the history.
    assert.deepEqual(snap.history, ['achieved']);
    assert.equal(goalJson(dir), null, '.goalpost/goal.json is gone');
    const archived = historyJson(dir).find((g) => g.id === goalId);
    assert.equal(archived?.status, 'achieved');
    await until('the status bar item hidden', async () => (await statusBarText(page)) === '');
    assert.equal(agentCommits(dir).length, TASKS.length, 'the commits stay');
  });
});
