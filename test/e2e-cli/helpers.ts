// Shared helpers of the CLI end-to-end tests: build the real bundle once, make throwaway git repos,
// run `node dist/cli.js` as a child process against the scripted OpenAI-compatible server, and read
// back what the run left on disk (goal.json, BACKLOG.md, goal_status.log, git history).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { replayJournal } from '../../src/adapters/store/journal';
import { Goal } from '../../src/engine/goal';
import { statePath } from '../../src/engine/stateFiles';
import type { RecordedRequest } from '../support/scriptedServer';
export { waitFor } from '../support/waitFor';

/** The repository root: the folder whose package.json is Goalpost's (tests may be compiled elsewhere). */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    // tsc copies package.json next to compiled tests too: the real root also has the build script.
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'scripts', 'build.mjs')) && /"name":\s*"goalpost"/.test(fs.readFileSync(pkg, 'utf8'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** Path of the built CLI. */
export function cliPath(): string {
  return path.join(repoRoot(), 'dist', 'cli.js');
}

let built: Promise<void> | null = null;

/**
 * Builds dist/cli.js once per test run with the project's build script. If another bundle of that
 * script fails (work in progress elsewhere), the CLI alone is bundled with the same esbuild options.
 */
/**
 * The hooks every CLI suite needs: build the CLI once, and after each test close the scripted server
 * and remove the throwaway repository the test made (both are safe to clean twice).
 */
export function useBuiltCli(resources: () => { repo?: TestRepo; server?: { close(): Promise<void> } | null }): void {
  before(async function () {
    this.timeout(120_000);
    await buildCli();
  });
  afterEach(async () => {
    // A CLI a failed test left running would write into the folder being removed, and load the next test.
    await Promise.all([...running].map(endChild));
    const { repo, server } = resources();
    await server?.close();
    repo?.cleanup();
  });
}

/** CLI children started by startCli that have not closed yet. */
const running = new Set<ChildProcess>();

/** SIGKILLs `child` and resolves once it closed (or after 10 s, when its stdio is held by a grandchild). */
function endChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 10_000);
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGKILL');
  });
}

export function buildCli(): Promise<void> {
  built ??= (async (): Promise<void> => {
    const root = repoRoot();
    const full = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    if (full.status === 0 && fs.existsSync(cliPath())) return;
    const script = `require('esbuild').build({ entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'error', alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' }, banner: { js: '#!/usr/bin/env node' } }).catch((e) => { console.error(e.message); process.exit(1); });`;
    const cliOnly = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    if (cliOnly.status !== 0) throw new Error(`Building the CLI failed:\n${full.stderr}\n${cliOnly.stderr}`);
  })();
  return built;
}

/** A throwaway folder holding `repo/` (a git repository) and things outside it. */
export interface TestRepo {
  /** The temp folder around the repository. */
  base: string;
  /** The git repository the CLI works in. */
  dir: string;
  cleanup(): void;
}

function git(dir: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** The sample project: `npm test` (node test.js) fails until add() in math.js is fixed. */
export const SAMPLE_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'sample', version: '1.0.0', private: true, scripts: { test: 'node test.js' } }, null, 2)}\n`,
  'math.js': 'function add(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add };\n',
  'test.js': "const assert = require('node:assert');\nconst { add } = require('./math');\nassert.strictEqual(add(2, 3), 5);\nconsole.log('ok');\n",
};

/** Creates `base/repo` with `files` committed on branch main; `symlinks` are created before the commit. */
export function makeRepo(files: Record<string, string> = SAMPLE_FILES, symlinks: Record<string, string> = {}): TestRepo {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-e2e-')));
  const dir = path.join(base, 'repo');
  fs.mkdirSync(dir);
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Goalpost Test']);
  git(dir, ['config', 'user.email', 'test@example.com']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  for (const [name, target] of Object.entries(symlinks)) fs.symlinkSync(target, path.join(dir, name));
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'initial']);
  return { base, dir, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

/** What a finished CLI process left. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A CLI process still running, with its output so far. */
export interface RunningCli {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  done: Promise<CliResult>;
}

/** The environment of a CLI child: the scripted server as endpoint, no API key, no inherited OpenAI settings. */
export function cliEnv(baseUrl: string | null, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('OPENAI_') || key.startsWith('GOALPOST_')) delete env[key];
  if (baseUrl) env.OPENAI_BASE_URL = baseUrl;
  return { ...env, ...extra };
}

/** Starts `node dist/cli.js ...args` in `cwd`. */
export function startCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): RunningCli {
  const child = spawn(process.execPath, [cliPath(), ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('close', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const done = new Promise<CliResult>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, output: () => ({ stdout, stderr }), done };
}

/** Runs the CLI to completion. */
export function runCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return startCli(args, options).done;
}

/** The active goal record: the snapshot .goalpost/goal.json with the saves of .goalpost/goal.journal applied. */
export function readGoal(dir: string): Goal {
  const snapshot = JSON.parse(fs.readFileSync(path.join(dir, statePath('goal')), 'utf8')) as Goal;
  const journal = path.join(dir, statePath('journal'));
  const lines = fs.existsSync(journal) ? fs.readFileSync(journal) : null;
  return Goal.parse(replayJournal(snapshot, snapshot, lines).value);
}

/** BACKLOG.md as text. */
export function readBacklog(dir: string): string {
  return fs.readFileSync(path.join(dir, 'BACKLOG.md'), 'utf8');
}

/** goal_status.log lines. */
export function readStatusLog(dir: string): string[] {
  const file = path.join(dir, 'goal_status.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
}

/** One commit of `git log`. */
export interface LoggedCommit {
  sha: string;
  subject: string;
  body: string;
}

/** Commits reachable from HEAD, newest first. */
export function gitLog(dir: string): LoggedCommit[] {
  const text = git(dir, ['log', '--format=%H%x00%s%x00%B%x1e']);
  return text
    .split('\x1e')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const [sha, subject, body] = s.split('\x00');
      return { sha, subject, body };
    });
}

/** How many commits carry each `Goalpost-Task:` trailer. */
export function commitsPerTask(dir: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of gitLog(dir)) {
    const m = /^Goalpost-Task:\s*(\S+)/m.exec(c.body);
    if (m) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  return counts;
}

/** `git status --porcelain` of the repository (untracked included). */
export function gitStatus(dir: string): string {
  return git(dir, ['status', '--porcelain']);
}

/** Names of the tools a recorded request offered. */
export function toolNames(req: RecordedRequest): string[] {
  return (req.body.tools ?? []).map((t) => t.function.name).sort();
}

/** The text of every message of a request (for "did the model see X" assertions). */
export function requestText(req: RecordedRequest): string {
  return req.body.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''))).join('\n');
}

/** Tool-result messages of a request. */
export function toolMessages(req: RecordedRequest): string[] {
  return req.body.messages.filter((m) => m.role === 'tool').map((m) => String(m.content ?? ''));
}

/** Pids of processes whose command line contains `needle` (Linux /proc). */
export function processesMatching(needle: string): number[] {
  if (!fs.existsSync('/proc')) return [];
  const pids: number[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(needle)) pids.push(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/**
 * A `sleep` command no other process on the machine runs: tests find their command by its command line, and other
 * test runs (another checkout's suite, a parallel CI job) must never be mistaken for it.
 */
export function uniqueSleep(wholeSeconds: number): string {
  return `sleep ${wholeSeconds}.${String(process.pid).padStart(7, '0')}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

/** True when a process whose command line contains `needle` is running. */
export function processRunning(needle: string): boolean {
  return processesMatching(needle).length > 0;
}

/** A task draft as the planner submits it. */
export function task(title: string, details = '', acceptance = 'npm test passes'): { title: string; details: string; acceptance: string } {
  return { title, details, acceptance };
}

/** A run timeout for the suites that run whole goals more than once per test (slow shared CI machines). */
export const SLOW_MS = 110_000;

/** The common flags of a fast run: no delay between iterations, no sandbox, on the current branch. */
export const FAST = ['--iteration-delay-ms', '0', '--sandbox', 'off'];
