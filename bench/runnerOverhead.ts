// Benchmark 5: what NodeCommandRunner adds to running a command. `true` through the runner versus a bare
// child_process.spawn('/bin/bash', ['-c', 'true']) awaited to exit, 50 runs each, with the sandbox off and
// in `workspace-write` (bubblewrap). For the sandboxed runner, a bare spawn of the same bwrap command line
// is measured too, so the runner's own cost is told apart from bubblewrap's.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeCommandRunner } from '../src/adapters/commandRunner';
import { sandboxed, sandboxStatus } from '../src/adapters/sandbox';
import { emitResult, runBenchmark, table } from './kit/report';
import { fixed, summarize, type Summary } from './kit/stats';

const RUNS = 50;
const WARMUP = 5;
const SHELL = fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';

function bare(file: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
}

/** Times each contender RUNS times, interleaved (a, b, c, a, b, c…) so machine load hits all alike. */
async function timeInterleaved(contenders: (() => Promise<unknown>)[]): Promise<Summary[]> {
  for (let i = 0; i < WARMUP; i++) for (const run of contenders) await run();
  const samples: number[][] = contenders.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (let c = 0; c < contenders.length; c++) {
      const started = performance.now();
      await contenders[c]();
      samples[c].push(performance.now() - started);
    }
  }
  return samples.map(summarize);
}

/** One measured line of the table. */
interface Line {
  sandbox: 'off' | 'workspace-write';
  what: string;
  s: Summary;
}

async function main(): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-bench-runner-')));
  const lines: Line[] = [];
  const notes: string[] = [];
  try {
    for (const mode of ['off', 'workspace-write'] as const) {
      const status = sandboxStatus({ mode, network: false });
      if (mode === 'workspace-write' && !status.active) {
        notes.push(`workspace-write not measured: ${status.reason}`);
        console.log(`runnerOverhead: workspace-write skipped: ${status.reason}`);
        continue;
      }
      const runner = new NodeCommandRunner({ root, logDir: path.join(root, '.goalpost', 'logs'), sandbox: mode });
      const viaRunner = async (): Promise<void> => {
        const r = await runner.run({ command: 'true', timeoutMs: 10_000, label: 'bench' });
        if (r.exitCode !== 0) throw new Error(`runner: true exited ${r.exitCode}: ${r.output}`);
      };
      const { file, args } = sandboxed({ mode, network: false }, root, root, SHELL, ['-c', 'true']);
      const contenders = [viaRunner, (): Promise<void> => bare(SHELL, ['-c', 'true'], root)];
      if (mode === 'workspace-write') contenders.push(() => bare(file, args, root));
      const [r, b, w] = await timeInterleaved(contenders);
      lines.push({ sandbox: mode, what: 'NodeCommandRunner.run(\'true\')', s: r });
      lines.push({ sandbox: mode, what: `bare spawn ${SHELL} -c true`, s: b });
      if (w) lines.push({ sandbox: mode, what: `bare spawn bwrap … ${SHELL} -c true (same command line as the runner)`, s: w });
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  for (const l of lines) console.log(`runnerOverhead [sandbox ${l.sandbox}] ${l.what}: median ${fixed(l.s.median)} ms, p95 ${fixed(l.s.p95)} ms`);
  const find = (mode: string, prefix: string): Line | undefined => lines.find((l) => l.sandbox === mode && l.what.startsWith(prefix));
  const overheads: string[][] = [];
  for (const mode of ['off', 'workspace-write']) {
    const runner = find(mode, 'NodeCommandRunner');
    const shell = find(mode, `bare spawn ${SHELL}`);
    const bw = find(mode, 'bare spawn bwrap');
    if (runner && shell) overheads.push([mode, 'runner − bare shell', fixed(runner.s.median - shell.s.median), fixed(runner.s.p95 - shell.s.p95)]);
    if (runner && bw) overheads.push([mode, 'runner − bare bwrap (the runner\'s own cost)', fixed(runner.s.median - bw.s.median), fixed(runner.s.p95 - bw.s.p95)]);
  }
  for (const o of overheads) console.log(`  overhead [sandbox ${o[0]}] ${o[1]}: median ${o[2]} ms, p95 ${o[3]} ms`);
  const markdown = [
    `${RUNS} runs each, interleaved, after ${WARMUP} warm-up rounds; the runner writes its full-output log under .goalpost/logs, starts the command in its own process group with a stripped environment and waits for the pipes to close.`,
    '',
    table(['sandbox', 'what', 'median ms', 'p95 ms'], lines.map((l) => [l.sandbox, l.what, fixed(l.s.median), fixed(l.s.p95)])),
    '',
    table(['sandbox', 'overhead', 'median ms', 'p95 ms'], overheads),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
  emitResult({ name: 'runnerOverhead', title: 'Command runner overhead', targets: [], markdown });
}

runBenchmark(main);
