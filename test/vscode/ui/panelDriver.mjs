// Drives the workbench like a user: finds the Goalpost panel's webview frame, answers notifications
// from the notifications center (the smoke-test driver hides toasts), reads the status bar and editor.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../../scripts/vscode-test/ui.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const shotsDir = join(repoRoot, 'test-results', 'ui');

/** Polls fn until it returns a truthy value; throws with `what` after timeout. */
export async function until(what, fn, { timeout = 30_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** The panel's webview frame (the inner frame that holds #root), once it rendered. */
export async function panelFrame(page, { timeout = 30_000 } = {}) {
  return until('the Goalpost panel webview', async () => {
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      const n = await frame.locator('#root .goal, #root .empty').count().catch(() => 0);
      if (n > 0) return frame;
    }
    return null;
  }, { timeout });
}

/** What the panel shows now (one evaluate, so it is a consistent snapshot). */
export async function panelSnapshot(frame) {
  return frame.evaluate(() => {
    const text = (sel) => document.querySelector(sel)?.textContent?.trim() ?? null;
    const count = (status) => Number(document.querySelector(`.backlog .group.${status} .count`)?.textContent ?? 'NaN');
    return {
      empty: document.querySelector('#root .empty') !== null,
      state: text('.goal .badge'),
      phase: document.querySelector('.goal .phase-wrap')?.hidden ? null : text('.goal .phase'),
      used: text('.budget .used'),
      tokens: Number(document.querySelector('.budget .gauge')?.getAttribute('aria-valuenow') ?? 'NaN'),
      todo: count('todo'),
      inProgress: count('in-progress'),
      done: count('done'),
      notes: document.querySelectorAll('.reviews .note').length,
      commits: document.querySelectorAll('.commits .commit').length,
      logLines: document.querySelectorAll('.activity .log li').length,
      history: [...document.querySelectorAll('.history .history-item .badge')].map((b) => b.textContent),
      controls: [...document.querySelectorAll('.goal .controls [data-command]')].map((b) => b.getAttribute('data-command')),
    };
  });
}

/** Clicks a panel control by its label. */
export async function clickControl(frame, label) {
  await frame.locator(`vscode-button[aria-label="${label}"]`).first().click();
}

/** The Goalpost status-bar item's text. */
export async function statusBarText(page) {
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: 'Goalpost:' }).first();
  // The item can vanish between the two calls (the goal was cleared): a short wait, then ''.
  return (await item.count()) > 0 ? (await item.innerText({ timeout: 1000 }).catch(() => '')).trim() : '';
}

/** Clicks `action` on the notification whose message matches, from the notifications center. */
export async function answerNotification(page, message, action, { timeout = 60_000 } = {}) {
  const item = page.locator('.notifications-center .notification-list-item', { hasText: message }).first();
  let round = 0;
  await until(`a notification "${message}"`, async () => {
    // Every few rounds the center is closed and opened again, so it renders what arrived while it was open.
    if (++round % 6 === 0 && (await page.locator('.notifications-center.visible').count())) await page.keyboard.press('Escape');
    if (!(await page.locator('.notifications-center.visible').count())) await runCommand(page, 'Notifications: Show Notifications', { timeout: 10_000 });
    return (await item.count()) > 0;
  }, { timeout, interval: 500 });
  await item.locator('.monaco-button', { hasText: action }).first().click();
}

/** Clicks `action` in the modal dialog whose message matches (deciding questions are modal). */
export async function answerDialog(page, message, action, { timeout = 60_000 } = {}) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: message }).first();
  await dialog.waitFor({ state: 'visible', timeout }).catch((error) => {
    throw new Error(`no dialog "${message}" within ${timeout} ms`, { cause: error });
  });
  await dialog.locator('.monaco-button', { hasText: action }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Types into the open quick input (an input box) and accepts. */
export async function answerInputBox(page, title, value) {
  const widget = page.locator('.quick-input-widget');
  await until(`the input box "${title}"`, async () => (await widget.locator('.quick-input-title', { hasText: title }).count()) > 0 && widget.isVisible(), { timeout: 20_000 });
  const input = widget.locator('.quick-input-box input');
  await input.fill(value);
  await input.press('Enter');
}

/**
 * For an afterEach hook: when the test failed, keeps a screenshot of the whole window and the notifications' texts
 * under test-results/ui/failed-*, so a failure on a machine nobody can log into still shows what the user would see.
 */
export async function keepFailureEvidence(test, page, server) {
  if (!page || test?.state !== 'failed') return;
  mkdirSync(shotsDir, { recursive: true });
  const name = `failed-${test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
  // The workbench and extension host logs (the Goalpost channel among them) live in the server's data dir, which
  // is removed when the server stops.
  if (server?.dataDir) cpSync(join(server.dataDir, 'user', 'logs'), join(shotsDir, `${name}-logs`), { recursive: true, force: true, errorOnExist: false });
  await page.screenshot({ path: join(shotsDir, `${name}.png`) }).catch(() => {});
  const texts = await page.locator('.notification-list-item-message, .monaco-dialog-box .dialog-message-text').allInnerTexts().catch(() => []);
  process.stdout.write(`      [evidence] screenshot test-results/ui/${name}.png; notifications and dialogs: ${JSON.stringify(texts)}\n`);
}

/** Saves a screenshot of the side bar (the panel) under test-results/ui/. */
export async function shoot(page, name) {
  mkdirSync(shotsDir, { recursive: true });
  const path = join(shotsDir, `${name}.png`);
  await page.locator('.part.sidebar').screenshot({ path });
  return path;
}

/** Waits until the workbench shows the theme kind ('vs' light, 'vs-dark' dark). */
export async function waitForTheme(page, kind) {
  await until(`the ${kind} theme`, async () => page.evaluate((k) => {
    const cls = document.querySelector('.monaco-workbench')?.classList;
    return cls ? cls.contains(k) && (k !== 'vs' || !cls.contains('vs-dark')) : false;
  }, kind), { timeout: 30_000 });
  // The webview gets the new theme a moment later: wait until the panel's own document says so (VS Code sets the
  // body's data-vscode-theme-kind in every webview) and its colours were recomputed.
  const webviewKind = kind === 'vs' ? 'vscode-light' : kind === 'vs-dark' ? 'vscode-dark' : kind === 'hc-light' ? 'vscode-high-contrast-light' : 'vscode-high-contrast';
  await until(`the panel in the ${kind} theme`, async () => {
    const frame = await panelFrame(page, { timeout: 30_000 });
    return frame.evaluate((k) => document.body.dataset.vscodeThemeKind === k
      && getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() !== '', webviewKind);
  }, { timeout: 30_000 });
}
