// Launches Debian's Chromium through playwright-core (playwright's own browser download is unreachable
// here) with the flags that keep it quiet and offline, and makes sure it dies with the runner.
import { chromium } from 'playwright-core';
import { registerCleanup } from './cleanup.mjs';

/** Chromium flags: no sandbox (root in containers), no GPU, and no traffic of its own to the internet. */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** Launches headless Chromium from executablePath; returns the playwright Browser. */
export async function launchBrowser(executablePath, { headless = true } = {}) {
  const browser = await chromium.launch({
    executablePath,
    headless,
    args: [...CHROMIUM_ARGS],
    // Our cleanup registry owns signals; playwright still kills the browser on process exit.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const unregister = registerCleanup(() => {
    // Synchronous context: close() cannot be awaited here, playwright's own exit hook kills the process.
    void browser.close().catch(() => {});
  });
  browser.on('disconnected', unregister);
  return browser;
}
