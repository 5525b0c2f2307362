// The check behind `npm start -- --smoke` (a step of `npm test`): opens the URL `npm start` printed in Chromium, as a
// newcomer would, and proves the product is there: the workbench loads the sample workspace, the Goalpost view is in
// the activity bar, and its panel renders. So a broken `npm start` fails CI instead of a newcomer's first try.
import { launchBrowser } from './browser.mjs';

/** Resolves when the Goalpost panel rendered at `url`; rejects saying which step did not happen within `timeoutMs`. */
export async function smokeCheck(url, chromiumPath, { timeoutMs = 180_000, log = () => {} } = {}) {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1000, deadline - Date.now());
  const browser = await launchBrowser(chromiumPath);
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(url);
    const step = async (what, fn) => {
      try {
        await fn();
        log(`smoke: ${what}`);
      } catch (error) {
        throw new Error(`npm start: ${what} did not happen within ${timeoutMs / 1000} s (${error.message.split('\n')[0]})`);
      }
    };
    await step('the workbench loaded', () => page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: left() }));
    // A fresh profile asks whether to trust the folder: answer as the README tells a newcomer to.
    const trust = page.locator('.monaco-dialog-box .monaco-button', { hasText: /Yes, I trust/ }).first();
    if (await trust.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false)) await trust.click();
    const item = page.locator('.part.activitybar .action-item a[aria-label^="Goalpost"], .part.activitybar .action-item[aria-label^="Goalpost"]').first();
    await step('the Goalpost view appeared in the activity bar (extension installed and active)', () => item.waitFor({ state: 'visible', timeout: left() }));
    const open = await page.locator('.part.sidebar .pane-header', { hasText: /Goal/ }).count();
    if (open === 0) await item.click();
    await step('the Goalpost panel rendered', async () => {
      for (;;) {
        for (const frame of page.frames()) {
          if (frame.isDetached()) continue;
          if ((await frame.locator('#root .empty, #root .goal').count().catch(() => 0)) > 0) return;
        }
        if (Date.now() > deadline) throw new Error('no webview frame with #root .empty or #root .goal');
        await page.waitForTimeout(250);
      }
    });
  } finally {
    await browser.close().catch(() => {});
  }
}
