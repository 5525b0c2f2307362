#!/usr/bin/env node
// The GitHub Action's entry script (action.yml): turns the action's inputs into one `goalpost run`,
// then prepares the artifacts — the JSON events, the report (Markdown and HTML) and the goal's branch
// as a git bundle — in one folder, and writes the step outputs. It never pushes: the bundle is how the
// work leaves the runner. Tested locally by test/e2e-cli/ci/action.test.ts against the scripted server.
//
// Inputs come as INPUT_<NAME> variables (action.yml maps them explicitly, as composite actions must);
// INPUT_* and the key are kept out of the goal's commands: the CLI gets only OPENAI_API_KEY.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built CLI beside this script (the action builds it first); GOALPOST_CLI overrides it. */
const cli = process.env.GOALPOST_CLI || path.resolve(here, '..', '..', 'dist', 'cli.js');

/** An input by its action.yml name (`goal-file` → INPUT_GOAL_FILE), trimmed; '' when unset. */
function input(name) {
  return (process.env[`INPUT_${name.replace(/[- ]/g, '_').toUpperCase()}`] ?? '').trim();
}

/** Appends `name=value` to $GITHUB_OUTPUT (a multi-line-safe heredoc form when needed). */
function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT;
  const text = String(value);
  if (!file) {
    process.stdout.write(`output ${name}=${text}\n`);
    return;
  }
  const delimiter = `goalpost_${Math.random().toString(36).slice(2)}`;
  fs.appendFileSync(file, text.includes('\n') ? `${name}<<${delimiter}\n${text}\n${delimiter}\n` : `${name}=${text}\n`);
}

function fail(message) {
  process.stderr.write(`::error title=Goalpost::${message.replace(/\r?\n/g, '%0A')}\n`);
  process.exit(1);
}

/** Splits extra-args like a shell would for simple cases: whitespace, with '…' and "…" quoting. */
export function splitArgs(text) {
  const out = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(text)) !== null) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3]);
  return out;
}

/** The `goalpost run` arguments for the inputs. */
export function runArgs(workdir) {
  const args = ['run'];
  const goalFile = input('goal-file');
  const objective = input('objective');
  if (goalFile && objective) fail('Give either goal-file or objective, not both.');
  if (!goalFile && !objective) fail('No goal: set the goal-file input (a Markdown goal file in the repository) or the objective input.');
  if (goalFile) args.push('--goal-file', goalFile);
  const flag = (name, value) => {
    if (value) args.push(name, value);
  };
  flag('--goal-id', input('goal-id'));
  flag('--budget', input('budget') || '500k');
  flag('--model', input('model'));
  flag('--base-url', input('base-url'));
  flag('--log-level', input('log-level'));
  flag('--max-iterations', input('max-iterations'));
  args.push('--project-root', workdir, '--json');
  if (input('snapshot') === 'true') args.push('--snapshot');
  args.push(...splitArgs(input('extra-args')));
  if (objective) args.push('--', objective);
  return args;
}

/** The CLI's environment: the runner's, without INPUT_* (nothing of the action leaks to the goal's commands). */
function cliEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('INPUT_') && v !== undefined) env[k] = v;
  const key = input('api-key');
  if (key) env.OPENAI_API_KEY = key;
  return env;
}

function git(workdir, args) {
  return spawnSync('git', args, { cwd: workdir, encoding: 'utf8' });
}

async function main() {
  const workdir = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd(), input('working-directory') || '.');
  const outDir = path.resolve(input('artifact-dir') || path.join(process.env.RUNNER_TEMP || workdir, 'goalpost-artifacts'));
  fs.mkdirSync(outDir, { recursive: true });
  if (!fs.existsSync(cli)) fail(`The Goalpost CLI is missing at ${cli}; the action builds it before this step.`);
  const args = runArgs(workdir);
  const head = git(workdir, ['rev-parse', '--verify', '-q', 'HEAD']);
  const base = head.status === 0 ? head.stdout.trim() : '';
  const env = cliEnv();
  const eventsFile = path.join(outDir, 'events.jsonl');
  const events = fs.createWriteStream(eventsFile);
  process.stdout.write(`goalpost ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);

  // The events go to the artifact and, as plain status lines, to the job log.
  const child = spawn(process.execPath, [cli, ...args], { cwd: workdir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let summary = null;
  let rest = '';
  child.stdout.on('data', (chunk) => {
    events.write(chunk);
    rest += chunk.toString('utf8');
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const e = JSON.parse(line);
        if (e.type === 'summary') summary = e;
        else if (e.type === 'status') process.stdout.write(`${e.at.slice(11, 19)} ${e.phase.padEnd(7)} ${e.message}\n`);
        else if (e.type === 'warning') process.stdout.write(`::warning title=Goalpost::${e.message}\n`);
        else if (e.type === 'message') process.stdout.write(`${e.message}\n`);
      } catch {
        // not an event line: kept in the artifact as is
      }
    }
  });
  const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1))));
  await new Promise((resolve) => events.end(resolve));

  const goalId = summary?.id ?? '';
  setOutput('exit-code', code);
  setOutput('status', summary?.status ?? 'error');
  setOutput('goal-id', goalId);
  setOutput('branch', summary?.branch ?? '');
  setOutput('tokens', summary?.usage?.tokens ?? 0);
  setOutput('cost-usd', summary?.usage?.costUsd ?? 0);
  setOutput('artifact-dir', outDir);
  setOutput('events', eventsFile);

  if (goalId) {
    for (const format of ['md', 'html']) {
      const file = path.join(outDir, `report.${format}`);
      const r = spawnSync(process.execPath, [cli, 'report', '--project-root', workdir, '--goal-id', goalId, '--format', format, '--output', file], { env, encoding: 'utf8' });
      if (r.status !== 0) process.stdout.write(`::warning title=Goalpost::report (${format}) failed: ${r.stderr.trim()}\n`);
    }
    setOutput('report', path.join(outDir, 'report.md'));
    // The branch as a bundle: `git fetch goalpost.bundle <branch>` brings the work home; nothing is pushed.
    // Only the goal's commits (base excluded), so a shallow CI checkout bundles fine and the file is small.
    const ref = summary.branch || 'HEAD';
    const bundle = path.join(outDir, `${goalId}.bundle`);
    const range = base ? [ref, `^${base}`] : [ref];
    let b = git(workdir, ['bundle', 'create', bundle, ...range]);
    if (b.status !== 0 && range.length > 1) b = git(workdir, ['bundle', 'create', bundle, ref]);
    if (b.status === 0) setOutput('bundle', bundle);
    else process.stdout.write(`::warning title=Goalpost::git bundle failed: ${b.stderr.trim()}\n`);
  }
  const status = summary?.status ?? 'error';
  const line = `Goalpost: goal ${goalId || '(none)'} ${status}${summary?.reason ? ` — ${summary.reason}` : ''} (exit ${code})`;
  if (process.env.GITHUB_STEP_SUMMARY && fs.existsSync(path.join(outDir, 'report.md'))) {
    fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, fs.readFileSync(path.join(outDir, 'report.md'), 'utf8'));
  }
  process.stdout.write(`${line}\n`);
  // Only a CLI error fails this step, so the artifacts are still uploaded; `require-achieved` decides the job.
  process.exit(code === 1 || !summary ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => fail(e instanceof Error ? e.message : String(e)));
}
