// Runs the in-editor test suites inside a real VS Code extension host (the server bundled in code-server)
// driven by Debian's Chromium, on machines that cannot download VS Code. Builds nothing: run
// `npm run build && npm run compile-tests` first.
//
//   node scripts/vscode-test/run.mjs [--suite NAME]... [--timeout SECONDS] [--self-test-fail] [--list]
//
// Exit code: 0 when every suite passed; non-zero on a failing test, a timeout or a crash.
// Per-suite logs (server, browser console, workbench logs) go to test-results/vscode/<suite>/.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { launchBrowser } from './browser.mjs';
import { registerCleanup } from './cleanup.mjs';
import { ensureHarness } from './install.mjs';
import { startServer } from './server.mjs';
import { SUITES, prepareWorkspace } from './suites.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const testsIndex = join(repoRoot, 'out', 'test', 'vscode', 'index.js');
// test/vscode/index.ts prefixes the test run's console lines with this; the workbench's own log lines
// arrive through the same channel and only go to the log file.
const LOG_MARKER = '\u2063goalpost-test\u2063 ';
// Workbench errors that every offline run has (no marketplace, no service worker in code-server's build).
const HARMLESS = /ENOTFOUND|ServiceWorker|EAI_AGAIN|ECONNREFUSED/;

function log(message) {
  process.stdout.write(`[vscode-test] ${message}\n`);
}

function usage(problem) {
  if (problem) process.stderr.write(`[vscode-test] ${problem}\n`);
  process.stderr.write('usage: node scripts/vscode-test/run.mjs [--suite NAME]... [--timeout SECONDS] [--self-test-fail] [--list]\n'
    + `suites: ${Object.keys(SUITES).join(', ')}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = {
    suites: [],
    timeoutSeconds: Number(process.env.GOALPOST_VSCODE_TEST_TIMEOUT || 600),
    selfTestFail: process.env.GOALPOST_VSCODE_SELF_TEST === 'fail',
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === '--suite') options.suites.push(value());
    else if (arg.startsWith('--suite=')) options.suites.push(arg.slice('--suite='.length));
    else if (arg === '--timeout') options.timeoutSeconds = Number(value());
    else if (arg === '--self-test-fail') options.selfTestFail = true;
    else if (arg === '--list') options.list = true;
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  if (!Number.isFinite(options.timeoutSeconds) || options.timeoutSeconds <= 0) usage('--timeout takes a positive number of seconds');
  for (const name of options.suites) if (!SUITES[name]) usage(`unknown suite "${name}"`);
  if (options.suites.length === 0) options.suites = Object.keys(SUITES);
  return options;
}

function checkBuilt() {
  const missing = [join(repoRoot, 'dist', 'extension.js'), testsIndex].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    process.stderr.write(`[vscode-test] not built: ${missing.join(', ')} missing. Run \`npm run build && npm run compile-tests\` first.\n`);
    process.exit(1);
  }
}

/** Runs one suite in its own server, browser and workspace copy; resolves to its exit code. */
async function runSuite(name, suite, harness, options) {
  const started = Date.now();
  const logsDir = join(repoRoot, 'test-results', 'vscode', name);
  rmSync(logsDir, { recursive: true, force: true });
  mkdirSync(logsDir, { recursive: true });
  const workspace = mkdtempSync(join(tmpdir(), `goalpost-vscode-${name}-`));
  const unregisterWorkspace = registerCleanup(() => rmSync(workspace, { recursive: true, force: true }));
  let server;
  let browser;
  let timer;
  let serverWatch;
  try {
    await prepareWorkspace(repoRoot, suite, workspace);
    const env = { ...(suite.env ?? {}), GOALPOST_VSCODE_TESTS_DIR: suite.testsDir, GOALPOST_VSCODE_LOG_MARKER: LOG_MARKER };
    if (options.selfTestFail) env.GOALPOST_VSCODE_SELF_TEST = 'fail';
    server = await startServer({ harness, extensionDevelopmentPath: repoRoot, env, workspaceTrust: suite.workspaceTrust === true });
    server.onOutput((text) => appendFileSync(join(logsDir, 'server.log'), text));
    appendFileSync(join(logsDir, 'server.log'), server.output());
    log(`suite ${name}: server on port ${server.port}, workspace ${workspace}`);

    browser = await launchBrowser(harness.chromium);
    const context = await browser.newContext();
    const workbenchErrors = [];
    let settle;
    const outcome = new Promise((resolve) => {
      settle = resolve;
    });
    // The workbench's smoke-test driver calls these: log lines of the extension host and its exit code.
    await context.exposeFunction('codeAutomationLog', (type, args) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      appendFileSync(join(logsDir, 'automation.log'), `[${type}] ${text}\n`);
      if (text.startsWith(LOG_MARKER)) process.stdout.write(`${text.slice(LOG_MARKER.length).replace(/\n$/, '')}\n`);
      else if (type === 'error' && !HARMLESS.test(text)) workbenchErrors.push(text);
    });
    await context.exposeFunction('codeAutomationExit', (code, logs) => {
      for (const entry of Array.isArray(logs) ? logs : []) {
        const target = join(logsDir, 'workbench', String(entry.relativePath).replace(/\.\./g, '_'));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, entry.contents);
      }
      settle({ code: Number(code), reason: `the extension host exited with code ${code}` });
    });
    const page = await context.newPage();
    page.on('console', (message) => appendFileSync(join(logsDir, 'browser-console.log'), `[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => appendFileSync(join(logsDir, 'browser-console.log'), `[pageerror] ${error.stack ?? error}\n`));
    page.on('crash', () => settle({ code: 1, reason: 'the workbench page crashed' }));
    browser.on('disconnected', () => settle({ code: 1, reason: 'the browser disconnected' }));
    serverWatch = setInterval(() => {
      if (!server.isRunning()) settle({ code: 1, reason: 'the VS Code server exited during the run' });
    }, 500);
    timer = setTimeout(() => settle({ code: 1, reason: `timed out after ${options.timeoutSeconds} s` }), options.timeoutSeconds * 1000);

    const url = server.workbenchUrl({ folder: workspace, extensionTestsPath: testsIndex });
    writeFileSync(join(logsDir, 'url.txt'), `${url}\n`);
    await page.goto(url);
    const { code, reason } = await outcome;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (code === 0) log(`suite ${name}: passed in ${seconds} s`);
    else {
      // The last errors of the workbench usually say why (an activation error, a missing file).
      for (const line of workbenchErrors.slice(-10)) process.stdout.write(`[workbench error] ${line.split('\n')[0]}\n`);
      log(`suite ${name}: FAILED in ${seconds} s: ${reason} (logs: ${logsDir})`);
    }
    return code === 0 ? 0 : code || 1;
  } catch (error) {
    log(`suite ${name}: crashed: ${error.stack ?? error} (logs: ${logsDir})`);
    return 1;
  } finally {
    clearTimeout(timer);
    clearInterval(serverWatch);
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
    unregisterWorkspace();
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.list) {
    for (const [name, suite] of Object.entries(SUITES)) process.stdout.write(`${name}\t${suite.description}\n`);
    return 0;
  }
  checkBuilt();
  const harness = await ensureHarness();
  let failed = 0;
  for (const name of options.suites) {
    if ((await runSuite(name, SUITES[name], harness, options)) !== 0) failed++;
  }
  log(failed === 0 ? `all ${options.suites.length} suite(s) passed` : `${failed} of ${options.suites.length} suite(s) failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`[vscode-test] ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
