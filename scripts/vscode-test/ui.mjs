// Entry point for UI tests: an Extension Development Host workbench in headless Chromium, with the
// extension from this checkout and no extensionTestsPath, for playwright to drive like a user.
//
//   const wb = await openWorkbench({ folder });  await runCommand(wb.page, 'Goalpost: Set Goal');  await wb.close();
//
// Smoke check by hand: node scripts/vscode-test/ui.mjs --smoke [--screenshot FILE]
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.mjs';
import { ensureHarness } from './install.mjs';
import { startServer } from './server.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Opens folder (absolute), or workspace (a .code-workspace file, for several folders), in a fresh server +
 * browser with the extension under development (default: this checkout). Resolves to { page, browser, server,
 * close() } once the workbench has rendered. dataDir and serverArgs go to startServer (a prepared data folder,
 * e.g. with a language pack; --locale).
 */
export async function openWorkbench({ folder, workspace, extensionDevelopmentPath = repoRoot, harness, viewport = { width: 1400, height: 900 }, dataDir, serverArgs } = {}) {
  if (!folder && !workspace) throw new Error('openWorkbench needs { folder } or { workspace }');
  const ready = harness ?? (await ensureHarness());
  const server = await startServer({ harness: ready, extensionDevelopmentPath, dataDir, args: serverArgs });
  let browser;
  try {
    browser = await launchBrowser(ready.chromium);
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(server.workbenchUrl({ folder, workspace }));
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await browser.close().catch(() => {});
      await server.stop();
    };
    return { page, browser, server, close };
  } catch (error) {
    await browser?.close().catch(() => {});
    await server.stop();
    throw error;
  }
}

/**
 * Runs a command by its palette label (e.g. 'Goalpost: Set Goal') through F1, picking the exact entry.
 * Retries until timeout: the palette lists only commands known when it opened, and an extension's
 * commands appear a moment after the workbench renders.
 */
export async function runCommand(page, label, { timeout = 30_000 } = {}) {
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Exact match on the entry's label: "Set Goal" must not pick "Set Goal from File".
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  const deadline = Date.now() + timeout;
  for (;;) {
    // The workbench only handles F1 once it has keyboard focus.
    await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => {});
    await page.keyboard.press('F1');
    // A page that is reloading (Developer: Reload Window) or still starting drops the key: press it again.
    const opened = await input.waitFor({ state: 'visible', timeout: Math.max(1000, Math.min(5000, deadline - Date.now())) }).then(() => true, () => false);
    if (!opened) {
      if (Date.now() >= deadline) throw new Error(`the command palette did not open within ${timeout} ms (for "${label}")`);
      continue;
    }
    try {
      // A workbench still starting can take the palette away again (a modal makes it inert, a layout closes it):
      // a short wait here, then the palette is opened anew, instead of one fill waiting out the whole timeout.
      await input.fill(`>${label}`, { timeout: Math.min(5000, Math.max(1, deadline - Date.now())) });
      await row.waitFor({ state: 'visible', timeout: Math.min(3000, Math.max(1, deadline - Date.now())) });
      // The exact entry is usually the focused first row: Enter picks it, with no click for a moving layout to
      // intercept (a cold workbench still lays out its editor area while the palette is open).
      const focused = await page.locator('.quick-input-list .monaco-list-row.focused .label-name').first().innerText({ timeout: 1000 }).catch(() => '');
      if (exact.test(focused)) await input.press('Enter');
      else await row.click({ timeout: 3000 });
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() >= deadline) {
        const dialogs = await page.locator('.monaco-dialog-box .dialog-message-text').allInnerTexts().catch(() => []);
        const why = dialogs.length > 0 ? `; a dialog is open: ${JSON.stringify(dialogs)}` : '';
        throw new Error(`command "${label}" not found in the command palette within ${timeout} ms${why}`, { cause: error });
      }
    }
  }
}

/**
 * The messages of every notification so far, read from the notifications center: the smoke-test driver
 * (needed to load the extension under development) keeps toasts from showing.
 */
export async function notifications(page, { timeout = 15_000 } = {}) {
  const messages = page.locator('.notifications-center .notification-list-item-message');
  if (!(await page.locator('.notifications-center.visible').count())) await runCommand(page, 'Notifications: Show Notifications', { timeout });
  await page.locator('.notifications-center.visible').waitFor({ state: 'visible', timeout });
  return messages.allInnerTexts();
}

async function smoke(screenshot) {
  const folder = mkdtempSync(join(tmpdir(), 'goalpost-ui-smoke-'));
  cpSync(join(repoRoot, 'test', 'vscode', 'fixtures', 'workspace'), folder, { recursive: true });
  const workbench = await openWorkbench({ folder });
  try {
    await runCommand(workbench.page, 'Goalpost: Show Panel');
    // The panel's view container shows its title in the side bar once the command ran.
    const title = workbench.page.locator('.part.sidebar .composite.title', { hasText: /goalpost/i });
    await title.first().waitFor({ state: 'visible', timeout: 15_000 });
    if (screenshot) await workbench.page.screenshot({ path: screenshot });
    process.stdout.write(`[vscode-test] ui smoke: side bar shows "${(await title.first().innerText()).trim()}"\n`);
    return 0;
  } finally {
    await workbench.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (!args.includes('--smoke')) {
    process.stderr.write('usage: node scripts/vscode-test/ui.mjs --smoke [--screenshot FILE]\n');
    process.exit(2);
  }
  const at = args.indexOf('--screenshot');
  smoke(at >= 0 ? resolve(args[at + 1]) : undefined).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`[vscode-test] ui smoke failed: ${error.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
