// The check behind `npm start -- --smoke` (a step of `npm test`): opens the URL `npm start` printed in Chromium, as a
// newcomer would, and proves the product is there: the workbench loads the sample workspace, the Goalpost view is in
// the activity bar, the panel opens by itself (the sample project promises that) and renders. So a broken
// `npm start` fails CI instead of a newcomer's first try.
//
// It never clicks the activity bar item blindly: clicking the item of the container that is already showing hides
// the side bar, and the extension opens the panel at activation, so a click racing it closed the panel and the run
// waited out its deadline (a CI run did). It waits on conditions only, answers the trust question whenever it shows,
// and on failure prints what the window showed and keeps a screenshot and the logs.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { launchBrowser } from './browser.mjs';

const evidenceDir = resolve(import.meta.dirname, '..', '..', 'test-results', 'start-smoke');
const ITEM = '.part.activitybar li.action-item:has(a[aria-label^="Goalpost"]), .part.activitybar li.action-item[aria-label^="Goalpost"]';

/**
 * Resolves when the Goalpost panel rendered at `url`; rejects saying which step did not happen within `timeoutMs`.
 * `dataDir` (the server's data folder) is where the logs kept as evidence are.
 */
export async function smokeCheck(url, chromiumPath, { timeoutMs = 180_000, log = () => {}, dataDir } = {}) {
  const deadline = Date.now() + timeoutMs;
  const browser = await launchBrowser(chromiumPath);
  let page;
  try {
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(url);
    const step = async (what, done) => {
      for (;;) {
        // A fresh profile asks whether to trust the folder, when the trust service is ready (a moment after the
        // workbench shows on a busy machine): answer as the README tells a newcomer to, whenever it shows.
        await answerTrust(page);
        if (await done().catch(() => false)) return log(`smoke: ${what}`);
        if (Date.now() > deadline) throw new Error(`npm start: ${what} did not happen within ${timeoutMs / 1000} s`);
        await page.waitForTimeout(250);
      }
    };
    await step('the workbench loaded', () => page.locator('.monaco-workbench .part.statusbar').isVisible());
    const item = page.locator(ITEM).first();
    await step('the Goalpost view appeared in the activity bar (extension installed and active)', () => item.isVisible());
    await step('the Goalpost panel opened by itself', async () => (await item.getAttribute('aria-selected', { timeout: 1000 })) === 'true');
    await step('the Goalpost panel rendered', async () => (await renderedFrame(page)) !== undefined);
  } catch (error) {
    // The evidence must never replace the failure it explains.
    if (page) await keepEvidence(page, dataDir, log).catch((e) => log(`smoke evidence: could not be kept (${e.message})`));
    throw error;
  } finally {
    await browser.close().catch(() => {});
  }
}

async function answerTrust(page) {
  const trust = page.locator('.monaco-dialog-box .monaco-button', { hasText: /Yes, I trust/ }).first();
  if (await trust.isVisible().catch(() => false)) await trust.click({ timeout: 5000 }).catch(() => {});
}

async function renderedFrame(page) {
  for (const frame of page.frames()) {
    if (frame.isDetached()) continue;
    if ((await frame.locator('#root .empty, #root .goal').count().catch(() => 0)) > 0) return frame;
  }
  return undefined;
}

/** What the window showed, printed (CI keeps only the output) and kept under test-results/start-smoke/. */
async function keepEvidence(page, dataDir, log) {
  mkdirSync(evidenceDir, { recursive: true });
  await page.screenshot({ path: join(evidenceDir, 'failed.png'), timeout: 10_000 }).catch(() => {});
  const seen = await withTimeout(page.evaluate((itemSelector) => {
    const item = document.querySelector(itemSelector);
    const sidebar = document.querySelector('.part.sidebar');
    return {
      goalpostItem: item ? { selected: item.getAttribute('aria-selected'), label: item.getAttribute('aria-label') } : null,
      sideBarVisible: !!sidebar && getComputedStyle(sidebar).display !== 'none' && sidebar.getBoundingClientRect().width > 0,
      sideBarTitle: sidebar?.querySelector('.composite.title')?.textContent?.trim() ?? null,
      texts: [...document.querySelectorAll('.notification-list-item-message, .monaco-dialog-box .dialog-message-text')].map((e) => e.textContent),
    };
  }, ITEM), 10_000).catch((error) => ({ error: error.message }));
  const frames = page.frames().map((f) => f.url().replace(/\?.*$/, '')).filter((u) => u && u !== 'about:blank');
  log(`smoke evidence: ${JSON.stringify({ ...seen, frames })}`);
  if (dataDir && existsSync(dataDir)) {
    // The logs of the workbench and the extension host hold Goalpost's own errors (an activation that threw, a panel
    // that failed); the server's data folder is removed when the smoke ends, so they are copied.
    for (const file of logFiles(dataDir)) {
      const kept = join(evidenceDir, 'logs', relative(dataDir, file));
      mkdirSync(dirname(kept), { recursive: true });
      cpSync(file, kept);
      // Goalpost's own channel whole (its tail); elsewhere the errors, warnings and Goalpost's activation.
      const all = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      const name = relative(dataDir, file);
      const lines = /goalpost/i.test(name) ? all.slice(-15) : all.filter((l) => /\[(error|warning)\]|activateExtension goalpost\./i.test(l) && !/gallery/i.test(l)).slice(-10);
      if (lines.length) log(`smoke evidence ${name}:\n  ${lines.join('\n  ')}`);
    }
  }
  log(`smoke evidence kept in ${evidenceDir}`);
}

/** The .log files under `dir` (the installed extensions' folder left out). */
function logFiles(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory() && !(d === dir && entry.name === 'exts')) walk(p);
      else if (entry.isFile() && entry.name.endsWith('.log')) found.push(p);
    }
  };
  walk(dir);
  return found;
}

/** `promise`, or a rejection after `ms`: a hung renderer must not hold the run. */
function withTimeout(promise, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
