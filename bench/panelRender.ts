// Benchmark of the side panel in a real Chromium (playwright-core): the built dist/webview.js loaded
// in a page with a stub acquireVsCodeApi, fed a state with a 500-task backlog and 2,000 log lines,
// then updates under load. Counts the DOM mutations of each update with a MutationObserver, so "an
// update touches only what changed" is a number, not a claim.
//
//   npm run build && npx tsc -p tsconfig.json --outDir out && node out/bench/panelRender.js [--json]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { GoalView, HostMessage, TaskView } from '../src/protocol';

// Run from the repository root (npm scripts do).
const ROOT = process.cwd();
const TASKS = 500;
const LOG_LINES = 2000;
const RUNS = 5;

/** One measured step: wall time in the page and the DOM mutations it caused. */
export interface StepResult {
  name: string;
  ms: number;
  mutations: number;
}

function task(i: number, status: TaskView['status']): TaskView {
  return {
    id: `t${i}`,
    title: `Task number ${i}: make part ${i} of the feature work`,
    details: `Details of task ${i}, with enough words to look like a real task description.`,
    status,
    blockedReason: status === 'blocked' ? 'The tests need a database that is not available.' : null,
    commit: status === 'done' ? (i.toString(16).padStart(8, '0') + 'a'.repeat(32)) : null,
    attempts: status === 'todo' ? [] : [{
      n: 1, outcome: status === 'done' ? 'finished' : null, summary: 'Did the work.', blocker: null,
      checks: [{ command: 'npm test', exitCode: status === 'done' ? 0 : 1, timedOut: false, durationMs: 1234 }],
    }],
  };
}

function bigGoal(): GoalView {
  const tasks = Array.from({ length: TASKS }, (_, i) => task(i + 1, i < 200 ? 'done' : i === 200 ? 'in-progress' : i > 490 ? 'blocked' : 'todo'));
  return {
    folder: '/work/project', folderName: 'project', id: 'g-bench', objective: 'A big goal\nwith a second line',
    status: 'pursuing', interrupted: false, reason: null, phase: 'act', iteration: 201,
    createdAt: new Date(Date.now() - 3_600_000).toISOString(), endedAt: null, validation: ['npm test'],
    tokens: 1_600_000, budget: 2_000_000, costUsd: 12.34, requests: 900, forecastTokens: 2_320_000, forecastCostUsd: 17.8,
    tasks,
    reviews: Array.from({ length: 200 }, (_, i) => ({
      id: `r${i + 1}`, taskId: `t${i + 1}`, at: new Date().toISOString(), verdict: 'approve' as const, summary: 'Fine.',
      notes: [{ path: 'src/index.ts', line: i + 1, severity: 'info' as const, message: `Note ${i + 1}` }],
    })),
    commits: tasks.filter((t) => t.commit).map((t) => ({ sha: t.commit!, title: t.title, taskId: t.id, at: new Date().toISOString() })),
    points: Array.from({ length: 200 }, (_, i) => ({ n: i + 1, tokens: (i + 1) * 8000, tasksDone: i + 1 })),
  };
}

function logLines(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `${new Date(Date.now() + i * 1000).toISOString()}  g-bench  act      step ${from + i + 1}: read_file src/part${i % 50}.ts`);
}

async function measure(page: import('playwright-core').Page, name: string, messages: HostMessage[]): Promise<StepResult> {
  return page.evaluate(({ name: n, messages: ms }) => {
    const observer = new MutationObserver(() => undefined);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const start = performance.now();
    for (const m of ms) window.dispatchEvent(new MessageEvent('message', { data: m }));
    // Layout is part of a render the user waits for.
    void document.body.offsetHeight;
    const ms2 = performance.now() - start;
    const mutations = observer.takeRecords().length;
    observer.disconnect();
    return { name: n, ms: ms2, mutations };
  }, { name, messages });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function once(browser: import('playwright-core').Browser): Promise<StepResult[]> {
  const page = await browser.newPage({ viewport: { width: 400, height: 900 } });
  const css = fs.readFileSync(path.join(ROOT, 'media', 'panel.css'), 'utf8');
  await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><main id="root"></main></body></html>`);
  // The stub of the webview API VS Code injects; messages the panel sends are kept for inspection.
  await page.addScriptTag({ content: 'window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => undefined, setState: () => undefined });' });
  await page.addScriptTag({ content: fs.readFileSync(path.join(ROOT, 'dist', 'webview.js'), 'utf8'), type: 'module' });
  await page.waitForFunction(() => customElements.get('vscode-button') !== undefined);
  const goal = bigGoal();
  const results: StepResult[] = [];
  results.push(await measure(page, `first render (${TASKS} tasks, ${LOG_LINES} log lines)`, [
    { type: 'state', version: 1, goals: [goal], history: [], trusted: true },
    { type: 'log', folder: goal.folder, reset: true, lines: logLines(LOG_LINES) },
  ]));
  results.push(await measure(page, 'usage tick', [
    { type: 'usage', version: 2, folder: goal.folder, usage: { tokens: 1_612_000, budget: 2_000_000, costUsd: 12.5, requests: 901, forecastTokens: 2_300_000, forecastCostUsd: 17.7 } },
  ]));
  results.push(await measure(page, 'log delta (5 lines)', [{ type: 'log', folder: goal.folder, reset: false, lines: logLines(5, LOG_LINES) }]));
  const moved: GoalView = { ...goal, tasks: goal.tasks.map((t) => (t.id === 't202' ? { ...t, status: 'in-progress' as const } : t)), phase: 'plan' };
  results.push(await measure(page, 'state push: one task starts (whole 500-task state re-sent)', [{ type: 'state', version: 3, goals: [moved], history: [], trusted: true }]));
  results.push(await measure(page, 'state push: nothing changed', [{ type: 'state', version: 4, goals: [moved], history: [], trusted: true }]));
  // Under load: 50 ticks and 50 log lines interleaved, as a busy goal sends them.
  const burst: HostMessage[] = [];
  for (let i = 0; i < 50; i++) {
    burst.push({ type: 'usage', version: 5 + i, folder: goal.folder, usage: { tokens: 1_612_000 + i * 100, budget: 2_000_000, costUsd: 12.5 + i / 100, requests: 902 + i, forecastTokens: 2_300_000, forecastCostUsd: 17.7 } });
    burst.push({ type: 'log', folder: goal.folder, reset: false, lines: logLines(1, LOG_LINES + 5 + i) });
  }
  results.push(await measure(page, 'burst: 50 usage ticks + 50 log lines', burst));
  await page.close();
  return results;
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.GOALPOST_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const runs: StepResult[][] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(browser));
    const summary = runs[0].map((step, i) => ({ name: step.name, ms: median(runs.map((r) => r[i].ms)), mutations: step.mutations }));
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      process.stdout.write(`panel render, median of ${RUNS} runs in Chromium ${browser.version()}\n`);
      for (const s of summary) process.stdout.write(`  ${s.name.padEnd(62)} ${s.ms.toFixed(1).padStart(7)} ms  ${String(s.mutations).padStart(5)} DOM mutations\n`);
    }
    const first = summary[0];
    if (first.ms > 200) {
      process.stderr.write(`first render took ${first.ms.toFixed(1)} ms (target ≤ 200 ms)\n`);
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
